using Worktime.Api.Forms.Definitions;

namespace Worktime.Api.Forms.Hooks;

/// <summary>
/// The <c>wagetype</c> form (docs/exports.md, "Payroll CSV"): a wage type names at most the one thing its kind maps —
/// a worktype for hours worked, an absence type for absences, nothing for overtime — so a mapping can never read as
/// meaning two things.
/// </summary>
internal sealed class WagetypeHooks : FormHooks
{
    public override string FormName => "wagetype";

    public override void Complete(FormWrite write, Dictionary<string, string> errors)
    {
        var kind = write.Row.GetValueOrDefault("kind") as string ?? WageKinds.Worked;
        if (kind != WageKinds.Worked && write.Row.GetValueOrDefault("worktype") is not null)
        {
            errors.TryAdd("worktype", $"is only for kind {WageKinds.Worked}");
        }
        if (kind != WageKinds.Absence && write.Row.GetValueOrDefault("abcensetype") is not null)
        {
            errors.TryAdd("abcensetype", $"is only for kind {WageKinds.Absence}");
        }
    }
}
