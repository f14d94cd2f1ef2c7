using System.Globalization;

namespace Worktime.Api.WebApp.Localization;

/// <summary>How the pages write numbers and dates for a person, in the request's language (docs/webapp.md).</summary>
internal static class Formats
{
    /// <summary>A duration as <c>h:mm</c> (<c>7:30</c>, <c>-0:45</c>, <c>12:05</c>) in every language.</summary>
    public static string Duration(long minutes)
    {
        var sign = minutes < 0 ? "-" : "";
        var abs = Math.Abs(minutes);
        return string.Create(CultureInfo.InvariantCulture, $"{sign}{abs / 60}:{abs % 60:00}");
    }

    /// <summary>A signed balance: <c>+1:30</c>, <c>-0:45</c>, <c>0:00</c>.</summary>
    public static string Balance(long minutes) => minutes > 0 ? "+" + Duration(minutes) : Duration(minutes);

    public static string Date(DateOnly date) => date.ToString("d", CultureInfo.CurrentCulture);

    /// <summary>Weekday and date, e.g. "Mon 07/12/2026" / "ma 7.12.2026".</summary>
    public static string DayHeading(DateOnly date) =>
        date.ToString("ddd", CultureInfo.CurrentCulture) + " " + Date(date);

    /// <summary>A clock time stored as <c>HH:MM</c>, written the language's way (14:30, 14.30).</summary>
    public static string Time(string? stored) =>
        TimeOnly.TryParseExact(stored, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)
            ? t.ToString("t", CultureInfo.CurrentCulture)
            : "";

    public static string Decimal(double value, int decimals = 2) => value.ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.CurrentCulture);

    /// <summary>ISO date for form values and links (never shown as text).</summary>
    public static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static DateOnly? ParseIso(string? text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
}
