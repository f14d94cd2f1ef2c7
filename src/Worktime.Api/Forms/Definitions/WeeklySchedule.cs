namespace Worktime.Api.Forms.Definitions;

/// <summary>
/// The weekly schedule of a <c>worktimegroup</c> (docs/time-accounting.md): expected minutes per weekday, Monday
/// first. Its hooks fill a new group's days from <c>daily_minutes</c>; time accounting reads them the same way.
/// </summary>
internal static class WeeklySchedule
{
    /// <summary>Expected minutes of a working day when a group names none (7 h 30 min).</summary>
    public const long DefaultDailyMinutes = 450;

    /// <summary>The weekday fields, Monday (index 0) to Sunday (6).</summary>
    public static readonly IReadOnlyList<string> WeekdayFields =
        ["minutes_mon", "minutes_tue", "minutes_wed", "minutes_thu", "minutes_fri", "minutes_sat", "minutes_sun"];

    /// <summary>What a weekday expects when its own field is unset: <paramref name="daily"/> Monday to Friday, nothing at weekends.</summary>
    public static long Default(int weekday, long? daily) => weekday < 5 ? daily ?? DefaultDailyMinutes : 0;
}
