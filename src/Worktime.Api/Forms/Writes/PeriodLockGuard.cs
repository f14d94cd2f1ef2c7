using Worktime.Api.Auth;
using Worktime.Api.Forms.Access;
using Worktime.Api.Forms.Definitions;
using Worktime.Api.Forms.Storage;
using Worktime.Api.Http;

namespace Worktime.Api.Forms.Writes;

/// <summary>
/// A period lock closes a row to everyone, whatever their level (docs/forms.md, "Period locks"): creating, editing,
/// removing or restoring a row that a lock covers — as it is stored, or as the write would store it — is a 409
/// <c>period_locked</c>. To correct a locked row a manager removes (or moves) the lock, which is audited.
/// </summary>
internal static class PeriodLockGuard
{
    /// <summary>
    /// The stored row is covered: 409 for a caller who may read it; a caller who may not read it learns no more
    /// than before (403, as for any row of a colleague).
    /// </summary>
    public static ApiError? Refuse(FormDefinition form, CurrentUser caller, StoredRow existing, PeriodLockSet locks)
    {
        if (form.PeriodLock is not { } rule || locks.IsEmpty || !locks.Covers(rule, f => existing[f]))
        {
            return null;
        }
        return FormPrivileges.CanRead(form, caller, existing)
            ? Locked(form, locks.LockedThrough(existing[rule.UserField] as long?)!)
            : ApiError.Forbidden($"You may not change this {form.Name}.");
    }

    /// <summary>The row as the write would store it is covered (a new row, or one moved into a locked period).</summary>
    public static ApiError? RefuseStored(FormDefinition form, IReadOnlyDictionary<string, object?> row, PeriodLockSet locks) =>
        form.PeriodLock is { } rule && !locks.IsEmpty && locks.Covers(rule, row.GetValueOrDefault)
            ? Locked(form, locks.LockedThrough(row.GetValueOrDefault(rule.UserField) as long?)!)
            : null;

    private static ApiError Locked(FormDefinition form, string through) => new(409, "period_locked",
        $"The period through {through} is locked for this {form.Name}'s user; a manager removes or moves the period lock to correct it.");
}
