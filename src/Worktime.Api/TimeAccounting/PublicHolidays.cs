using System.Collections.Concurrent;
using PublicHoliday;

namespace Worktime.Api.TimeAccounting;

/// <summary>
/// National public holidays from the <c>PublicHoliday</c> library (NuGet, MIT) by ISO 3166 alpha-2 code, with
/// the names the library gives (the country's own language where it has them: <c>Loppiainen</c> in Finland). A country the library does not know has no public
/// holidays — never an error (docs/time-accounting.md). Results are cached per country and year: they never change.
/// </summary>
internal static class PublicHolidays
{
    private static readonly IReadOnlyDictionary<DateOnly, string> None = new Dictionary<DateOnly, string>();

    private static readonly ConcurrentDictionary<(string Country, int Year), IReadOnlyDictionary<DateOnly, string>> Cache = new();

    /// <summary>The first year with public holidays: the library knows today's rules, not their history.</summary>
    public const int FirstYear = 1900;

    /// <summary>
    /// The last year with public holidays. Outside [<see cref="FirstYear"/>, <see cref="LastYear"/>] the weekdays alone
    /// apply, so a balance up to 9999-12-31 computes holidays for at most these years (docs/time-accounting.md).
    /// </summary>
    public const int LastYear = 2199;

    /// <summary>Holidays of <paramref name="country"/> (lower-case alpha-2) in <paramref name="year"/>, by observed date.</summary>
    public static IReadOnlyDictionary<DateOnly, string> Of(string? country, int year)
    {
        if (country is null || country.Length != 2 || year is < FirstYear or > LastYear)
        {
            return None;
        }
        // Only the window's years are cached, so the cache is bounded by countries × 300 years.
        return Cache.GetOrAdd((country, year), key => Compute(key.Country, key.Year));
    }

    public static bool IsKnown(string country) => Calendar(country) is not null;

    private static IReadOnlyDictionary<DateOnly, string> Compute(string country, int year)
    {
        if (Calendar(country) is not { } calendar)
        {
            return None;
        }
        try
        {
            var holidays = new Dictionary<DateOnly, string>();
            foreach (var (date, name) in calendar.PublicHolidayNames(year).OrderBy(h => h.Key))
            {
                holidays.TryAdd(DateOnly.FromDateTime(date), string.IsNullOrWhiteSpace(name) ? "Public holiday" : name);
            }
            return holidays;
        }
        catch (ArgumentException)
        {
            return None; // a year the library cannot compute (far past or future): no holidays rather than an error
        }
    }

    private static IPublicHolidays? Calendar(string country)
    {
        // "uk" is what people write for the United Kingdom; ISO 3166 says "gb".
        var code = country.Equals("uk", StringComparison.OrdinalIgnoreCase) ? "gb" : country;
        try
        {
            return PublicHolidayFactory.GetPublicHolidayForCountry(code.ToUpperInvariant());
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
