using System.Globalization;

namespace Worktime.Api.TimeAccounting;

/// <summary>An <c>abcense</c> row with what the balance needs of its type (<c>type</c> days/hours/both, <c>paid</c>).</summary>
internal sealed record AbsenceRecord(
    long Id, long User, long? Type, DateOnly Start, DateOnly? End, string? StartTime, string? EndTime, double? Hours,
    string? TypeMode, bool Paid)
{
    public DateOnly LastDay => End is { } end && end > Start ? end : Start;

    /// <summary>When the row was last written (<c>row_info.modified</c>, else <c>created</c>): a calendar event's DTSTAMP.</summary>
    public string? Revised { get; init; }

    /// <summary>
    /// Hour-based: its type says <c>hours</c>, or (type <c>both</c> or none) it gives hours or a start and end time.
    /// A <c>days</c> type is always day-based, whatever else the row carries.
    /// </summary>
    public bool IsHourBased => TypeMode switch
    {
        "hours" => true,
        "days" => false,
        _ => Hours is > 0 || (StartTime is not null && EndTime is not null),
    };

    /// <summary>An hour-based absence's own length: its hours, else end − start (wrapping past midnight).</summary>
    public long OwnMinutes()
    {
        if (Hours is > 0 and var hours)
        {
            // Exact decimal arithmetic: 0.1 h is 6 minutes, never 5.999…; a value beyond decimal's range is an overflow.
            return (long)Math.Round(checked((decimal)hours * 60), MidpointRounding.AwayFromZero);
        }
        if (ParseTime(StartTime) is { } start && ParseTime(EndTime) is { } end)
        {
            var minutes = end - start;
            return minutes < 0 ? minutes + 24 * 60 : minutes;
        }
        return 0;
    }

    private static long? ParseTime(string? text) =>
        text is not null && TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            ? time.Hour * 60 + time.Minute
            : null;
}

/// <summary>One calendar day of an absence: the minutes it accounts for that day.</summary>
internal readonly record struct AbsenceDay(AbsenceRecord Absence, DateOnly Date, long Minutes);

/// <summary>
/// Cuts absences into calendar days (docs/time-accounting.md): a day-based absence counts each day's expected
/// minutes (0 on a day off), an hour-based one its own length on its start day and 0 on its other days.
/// </summary>
internal static class AbsenceSplitter
{
    public static IEnumerable<AbsenceDay> Split(AbsenceRecord absence, DateOnly from, DateOnly to, Func<DateOnly, long> expected)
    {
        var first = absence.Start > from ? absence.Start : from;
        var last = absence.LastDay < to ? absence.LastDay : to;
        var hourBased = absence.IsHourBased;
        // Counted by day number, so a range ending on 9999-12-31 never steps past the calendar's last day.
        for (var n = first.DayNumber; n <= last.DayNumber; n++)
        {
            var day = DateOnly.FromDayNumber(n);
            var minutes = hourBased ? (day == absence.Start ? absence.OwnMinutes() : 0) : expected(day);
            yield return new AbsenceDay(absence, day, minutes);
        }
    }

    /// <summary>
    /// The sum of <see cref="Split"/>'s minutes over [from, to] without a walk over the days: an hour-based absence's
    /// own length if its start day is in the range, a day-based one the calendar's expected total over the overlap.
    /// </summary>
    public static long Total(AbsenceRecord absence, DateOnly from, DateOnly to, UserCalendar calendar)
    {
        var first = absence.Start > from ? absence.Start : from;
        var last = absence.LastDay < to ? absence.LastDay : to;
        if (last < first)
        {
            return 0;
        }
        if (absence.IsHourBased)
        {
            return absence.Start >= from && absence.Start <= to ? absence.OwnMinutes() : 0;
        }
        return calendar.ExpectedTotal(first, last);
    }
}
