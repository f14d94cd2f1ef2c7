using System.Globalization;

namespace Worktime.Api.Accounts;

/// <summary>
/// A partner's <c>second_factor_levels</c> (docs/auth.md, "A policy per company"): the user levels (1–5) that must have
/// a second factor, stored as ascending comma-separated numbers (<c>"4,5"</c>; empty for none).
/// </summary>
internal static class SecondFactorLevels
{
    public const long Lowest = 1;
    public const long Highest = 5;

    public static IReadOnlyList<long> Parse(string? stored) =>
        string.IsNullOrEmpty(stored)
            ? []
            : stored.Split(',').Select(part => long.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var level) ? level : 0)
                .Where(level => level is >= Lowest and <= Highest).Distinct().Order().ToList();

    public static string Format(IEnumerable<long> levels) =>
        string.Join(',', levels.Where(level => level is >= Lowest and <= Highest).Distinct().Order()
            .Select(level => level.ToString(CultureInfo.InvariantCulture)));

    public static bool Lists(string? stored, long level) => Parse(stored).Contains(level);
}
