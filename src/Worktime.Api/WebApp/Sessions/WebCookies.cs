using Microsoft.Extensions.Options;

namespace Worktime.Api.WebApp.Sessions;

/// <summary>
/// The names and attributes of the web app's cookies (docs/webapp.md, "Sessions"): <c>HttpOnly</c>,
/// <c>SameSite=Strict</c>, <c>Path=/</c>, and <c>Secure</c> with the <c>__Host-</c> prefix — unless
/// <c>WebApp:InsecureHttpCookies</c> is set for plain http at another host name.
/// </summary>
internal sealed class WebCookies(IOptions<WebAppOptions> options)
{
    private bool Insecure => options.Value.InsecureHttpCookies;

    private string Prefix => Insecure ? "" : "__Host-";

    public string Session => Prefix + "worktime-session";

    public string Antiforgery => Prefix + "worktime-af";

    public string Language => Prefix + "worktime-lang";

    /// <summary>Who passed the password step and still owes the second (minutes; <see cref="SecondStep"/>).</summary>
    public string SecondStep => Prefix + "worktime-2fa";

    public CookieOptions Options(TimeSpan? maxAge) => new()
    {
        HttpOnly = true,
        Secure = !Insecure,
        SameSite = SameSiteMode.Strict,
        Path = "/",
        MaxAge = maxAge,
        IsEssential = true,
    };

    /// <summary>
    /// True when the browser will keep a Secure cookie from this request: https, or a loopback host (browsers treat
    /// http://localhost and http://127.0.0.1 as secure contexts), or the operator chose insecure cookies.
    /// </summary>
    public bool WillBeKept(HttpRequest request)
    {
        if (Insecure || request.IsHttps)
        {
            return true;
        }
        var host = request.Host.Host;
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
            || (System.Net.IPAddress.TryParse(host.Trim('[', ']'), out var ip) && System.Net.IPAddress.IsLoopback(ip));
    }
}

/// <summary>
/// The antiforgery cookie with the same attributes as the session cookie. The antiforgery system refuses its own
/// "always Secure" setting on a plain-http request, yet browsers keep Secure cookies from http://localhost and
/// http://127.0.0.1; so the Secure flag is set here, as the cookie is built, instead.
/// </summary>
internal sealed class AntiforgeryCookie(WebCookies cookies) : CookieBuilder
{
    public override CookieOptions Build(HttpContext context, DateTimeOffset expiresFrom)
    {
        var built = base.Build(context, expiresFrom);
        var wanted = cookies.Options(null);
        built.Secure = wanted.Secure;
        built.HttpOnly = true;
        built.SameSite = SameSiteMode.Strict;
        built.Path = "/";
        return built;
    }
}
