namespace Worktime.Api.Forms.Hooks;

/// <summary>A group has at most one live workday day per date (unique index in 007_time_accounting.sql).</summary>
internal sealed class WorkdaydayHooks : FormHooks
{
    public override string FormName => "workdayday";

    public override IReadOnlyDictionary<string, string> UniqueViolation() =>
        new Dictionary<string, string> { ["date"] = "already has a workday day in this worktime group" };
}
