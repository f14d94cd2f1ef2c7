using System.Globalization;

namespace Worktime.Api.Forms.Hooks;

/// <summary><c>work_hours</c> = endtime − starttime − pause (a shift past midnight wraps), stored as minutes.</summary>
internal sealed class WorktimeHooks : FormHooks
{
    public override string FormName => "worktime";

    public override void Complete(FormWrite write, Dictionary<string, string> errors)
    {
        var row = write.Row;
        if (row.GetValueOrDefault("starttime") is not string start || row.GetValueOrDefault("endtime") is not string end)
        {
            row["work_hours"] = null;
            return;
        }
        var minutes = Minutes(end) - Minutes(start);
        if (minutes < 0)
        {
            minutes += 24 * 60;
        }
        minutes -= row.GetValueOrDefault("pause") as long? ?? 0;
        if (minutes < 0)
        {
            errors["pause"] = "is longer than the time between starttime and endtime";
        }
        row["work_hours"] = Math.Max(minutes, 0);
    }

    private static long Minutes(string time) =>
        int.Parse(time[..2], CultureInfo.InvariantCulture) * 60 + int.Parse(time[3..], CultureInfo.InvariantCulture);
}
