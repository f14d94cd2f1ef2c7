using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.IdentityModel.Tokens;
using Worktime.Api.Accounts;
using Worktime.Api.OAuth;
using Worktime.Api.Tests.Infrastructure;
using Worktime.Api.WebApp.Sessions;

namespace Worktime.Api.Tests.OAuth;

/// <summary>A PKCE pair (RFC 7636 with S256) as a client library makes it.</summary>
public sealed record PkcePair(string Verifier, string Challenge)
{
    public static PkcePair New()
    {
        var verifier = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        return new PkcePair(verifier, Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
    }
}

/// <summary>
/// The authorization code flow by hand against an in-memory app (docs/auth.md): a browser session for a person (the
/// row the web app's login writes, and its cookie), <c>GET /authorize</c> without following redirects, the consent
/// form with its antiforgery token, and <c>POST /login</c>.
/// </summary>
public static partial class OAuthFlow
{
    public const string Callback = "https://app.example/callback";

    /// <summary>A registered client (through the same service <c>worktime client add</c> calls).</summary>
    public static async Task<string> RegisterAsync(WorktimeApplication app, bool firstParty, string? id = null, bool device = false,
        params string[] redirectUris)
    {
        id ??= "app-" + Guid.NewGuid().ToString("N")[..10];
        var problem = await app.Service<RegisteredClients>().AddAsync(id, "Test App " + id, redirectUris.Length == 0 ? [Callback] : redirectUris,
            firstParty, device, default);
        problem.ShouldBeNull();
        return id;
    }

    /// <summary>A person of a new partner and a browser session of theirs (the value of the session cookie).</summary>
    public static async Task<(long UserId, string Username, string SessionCookie)> PersonAsync(WorktimeApplication app, int level = 2)
    {
        var username = $"p{Guid.NewGuid():N}"[..16];
        var userId = await app.CreateUserAsync(await app.CreatePartnerAsync("OAuth Oy"), username, level);
        return (userId, username, await SessionAsync(app, userId));
    }

    public static async Task<string> SessionAsync(WorktimeApplication app, long userId)
    {
        var user = (await app.Service<UserStore>().FindByIdAsync(userId))!;
        var token = await app.Service<WebSessionStore>().StartAsync(user, TimeSpan.FromDays(1), default);
        return $"{app.Service<WebCookies>().Session}={token}";
    }

    public static HttpClient Browser(WorktimeApplication app) =>
        app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

    public static string AuthorizeQuery(string clientId, PkcePair pkce, string state = "st-123", string redirectUri = Callback,
        string method = "S256", string? scope = null)
    {
        var query = new Dictionary<string, string?>
        {
            ["response_type"] = "code",
            ["client_id"] = clientId,
            ["redirect_uri"] = redirectUri,
            ["state"] = state,
            ["code_challenge"] = pkce.Challenge,
            ["code_challenge_method"] = method,
        };
        if (scope is not null)
        {
            query["scope"] = scope;
        }
        return QueryHelpers.AddQueryString("/authorize", query);
    }

    public static async Task<HttpResponseMessage> GetAsync(HttpClient browser, string path, string? cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }
        return await browser.SendAsync(request);
    }

    /// <summary>The query of a redirect's Location as name → value (each name once).</summary>
    public static Dictionary<string, string> RedirectQuery(HttpResponseMessage response, string expectedStart = Callback)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var location = response.Headers.Location!.ToString();
        location.ShouldStartWith(expectedStart + "?");
        return QueryHelpers.ParseQuery(new Uri(location).Query).ToDictionary(p => p.Key, p => p.Value.Single()!);
    }

    /// <summary>Answers the consent page: GET it (its antiforgery token and cookie), then POST the decision.</summary>
    public static async Task<HttpResponseMessage> DecideAsync(HttpClient browser, string authorizePath, string cookie, string decision,
        bool withAntiforgery = true)
    {
        using var page = await GetAsync(browser, authorizePath, cookie);
        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await page.Content.ReadAsStringAsync();
        var form = new Dictionary<string, string> { ["_handler"] = "consent", ["decision"] = decision };
        var cookies = cookie;
        if (withAntiforgery)
        {
            form["__RequestVerificationToken"] = WebUtility.HtmlDecode(AntiforgeryField().Match(html).Groups[1].Value);
            var af = page.Headers.GetValues("Set-Cookie").Single(c => c.Contains("worktime-af=", StringComparison.Ordinal));
            cookies += "; " + af.Split(';')[0];
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, authorizePath) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add("Cookie", cookies);
        return await browser.SendAsync(request);
    }

    public static async Task<HttpResponseMessage> RedeemAsync(HttpClient http, string clientId, string code, string verifier,
        string redirectUri = Callback)
    {
        return await http.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = redirectUri,
            ["client_id"] = clientId,
            ["code_verifier"] = verifier,
        }));
    }

    /// <summary>A code for a first-party client (or one the person allowed), ready to redeem.</summary>
    public static async Task<string> CodeAsync(HttpClient browser, string clientId, PkcePair pkce, string cookie)
    {
        using var response = await GetAsync(browser, AuthorizeQuery(clientId, pkce), cookie);
        return RedirectQuery(response)["code"];
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
