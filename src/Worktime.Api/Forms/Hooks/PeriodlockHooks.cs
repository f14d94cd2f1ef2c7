using System.Globalization;
using Worktime.Api.Accounts;
using Worktime.Api.Data;
using Worktime.Api.Forms.Definitions;
using Worktime.Api.Forms.Storage;
using Worktime.Api.Http;

namespace Worktime.Api.Forms.Hooks;

/// <summary>
/// The <c>periodlock</c> form (docs/forms.md, "Period locks"). A lock needs its <c>enddate</c> even with
/// <c>validation=off</c> (a lock without one would close nothing and read as if it did). Every write — create, edit,
/// remove, restore — stamps or unstamps the worktimes and absences it covers in the same transaction, and leaves an
/// audit record after commit: closing and reopening a period changes what can be corrected before payroll.
/// </summary>
internal sealed class PeriodlockHooks(AuditLog audit, FormRegistry registry, Database database) : FormHooks
{
    public override string FormName => "periodlock";

    public override void Complete(FormWrite write, Dictionary<string, string> errors)
    {
        if (write.Row.GetValueOrDefault("enddate") is null)
        {
            errors.TryAdd("enddate", "is required");
        }
    }

    /// <summary>
    /// Takes the partner's period-lock key exclusively (PostgreSQL) before this write locks anything else (the users it
    /// references are locked by the reference check, after this): waiting for the worktime and absence writers under
    /// way while holding only the lock row keeps every wait one-directional, so no deadlock is possible.
    /// </summary>
    public override async Task<ApiError?> AuthorizeAsync(FormWrite write, CancellationToken ct)
    {
        await PeriodLocks.EnterExclusiveAsync(database.Dialect, write.Connection, write.Transaction, write.Caller.PartnerId, ct);
        return null;
    }

    /// <summary>
    /// Stamps what the lock now covers and unstamps what it no longer does, looking only at the days that can change:
    /// after the last date the partner's other partner-wide locks keep locked, and — when the lock only grew — after
    /// what it covered before (a new month's lock stamps one month of rows, whatever the history behind it).
    /// </summary>
    public override async Task WrittenAsync(FormWrite write, CancellationToken ct)
    {
        var before = Scope(write.Existing is { IsRemoved: false } existing ? (existing["enddate"] as string, existing["user"] as long?) : null);
        var after = Scope(write.NewStatus == StoredRow.Normal ? (write.Row.GetValueOrDefault("enddate") as string, write.Row.GetValueOrDefault("user") as long?) : null);
        if (before == after)
        {
            return; // a description changed, or nothing
        }
        var partner = write.Caller.PartnerId; // its key is held since AuthorizeAsync
        var others = await PeriodLocks.PartnerWideThroughAsync(write.Connection, write.Transaction, partner, write.Id, ct);
        var forms = registry.All.Where(f => f.PeriodLock is not null).ToList();
        if (before is { } old && !(after is { } now && Covers(now, old)))
        {
            // Rows up to what the lock still covers of the same users stay stamped.
            var from = Later(others, after is { } still && (still.User is null || still.User == old.User) ? still.Through : null);
            foreach (var form in forms.Where(_ => from is null || string.CompareOrdinal(from, old.Through) < 0))
            {
                await PeriodLocks.UnlockRowsAsync(database.Dialect, write.Connection, write.Transaction, form, partner, Users(old), from, old.Through, write.Now, ct);
            }
        }
        if (after is { } next)
        {
            // Rows up to what the lock covered before, of the same users, are stamped already.
            var from = Later(others, before is { } was && (was.User is null || was.User == next.User) ? was.Through : null);
            foreach (var form in forms.Where(_ => from is null || string.CompareOrdinal(from, next.Through) < 0))
            {
                await PeriodLocks.LockRowsAsync(database.Dialect, write.Connection, write.Transaction, form, partner, Users(next), from, next.Through, write.Now, ct);
            }
        }
    }

    public override Task AfterCommitAsync(FormWrite write, CancellationToken ct)
    {
        var action = write.Existing switch
        {
            null => "created",
            { IsRemoved: true } when write.NewStatus == StoredRow.Normal => "restored",
            _ when write.NewStatus == StoredRow.Removed => "removed",
            _ => "updated",
        };
        var user = write.Row.GetValueOrDefault("user") is long id ? id.ToString(CultureInfo.InvariantCulture) : "everyone";
        var detail = string.Create(CultureInfo.InvariantCulture,
            $"periodlock {write.Id} {action}: enddate {write.Row.GetValueOrDefault("enddate")}, user {user}");
        return audit.WriteAsync(AuditEvents.PeriodLock, write.Caller.PartnerId, write.Caller.UserId, write.Caller.Username, detail: detail, ct: ct);
    }

    /// <summary>What one state of the lock closes: nothing (removed, or no date), or the days through a date of one user or everyone.</summary>
    private static LockScope? Scope((string? Through, long? User)? state) =>
        state is { Through: { } through } ? new LockScope(through, state.Value.User) : null;

    /// <summary>True when <paramref name="wide"/> covers every row <paramref name="narrow"/> covers.</summary>
    private static bool Covers(LockScope wide, LockScope narrow) =>
        (wide.User is null || wide.User == narrow.User) && string.CompareOrdinal(wide.Through, narrow.Through) >= 0;

    private static IReadOnlyCollection<long>? Users(LockScope scope) => scope.User is { } user ? [user] : null;

    private static string? Later(string? a, string? b) => a is null ? b : b is null || string.CompareOrdinal(a, b) >= 0 ? a : b;

    /// <summary>The rows one state of a lock closes: dated through <see cref="Through"/>, of <see cref="User"/> (null: everyone).</summary>
    private sealed record LockScope(string Through, long? User);
}
