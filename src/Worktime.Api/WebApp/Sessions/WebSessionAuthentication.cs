using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Worktime.Api.Auth;

namespace Worktime.Api.WebApp.Sessions;

/// <summary>
/// The web app's authentication scheme: the session cookie, looked up in <see cref="WebSessionStore"/>, and the user
/// still active at the session's <c>security_version</c> — the same <see cref="UserAccessCache"/> check a bearer
/// token passes, so a password, level or status change or a removal ends the session on every node within the bound
/// of docs/auth.md. It makes the same claims as an access token, so <see cref="CurrentUser"/> and every service
/// behind the API see the page's user exactly as they see a token's. Only the web app's pages use this scheme:
/// the API never reads the cookie (no cross-site request can reach it with the browser's credentials).
/// </summary>
internal sealed class WebSessionAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger,
    UrlEncoder encoder, WebSessionStore sessions, UserAccessCache access, WebCookies cookies, TwoFactor.SignInPolicy policy)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "WebSession";

    /// <summary>The <c>client_id</c> claim of a page's user (access tokens carry the OAuth client's).</summary>
    public const string ClientId = "web";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Cookies.TryGetValue(cookies.Session, out var token) || string.IsNullOrEmpty(token))
        {
            return AuthenticateResult.NoResult();
        }
        var ct = Context.RequestAborted;
        var session = await sessions.FindAsync(token, ct);
        if (session is null || !await access.AllowsAsync(session.UserId, session.SecurityVersion, ct))
        {
            Response.Cookies.Delete(cookies.Session, cookies.Options(null));
            return AuthenticateResult.NoResult();
        }
        if (await policy.RequiresSetUpAsync(session.UserId, session.PartnerId, session.UserLevel, ct))
        {
            FactorSetUpGate.MarkWaiting(Context);
        }
        return AuthenticateResult.Success(new AuthenticationTicket(Principal(session), SchemeName));
    }

    /// <summary>Not logged in: to the login page, which comes back here afterwards.</summary>
    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Redirect(WebPaths.Login + "?return=" + Uri.EscapeDataString(Request.Path + Request.QueryString));
        return Task.CompletedTask;
    }

    /// <summary>
    /// Logged in, but below the page's level: a page that says so (status 403). Or the partner's policy waits for the
    /// person's second factor: to the set-up, which comes back here afterwards.
    /// </summary>
    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        if (FactorSetUpGate.Waits(Context) && !FactorSetUpGate.IsAllowedDuringSetUp(Context))
        {
            Response.Redirect(WebPaths.Profile + "?return=" + Uri.EscapeDataString(Request.Path + Request.QueryString));
            return Task.CompletedTask;
        }
        Response.Redirect(WebPaths.Forbidden);
        return Task.CompletedTask;
    }

    /// <summary>
    /// The page's user: the claims an access token would carry, and the <see cref="CurrentUser"/> taken from the
    /// session row itself, so nothing reads these claims back.
    /// </summary>
    private static CallerPrincipal Principal(WebSession session)
    {
        static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
        var identity = new ClaimsIdentity(
        [
            new Claim("sub", Text(session.UserId)),
            new Claim("userid", Text(session.UserId)),
            new Claim("partnerid", Text(session.PartnerId)),
            new Claim("userlevel", Text(session.UserLevel)),
            new Claim("username", session.Username),
            new Claim("client_id", ClientId),
        ], SchemeName, "username", null);
        return new CallerPrincipal([identity],
            new CurrentUser(session.UserId, session.PartnerId, (int)session.UserLevel, session.Username, ClientId));
    }
}
