using System.Globalization;
using Worktime.Api.WebApp.Localization;

namespace Worktime.Api.WebApp.Supervisor;

/// <summary>
/// The period the team page shows: a calendar month (<c>?month=YYYY-MM</c>) or an ISO week, Monday to Sunday
/// (<c>?week=YYYY-MM-DD</c>, any day of it). <see cref="From"/>–<see cref="To"/> is the whole period: what "accept"
/// and "lock" act on. The numbers are counted up to <see cref="CountedTo"/> (docs/webapp.md, "Team").
/// </summary>
internal sealed record TeamPeriod(DateOnly From, DateOnly To, bool IsWeek)
{
    public static TeamPeriod Month(int year, int month) =>
        new(new DateOnly(year, month, 1), new DateOnly(year, month, 1).AddMonths(1).AddDays(-1), false);

    public static TeamPeriod WeekOf(DateOnly day)
    {
        var monday = day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
        return new(monday, monday.AddDays(6), true);
    }

    /// <summary>The period a query names: a week when <paramref name="week"/> is a date, else the month, else this month.</summary>
    public static TeamPeriod Parse(string? month, string? week, DateOnly today)
    {
        if (Formats.ParseIso(week) is { } day)
        {
            return WeekOf(day);
        }
        return DateOnly.TryParseExact(month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var first)
            ? Month(first.Year, first.Month)
            : Month(today.Year, today.Month);
    }

    /// <summary>
    /// The last day the numbers count: the period's end, or today while the period is under way (the days still to
    /// come would show as hours missing). A period wholly in the future counts its whole plan.
    /// </summary>
    public DateOnly CountedTo(DateOnly today) => From <= today && today < To ? today : To;

    public TeamPeriod Previous => IsWeek ? WeekOf(From.AddDays(-7)) : Month(From.AddMonths(-1).Year, From.AddMonths(-1).Month);

    public TeamPeriod Next => IsWeek ? WeekOf(From.AddDays(7)) : Month(From.AddMonths(1).Year, From.AddMonths(1).Month);

    /// <summary>The period as the API's date range <c>from_to</c>.</summary>
    public string Range => Formats.Iso(From) + "_" + Formats.Iso(To);

    /// <summary>The query string of the team page showing this period.</summary>
    public string Query => IsWeek
        ? "week=" + Formats.Iso(From)
        : "month=" + From.ToString("yyyy-MM", CultureInfo.InvariantCulture);
}
