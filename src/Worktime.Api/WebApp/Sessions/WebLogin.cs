using Microsoft.Extensions.Options;
using Worktime.Api.Accounts;
using Worktime.Api.Auth;
using Worktime.Api.TwoFactor;

namespace Worktime.Api.WebApp.Sessions;

/// <summary>Why a login on the page did not let the person in; the page words it in the person's language.</summary>
internal enum LoginRefusal
{
    None,
    WrongCredentials,
    InvalidInput,
    Throttled,
    Busy,
    CookiesWouldBeDropped,
    PasskeyRefused,
    PasskeyAloneNotAllowed,
}

internal sealed record LoginAttempt(LoginRefusal Refusal, string? Detail = null, TimeSpan? RetryAfter = null);

/// <summary>
/// The web app's login and logout (docs/webapp.md, "Sessions"). The password is checked by <see cref="PasswordCheck"/>,
/// the very code behind <c>POST /login</c> (same rules, throttle, hashing slots, audit). A login is a list of steps:
/// today the password is the only one, and <see cref="StartSessionAsync"/> runs after the last; a second factor is
/// a step between the two (its page asks for the code, then calls <see cref="StartSessionAsync"/>).
/// </summary>
internal sealed class WebLogin(PasswordCheck check, Passkeys passkeys, WebSessionStore sessions, WebCookies cookies, IOptions<WebAppOptions> options)
{
    public async Task<(LoginAttempt Attempt, LoginUser? User)> CheckPasswordAsync(HttpContext http, string? username, string? password,
        CancellationToken ct)
    {
        if (CookiesWouldBeDropped(http) is { } dropped)
        {
            return (dropped, null);
        }
        var result = await check.CheckAsync(http, username, password, WebSessionAuthentication.ClientId, ct);
        var attempt = result switch
        {
            { User: not null } => new LoginAttempt(LoginRefusal.None),
            { InvalidRequest: { } message } => new LoginAttempt(LoginRefusal.InvalidInput, message),
            { ThrottledFor: { } wait } => new LoginAttempt(LoginRefusal.Throttled, RetryAfter: wait),
            { Busy: true } => new LoginAttempt(LoginRefusal.Busy),
            _ => new LoginAttempt(LoginRefusal.WrongCredentials),
        };
        return (attempt, result.User);
    }

    /// <summary>
    /// The first step with a passkey alone instead of the password (docs/auth.md, "Passkeys"): the same check of the
    /// cookie as the password's comes first, so a sign-in whose session cookie the browser would drop spends nothing.
    /// </summary>
    public async Task<(LoginAttempt Attempt, LoginUser? User)> CheckPasskeyAloneAsync(HttpContext http, string? ceremony, string? credential,
        CancellationToken ct)
    {
        if (CookiesWouldBeDropped(http) is { } dropped)
        {
            return (dropped, null);
        }
        var outcome = await passkeys.FinishAssertionAsync(http, null, ceremony, credential, WebSessionAuthentication.ClientId, ct);
        var attempt = outcome.Refusal switch
        {
            PasskeyRefusal.None => new LoginAttempt(LoginRefusal.None),
            PasskeyRefusal.Throttled => new LoginAttempt(LoginRefusal.Throttled, RetryAfter: outcome.RetryAfter),
            PasskeyRefusal.NotAllowed => new LoginAttempt(LoginRefusal.PasskeyAloneNotAllowed),
            _ => new LoginAttempt(LoginRefusal.PasskeyRefused),
        };
        return (attempt, outcome.User);
    }

    /// <summary>The browser would drop a Secure session cookie from this plain-http request (<see cref="WebCookies.WillBeKept"/>): every first step refuses alike.</summary>
    private LoginAttempt? CookiesWouldBeDropped(HttpContext http) =>
        cookies.WillBeKept(http.Request) ? null : new LoginAttempt(LoginRefusal.CookiesWouldBeDropped);

    /// <summary>Every step passed: the session starts and its cookie is set on this answer.</summary>
    public async Task StartSessionAsync(HttpContext http, LoginUser user, CancellationToken ct)
    {
        var lifetime = options.Value.SessionLifetime;
        var token = await sessions.StartAsync(user, lifetime, ct);
        http.Response.Cookies.Append(cookies.Session, token, cookies.Options(lifetime));
    }

    /// <summary>Ends this browser's session in the database (on every node at once) and drops its cookie.</summary>
    public async Task LogOutAsync(HttpContext http, CancellationToken ct)
    {
        if (http.Request.Cookies.TryGetValue(cookies.Session, out var token) && !string.IsNullOrEmpty(token))
        {
            await sessions.EndAsync(token, ct);
        }
        http.Response.Cookies.Delete(cookies.Session, cookies.Options(null));
    }
}
