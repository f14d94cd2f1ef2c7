using Microsoft.Extensions.Options;

namespace Worktime.Api.WebApp;

/// <summary>The web app's settings (section <c>WebApp</c>, docs/configuration.md and docs/webapp.md).</summary>
internal sealed class WebAppOptions
{
    public const string Section = "WebApp";

    /// <summary>
    /// Cookies without <c>Secure</c> and without the <c>__Host-</c> prefix, for a server reached over plain http at
    /// another host name than this machine's loopback (browsers drop Secure cookies there). Off by default: https
    /// and http://localhost / 127.0.0.1 work without it.
    /// </summary>
    public bool InsecureHttpCookies { get; set; }

    /// <summary>How long a browser session lasts after the login (absolute; logging out or a security change ends it sooner).</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// The time zone of the people's clock (an IANA or Windows id, e.g. <c>Europe/Helsinki</c>): the timer's start and
    /// end and the week page's "this week". Unset: the server's own zone.
    /// </summary>
    public string? TimeZone { get; set; }
}

internal sealed class WebAppOptionsValidator : IValidateOptions<WebAppOptions>
{
    public ValidateOptionsResult Validate(string? name, WebAppOptions options)
    {
        if (options.SessionLifetime < TimeSpan.FromMinutes(5) || options.SessionLifetime > TimeSpan.FromDays(90))
        {
            return ValidateOptionsResult.Fail("WebApp:SessionLifetime must be between 00:05:00 and 90.00:00:00.");
        }
        return options.TimeZone is { Length: > 0 } zone && !TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _)
            ? ValidateOptionsResult.Fail($"WebApp:TimeZone '{zone}' is not a time zone this system knows (e.g. Europe/Helsinki).")
            : ValidateOptionsResult.Success;
    }
}
