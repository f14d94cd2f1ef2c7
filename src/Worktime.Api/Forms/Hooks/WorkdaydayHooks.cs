namespace Worktime.Api.Forms.Hooks;

/// <summary>
/// A group has at most one live workday day per date (unique index in 007_time_accounting.sql); a workday day changes
/// the expected minutes of everyone in its group, so every write is audited (<see cref="BalanceInputs"/>).
/// </summary>
internal sealed class WorkdaydayHooks(Accounts.AuditLog audit) : FormHooks
{
    public override string FormName => "workdayday";

    public override Task AfterCommitAsync(FormWrite write, CancellationToken ct) =>
        BalanceInputs.AuditAsync(audit, write, ["worktimegroup", "date", "name", "minutes"], ct);

    public override IReadOnlyDictionary<string, string> UniqueViolation() =>
        new Dictionary<string, string> { ["date"] = "already has a workday day in this worktime group" };
}
