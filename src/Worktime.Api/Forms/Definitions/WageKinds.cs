namespace Worktime.Api.Forms.Definitions;

/// <summary>The kinds of hours a payroll wage type maps (docs/exports.md, "Payroll CSV").</summary>
internal static class WageKinds
{
    /// <summary>Hours worked, per worktype.</summary>
    public const string Worked = "worked";

    /// <summary>Minutes worked beyond each day's expected minutes (all of a day off's).</summary>
    public const string Overtime = "overtime";

    /// <summary>Absence minutes, per absence type.</summary>
    public const string Absence = "absence";
}
