using System.Globalization;
using Worktime.Api.Accounts;
using Worktime.Api.Http;

namespace Worktime.Api.Forms.Hooks;

/// <summary>
/// The rules every input of someone's hour balance shares (docs/time-accounting.md, "Who writes the balance's
/// inputs"): below level 5 nobody writes one for themselves — a second person books it — and every write is audited
/// with who, what, whose and the values stored after the write.
/// </summary>
internal static class BalanceInputs
{
    /// <summary>The level that may book balance inputs for themselves (the partner's administrators).</summary>
    public const int OwnInputsLevel = 5;

    /// <summary>403 when a caller below level 5 writes a balance input whose <c>user</c> is the caller.</summary>
    public static ApiError? Authorize(FormWrite write)
    {
        var user = write.Row.GetValueOrDefault("user") as long? ?? write.Existing?.Long("user");
        return user == write.Caller.UserId && write.Caller.UserLevel < OwnInputsLevel
            ? ApiError.Forbidden($"A {write.Form.Name} of your own balance is written by someone else (below level {OwnInputsLevel}).")
            : null;
    }

    /// <summary>created, updated, removed or restored.</summary>
    public static string Action(FormWrite write) => write.Existing switch
    {
        null => "created",
        { IsRemoved: true } when write.NewStatus == StoredRow.Normal => "restored",
        _ when write.NewStatus == StoredRow.Removed => "removed",
        _ => "updated",
    };

    /// <summary>One audit record: "<c>form id action: field value, …</c>" with the values as stored after the write.</summary>
    public static Task AuditAsync(AuditLog audit, FormWrite write, IEnumerable<string> fields, CancellationToken ct)
    {
        var values = string.Join(", ", fields.Select(f => string.Create(CultureInfo.InvariantCulture, $"{f} {write.Row.GetValueOrDefault(f)}")));
        var detail = string.Create(CultureInfo.InvariantCulture, $"{write.Form.Name} {write.Id} {Action(write)}: {values}");
        return audit.WriteAsync(AuditEvents.BalanceInput, write.Caller.PartnerId, write.Caller.UserId, write.Caller.Username, detail: detail, ct: ct);
    }
}

/// <summary>Employments decide whose schedule applies from when: a balance input (<see cref="BalanceInputs"/>).</summary>
internal sealed class EmploymentHooks(AuditLog audit) : FormHooks
{
    public override string FormName => "employment";

    public override ApiError? Authorize(FormWrite write) => BalanceInputs.Authorize(write);

    public override Task AfterCommitAsync(FormWrite write, CancellationToken ct) =>
        BalanceInputs.AuditAsync(audit, write, ["user", "worktimegroup", "valid_from", "percent"], ct);
}
