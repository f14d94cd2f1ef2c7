using System.Globalization;

namespace Worktime.Api.Http;

/// <summary>Moments in JSON answers: UTC to the second in RFC 3339 form (<c>2026-12-07T14:30:00Z</c>).</summary>
internal static class WireTime
{
    public static string Utc(DateTimeOffset moment) =>
        moment.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>A moment stored as seconds since the Unix epoch.</summary>
    public static string FromUnixSeconds(long seconds) => Utc(DateTimeOffset.FromUnixTimeSeconds(seconds));

    public static string? FromUnixSeconds(long? seconds) => seconds is { } s ? FromUnixSeconds(s) : null;
}
