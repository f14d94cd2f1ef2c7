namespace Worktime.Api.TimeAccounting;

/// <summary>A worktime group's weekly schedule: expected minutes Monday (index 0) … Sunday (6), and its country.</summary>
internal sealed record GroupSchedule(long Id, string? Country, IReadOnlyList<long> WeekdayMinutes)
{
    public long Weekday(DateOnly date) => WeekdayMinutes[WeekdayIndex(date)];

    /// <summary>Monday 0 … Sunday 6.</summary>
    public static int WeekdayIndex(DateOnly date) => ((int)date.DayOfWeek + 6) % 7;
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

    /// <summary>
    /// The sum of <c>Scale(Day(d).ExpectedMinutes, percent)</c> over [first, last] without a walk over the days: whole
    /// weeks of the schedule, then the dates that differ from their weekday (workday days, public holidays). Its cost
    /// follows the years and the exceptions in the range, never its days (docs/time-accounting.md, "Bounded work").
    /// </summary>
    public long ExpectedTotal(DateOnly first, DateOnly last, decimal percent)
    {
        if (last < first)
        {
            return 0;
        }
        var days = (long)last.DayNumber - first.DayNumber + 1;
        var firstWeekday = GroupSchedule.WeekdayIndex(first);
        long total = 0;
        for (var k = 0; k < 7; k++)
        {
            // Days of weekday k in the range: one per whole week, one more if it falls in the remainder.
            var count = days / 7 + (((k - firstWeekday + 7) % 7) < days % 7 ? 1 : 0);
            total = checked(total + count * UserCalendar.Scale(Schedule.WeekdayMinutes[k], percent));
        }
        foreach (var date in Exceptions(first, last))
        {
            var day = Day(date);
            total = checked(total + UserCalendar.Scale(day.ExpectedMinutes, percent) - UserCalendar.Scale(day.WeekdayMinutes, percent));
        }
        return total;
    }

    /// <summary>The dates in [first, last] that may differ from their weekday: workday days and public holidays.</summary>
    private IEnumerable<DateOnly> Exceptions(DateOnly first, DateOnly last)
    {
        var seen = new HashSet<DateOnly>();
        foreach (var date in overrides.Keys)
        {
            if (date >= first && date <= last && seen.Add(date))
            {
                yield return date;
            }
        }
        var fromYear = Math.Max(first.Year, PublicHolidays.FirstYear);
        var toYear = Math.Min(last.Year, PublicHolidays.LastYear);
        for (var year = fromYear; year <= toYear; year++)
        {
            foreach (var date in Holidays(year).Keys)
            {
                if (date >= first && date <= last && seen.Add(date))
                {
                    yield return date;
                }
            }
        }
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
internal sealed record EmploymentPeriod(long Id, long User, long Group, DateOnly ValidFrom, decimal Percent);

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

    /// <summary>
    /// The sum of <see cref="ExpectedMinutes"/> over [first, last], computed per employment period in closed form
    /// (<see cref="GroupCalendar.ExpectedTotal"/>): the work follows the periods and exceptions, not the days.
    /// </summary>
    public long ExpectedTotal(DateOnly first, DateOnly last)
    {
        long total = 0;
        var segmentStart = first;
        // Before the first employment (or without any) the user's own group applies at 100 %.
        var index = 0;
        while (segmentStart <= last)
        {
            var next = index < _employments.Length ? _employments[index] : null;
            if (next is not null && next.ValidFrom <= segmentStart)
            {
                // The latest employment on or before segmentStart (the higher id on the same date) is in effect.
                index++;
                continue;
            }
            var inEffect = index == 0 ? null : _employments[index - 1];
            var segmentEnd = next is not null && next.ValidFrom <= last ? next.ValidFrom.AddDays(-1) : last;
            if (inEffect is null)
            {
                total = checked(total + (fallback?.ExpectedTotal(segmentStart, segmentEnd, 100m) ?? 0));
            }
            else if (groups.TryGetValue(inEffect.Group, out var calendar))
            {
                total = checked(total + calendar.ExpectedTotal(segmentStart, segmentEnd, inEffect.Percent));
            }
            if (segmentEnd >= last)
            {
                break;
            }
            segmentStart = segmentEnd.AddDays(1);
        }
        return total;
    }

    /// <summary>
    /// Whole minutes, half away from zero, in exact decimal arithmetic: 50 % of 7 h 15 min is 218 min and 75.6 % of
    /// 375 is 284 (binary floating point makes that 283.499… and rounds down).
    /// </summary>
    public static long Scale(long minutes, decimal percent) =>
        percent == 100m ? minutes : (long)Math.Round(minutes * percent / 100m, MidpointRounding.AwayFromZero);

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
