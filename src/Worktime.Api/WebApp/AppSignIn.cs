using Worktime.Api.OAuth;

namespace Worktime.Api.WebApp;

/// <summary>
/// The web app's part in sign-in for other apps (docs/auth.md): where an authorization in progress may send the browser.
/// The pages' Content-Security-Policy allows forms to post only to this server (<c>form-action 'self'</c>), and
/// browsers apply that to the redirects after a form too, so the consent page (and a login that continues an
/// authorization) allows the one registered redirect URI of the request as well — and nothing else.
/// </summary>
internal static class AppSignIn
{
    /// <summary>The pages' policy with <c>form-action</c> widened to the origin (or private-use scheme) of <paramref name="redirectUri"/>.</summary>
    public static void AllowFormTarget(HttpContext http, string redirectUri)
    {
        if (!Uri.TryCreate(redirectUri, UriKind.Absolute, out var target))
        {
            return;
        }
        // Built from the parsed parts, never the registered text itself: nothing in it can end the directive.
        var source = target.Scheme is "http" or "https" ? target.GetLeftPart(UriPartial.Authority) : target.Scheme + ":";
        http.Response.Headers.ContentSecurityPolicy = WebAppHeaders.ContentSecurityPolicy.Replace(
            "form-action 'self'", "form-action 'self' " + source, StringComparison.Ordinal);
    }

    /// <summary>
    /// On the login page: when it will return to <c>/authorize</c> with a valid request, its form may end at that
    /// request's redirect URI (login, then the authorization answering at once for a first-party app).
    /// </summary>
    public static async Task AllowReturnTargetAsync(HttpContext http, AuthorizationRequests requests, string returnPath, CancellationToken ct)
    {
        if (!returnPath.StartsWith(OAuthPaths.Authorize + "?", StringComparison.Ordinal))
        {
            return;
        }
        if (await requests.CheckAsync(returnPath[OAuthPaths.Authorize.Length..], ct) is AuthorizationCheck.Valid valid)
        {
            AllowFormTarget(http, valid.Request.RedirectUri);
        }
    }
}
