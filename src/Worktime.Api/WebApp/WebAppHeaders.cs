using Microsoft.AspNetCore.Authentication;
using Worktime.Api.Auth;
using Worktime.Api.WebApp.Sessions;

namespace Worktime.Api.WebApp;

/// <summary>
/// What every answer of the web app carries (docs/webapp.md, docs/security.md): a Content-Security-Policy that allows
/// only our own scripts, styles and images (no inline script, no eval, no plugins, no framing, forms only to us),
/// <c>nosniff</c>, a same-origin referrer, and no caching of pages (they show a person's data; the fingerprinted
/// assets set their own <c>immutable</c> caching). It also makes the page's user the request's user before
/// antiforgery runs, so a form is checked against the person it was made for.
/// </summary>
internal static class WebAppHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
        "form-action 'self'; base-uri 'self'; frame-ancestors 'none'; object-src 'none'";

    public static bool IsWebAppPath(PathString path) =>
        IsPage(path) || path.StartsWithSegments("/_framework", StringComparison.OrdinalIgnoreCase) || path == "/";

    /// <summary>The pages that know the browser's session: <c>/app/…</c> and the authorization endpoint, a page of the web app (docs/auth.md).</summary>
    public static bool IsPage(PathString path) =>
        path.StartsWithSegments(WebPaths.Root, StringComparison.OrdinalIgnoreCase)
        || path.Equals(OAuth.OAuthPaths.Authorize, StringComparison.OrdinalIgnoreCase);

    public static IApplicationBuilder UseWebAppHeaders(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (!IsWebAppPath(context.Request.Path))
            {
                await next(context);
                return;
            }
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "same-origin";
            headers.Remove("Access-Control-Allow-Origin"); // pages are not an API: no cross-origin reads
            context.Response.OnStarting(() =>
            {
                if (!headers.ContainsKey("Cache-Control"))
                {
                    headers.CacheControl = "no-store";
                }
                return Task.CompletedTask;
            });
            if (CurrentUser.Of(context) is null && IsPage(context.Request.Path))
            {
                var session = await context.AuthenticateAsync(WebSessionAuthentication.SchemeName);
                if (session.Succeeded)
                {
                    context.User = session.Principal;
                }
            }
            await next(context);
        });
}
