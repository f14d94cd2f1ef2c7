namespace Worktime.Api.TimeAccounting;

/// <summary>A worktime group's weekly schedule: expected minutes Monday (index 0) … Sunday (6), and its country.</summary>
internal sealed record GroupSchedule(long Id, string? Country, IReadOnlyList<long> WeekdayMinutes)
{
    public long Weekday(DateOnly date) => WeekdayMinutes[((int)date.DayOfWeek + 6) % 7];
}

/// <summary>A <c>workdayday</c> row: the expected minutes of one date of one group.</summary>
internal sealed record WorkdayOverride(long Id, long Group, DateOnly Date, string? Name, long Minutes);

/// <summary>One date of a group's calendar: what the weekday expects, what the date expects, and why they differ.</summary>
internal readonly record struct CalendarDay(DateOnly Date, long WeekdayMinutes, long ExpectedMinutes, string? Name, long? WorkdaydayId, bool PublicHoliday);

/// <summary>
/// A group's calendar over a range: a <c>workdayday</c> overrides everything on its date; otherwise a public holiday
/// of the group's country expects 0; otherwise the weekday's minutes (docs/time-accounting.md).
/// </summary>
internal sealed class GroupCalendar(GroupSchedule schedule, IReadOnlyDictionary<DateOnly, WorkdayOverride> overrides)
{
    private readonly Dictionary<int, IReadOnlyDictionary<DateOnly, string>> _holidays = [];

    public GroupSchedule Schedule { get; } = schedule;

    public CalendarDay Day(DateOnly date)
    {
        var weekday = Schedule.Weekday(date);
        var holiday = Holidays(date.Year).GetValueOrDefault(date);
        if (overrides.TryGetValue(date, out var own))
        {
            return new CalendarDay(date, weekday, own.Minutes, own.Name ?? holiday, own.Id, holiday is not null);
        }
        return holiday is not null
            ? new CalendarDay(date, weekday, 0, holiday, null, true)
            : new CalendarDay(date, weekday, weekday, null, null, false);
    }

    private IReadOnlyDictionary<DateOnly, string> Holidays(int year)
    {
        if (!_holidays.TryGetValue(year, out var holidays))
        {
            _holidays[year] = holidays = PublicHolidays.Of(Schedule.Country, year);
        }
        return holidays;
    }
}

/// <summary>An <c>employment</c> row: from <see cref="ValidFrom"/> on, the user follows <see cref="Group"/> at <see cref="Percent"/>.</summary>
internal sealed record EmploymentPeriod(long Id, long User, long Group, DateOnly ValidFrom, double Percent);

/// <summary>
/// The expected minutes of one user's days: the employment in effect that day (the latest <c>valid_from</c> on or
/// before it; the higher id on the same date) scaled by its percent, else the user's own worktime group, else nothing.
/// So changing someone's schedule from today on never rewrites an earlier day.
/// </summary>
internal sealed class UserCalendar(IReadOnlyList<EmploymentPeriod> employments, GroupCalendar? fallback, IReadOnlyDictionary<long, GroupCalendar> groups)
{
    private readonly EmploymentPeriod[] _employments = employments.OrderBy(e => e.ValidFrom).ThenBy(e => e.Id).ToArray();

    /// <summary>The day of the group calendar in effect on <paramref name="date"/> (its holiday, its name); null: no schedule.</summary>
    public CalendarDay? Day(DateOnly date)
    {
        var employment = InEffect(date);
        if (employment is null)
        {
            return fallback?.Day(date);
        }
        return groups.TryGetValue(employment.Group, out var calendar) ? calendar.Day(date) : null;
    }

    public long ExpectedMinutes(DateOnly date)
    {
        var employment = InEffect(date);
        if (employment is null)
        {
            return fallback?.Day(date).ExpectedMinutes ?? 0;
        }
        if (!groups.TryGetValue(employment.Group, out var calendar))
        {
            return 0; // a group of another partner cannot be referenced; a missing one expects nothing
        }
        return Scale(calendar.Day(date).ExpectedMinutes, employment.Percent);
    }

    /// <summary>Whole minutes, half away from zero: 50 % of 7 h 15 min is 218 min, as a payroll clerk rounds.</summary>
    public static long Scale(long minutes, double percent) =>
        (long)Math.Round(minutes * percent / 100, MidpointRounding.AwayFromZero);

    private EmploymentPeriod? InEffect(DateOnly date)
    {
        EmploymentPeriod? found = null;
        foreach (var employment in _employments)
        {
            if (employment.ValidFrom > date)
            {
                break;
            }
            found = employment;
        }
        return found;
    }
}
