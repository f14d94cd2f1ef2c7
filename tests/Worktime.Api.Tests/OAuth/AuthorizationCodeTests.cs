using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Worktime.Api.Tests.ClientCompatibility;
using Worktime.Api.Tests.Infrastructure;
using static Worktime.Api.Tests.Infrastructure.HttpAnswers;
using static Worktime.Api.Tests.OAuth.OAuthFlow;

namespace Worktime.Api.Tests.OAuth;

/// <summary>
/// The authorization code grant with PKCE by hand, through HTTP (docs/auth.md, "Authorization code with PKCE"): the
/// happy paths for a first-party and a third-party client, and each error case — which ones show a page and never
/// redirect, which go back to the app with <c>error</c>, <c>state</c> and <c>iss</c>, and what the token endpoint
/// refuses. One app for the class on the fake clock (an expiry test moves it; nothing else here depends on it).
/// </summary>
[VariesWith(Vary.Backend)]
public sealed class AuthorizationCodeTests(AuthorizationCodeTests.App fixture) : IClassFixture<AuthorizationCodeTests.App>
{
    public sealed class App : IAsyncLifetime
    {
        public WorktimeApplication Worktime { get; } = new(o => o.FakeClock = true);

        public Task InitializeAsync() => Worktime.InitializeAsync();

        public Task DisposeAsync() => Worktime.DisposeAsync().AsTask();
    }

    private const string Issuer = "http://worktime.test";

    private WorktimeApplication AppUnderTest => fixture.Worktime;

    [Fact]
    public async Task Metadata_lists_the_authorization_endpoint_code_S256_and_iss_support()
    {
        using var http = AppUnderTest.CreateClient();
        var metadata = await JsonAsync(await http.GetAsync("/.well-known/oauth-authorization-server"), HttpStatusCode.OK);

        metadata.GetProperty("authorization_endpoint").GetString().ShouldBe(Issuer + "/authorize");
        metadata.GetProperty("response_types_supported").EnumerateArray().Select(e => e.GetString()).ShouldBe(["code"]);
        metadata.GetProperty("code_challenge_methods_supported").EnumerateArray().Select(e => e.GetString()).ShouldBe(["S256"]);
        metadata.GetProperty("authorization_response_iss_parameter_supported").GetBoolean().ShouldBeTrue();
        metadata.GetProperty("grant_types_supported").EnumerateArray().Select(e => e.GetString())
            .ShouldBe(["password", "refresh_token", "authorization_code", "urn:ietf:params:oauth:grant-type:device_code"], ignoreOrder: true);
        metadata.GetProperty("token_endpoint_auth_methods_supported").EnumerateArray().Select(e => e.GetString()).ShouldBe(["none"]);
    }

    [Fact]
    public async Task First_party_app_gets_a_code_at_once_and_the_seed_token_response_without_nulls()
    {
        var client = await RegisterAsync(AppUnderTest, firstParty: true);
        var (userId, username, cookie) = await PersonAsync(AppUnderTest);
        using var browser = Browser(AppUnderTest);
        var pkce = PkcePair.New();

        using var answer = await GetAsync(browser, AuthorizeQuery(client, pkce, state: "xyz AZ-09._~"), cookie);
        var query = RedirectQuery(answer);
        query.Keys.ShouldBe(["code", "state", "iss"], ignoreOrder: true);
        query["state"].ShouldBe("xyz AZ-09._~");
        query["iss"].ShouldBe(Issuer);

        using var http = AppUnderTest.CreateClient();
        var tokens = await JsonAsync(await RedeemAsync(http, client, query["code"], pkce.Verifier), HttpStatusCode.OK);
        tokens.EnumerateObject().Select(p => p.Name).ShouldBe(["access_token", "expires_in", "token_type", "refresh_token", "user_id"]);
        tokens.EnumerateObject().ShouldAllBe(p => p.Value.ValueKind != JsonValueKind.Null);
        tokens.GetProperty("user_id").GetInt64().ShouldBe(userId);
        var claims = DiscoveryOnAnyPortTests.Payload(tokens.GetProperty("access_token").GetString()!);
        claims.GetProperty("client_id").GetString().ShouldBe(client);
        claims.GetProperty("username").GetString().ShouldBe(username);

        using var me = new HttpRequestMessage(HttpMethod.Get, "/me");
        me.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.GetProperty("access_token").GetString());
        (await JsonAsync(await http.SendAsync(me), HttpStatusCode.OK)).GetProperty("username").GetString().ShouldBe(username);

        // The same refresh rotation as the password grant: a new pair, and the old refresh token is spent.
        var refreshed = await JsonAsync(await http.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token", ["client_id"] = client, ["refresh_token"] = tokens.GetProperty("refresh_token").GetString()!,
        })), HttpStatusCode.OK);
        refreshed.GetProperty("refresh_token").GetString().ShouldNotBe(tokens.GetProperty("refresh_token").GetString());
    }

    [Fact]
    public async Task Third_party_app_asks_once_remembers_allow_and_deny_goes_back_as_access_denied()
    {
        var client = await RegisterAsync(AppUnderTest, firstParty: false);
        var (_, _, cookie) = await PersonAsync(AppUnderTest);
        using var browser = Browser(AppUnderTest);
        var pkce = PkcePair.New();
        var path = AuthorizeQuery(client, pkce);

        using (var page = await GetAsync(browser, path, cookie))
        {
            page.StatusCode.ShouldBe(HttpStatusCode.OK);
            var html = await page.Content.ReadAsStringAsync();
            html.ShouldContain("Allow Test App " + client + " to use Worktime as you?");
            html.ShouldContain(Callback);
            page.Headers.GetValues("Content-Security-Policy").Single().ShouldContain("form-action 'self' https://app.example;");
        }

        using (var denied = await DecideAsync(browser, path, cookie, "deny"))
        {
            var query = RedirectQuery(denied);
            (query["error"], query["state"], query["iss"]).ShouldBe(("access_denied", "st-123", Issuer));
            query.ShouldNotContainKey("code");
        }
        using (var again = await GetAsync(browser, path, cookie))
        {
            again.StatusCode.ShouldBe(HttpStatusCode.OK); // a denial is not remembered: asked again
        }

        using (var allowed = await DecideAsync(browser, path, cookie, "allow"))
        {
            var code = RedirectQuery(allowed)["code"];
            using var http = AppUnderTest.CreateClient();
            (await RedeemAsync(http, client, code, pkce.Verifier)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }
        using var remembered = await GetAsync(browser, AuthorizeQuery(client, PkcePair.New()), cookie);
        RedirectQuery(remembered).ShouldContainKey("code");
    }

    [Fact]
    public async Task Consent_cannot_be_granted_by_a_post_without_the_antiforgery_token()
    {
        var client = await RegisterAsync(AppUnderTest, firstParty: false);
        var (_, _, cookie) = await PersonAsync(AppUnderTest);
        using var browser = Browser(AppUnderTest);
        var path = AuthorizeQuery(client, PkcePair.New());

        using var forged = await DecideAsync(browser, path, cookie, "allow", withAntiforgery: false);

        forged.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        forged.Headers.Location.ShouldBeNull();
        using var after = await GetAsync(browser, path, cookie);
        after.StatusCode.ShouldBe(HttpStatusCode.OK); // still asks: nothing was remembered
        (await after.Content.ReadAsStringAsync()).ShouldContain("to use Worktime as you?");
    }

    [Fact]
    public async Task Without_a_session_the_login_page_comes_first_and_returns_to_the_authorization()
    {
        var client = await RegisterAsync(AppUnderTest, firstParty: true);
        using var browser = Browser(AppUnderTest);
        var path = AuthorizeQuery(client, PkcePair.New());

        using var answer = await GetAsync(browser, path, cookie: null);

        answer.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var login = new Uri(browser.BaseAddress!, answer.Headers.Location!);
        login.Authority.ShouldBe(browser.BaseAddress!.Authority); // this server's own login page
        login.PathAndQuery.ShouldBe("/app/login?return=" + Uri.EscapeDataString(path));
    }

    public static TheoryData<string, string> UntrustedRequests() => new()
    {
        { "unknown client", "client_id=nosuch&redirect_uri=https%3A%2F%2Fapp.example%2Fcallback" },
        { "no client", "redirect_uri=https%3A%2F%2Fapp.example%2Fcallback" },
        { "trailing slash", "client_id={client}&redirect_uri=https%3A%2F%2Fapp.example%2Fcallback%2F" },
        { "extra query parameter", "client_id={client}&redirect_uri=https%3A%2F%2Fapp.example%2Fcallback%3Fnext%3D1" },
        { "another host", "client_id={client}&redirect_uri=https%3A%2F%2Fevil.example%2Fcallback" },
        { "other case", "client_id={client}&redirect_uri=https%3A%2F%2FAPP.example%2Fcallback" },
        { "no redirect_uri", "client_id={client}" },
        { "client_id twice", "client_id={client}&client_id={client}&redirect_uri=https%3A%2F%2Fapp.example%2Fcallback" },
    };

    [Theory]
    [MemberData(nameof(UntrustedRequests))]
    public async Task A_bad_client_or_redirect_uri_shows_an_error_page_and_never_redirects(string what, string query)
    {
        var client = await RegisterAsync(AppUnderTest, firstParty: true);
        var (_, _, cookie) = await PersonAsync(AppUnderTest);
        using var browser = Browser(AppUnderTest);
        var pkce = PkcePair.New();
        var path = "/authorize?" + query.Replace("{client}", client, StringComparison.Ordinal)
            + $"&response_type=code&state=s&code_challenge={pkce.Challenge}&code_challenge_method=S256";

        foreach (var session in new[] { cookie, null })
        {
            using var answer = await GetAsync(browser, path, session);
            answer.StatusCode.ShouldBe(HttpStatusCode.BadRequest, what);
            answer.Headers.Location.ShouldBeNull(what);
            answer.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
            (await answer.Content.ReadAsStringAsync()).ShouldContain("This sign-in request cannot be answered");
        }
    }

    public static TheoryData<string, string, string> RedirectedErrors() => new()
    {
        { "missing challenge", "response_type=code&state=st-1", "invalid_request" },
        { "plain", "response_type=code&state=st-1&code_challenge={challenge}&code_challenge_method=plain", "invalid_request" },
        { "no method", "response_type=code&state=st-1&code_challenge={challenge}", "invalid_request" },
        { "short challenge", "response_type=code&state=st-1&code_challenge=abc&code_challenge_method=S256", "invalid_request" },
        { "token response", "response_type=token&state=st-1&code_challenge={challenge}&code_challenge_method=S256", "unsupported_response_type" },
        { "no response_type", "state=st-1&code_challenge={challenge}&code_challenge_method=S256", "invalid_request" },
        { "unknown scope", "response_type=code&state=st-1&code_challenge={challenge}&code_challenge_method=S256&scope=admin", "invalid_scope" },
        { "parameter twice", "response_type=code&state=st-1&code_challenge={challenge}&code_challenge_method=S256&code_challenge=x", "invalid_request" },
    };

    [Theory]
    [MemberData(nameof(RedirectedErrors))]
    public async Task Other_errors_go_back_to_the_app_with_error_state_and_iss_and_no_code(string what, string query, string error)
    {
        var client = await RegisterAsync(AppUnderTest, firstParty: true);
        var (_, _, cookie) = await PersonAsync(AppUnderTest);
        using var browser = Browser(AppUnderTest);
        var path = $"/authorize?client_id={client}&redirect_uri={Uri.EscapeDataString(Callback)}&"
            + query.Replace("{challenge}", PkcePair.New().Challenge, StringComparison.Ordinal);

        using var answer = await GetAsync(browser, path, cookie);

        var redirect = RedirectQuery(answer);
        redirect["error"].ShouldBe(error, what);
        redirect["state"].ShouldBe("st-1", what);
        redirect["iss"].ShouldBe(Issuer, what);
        redirect.ShouldNotContainKey("code");
    }

    [Fact]
    public async Task Wrong_verifier_or_missing_verifier_is_refused_and_a_wrong_one_spends_the_code()
    {
        var client = await RegisterAsync(AppUnderTest, firstParty: true);
        var (_, _, cookie) = await PersonAsync(AppUnderTest);
        using var browser = Browser(AppUnderTest);
        using var http = AppUnderTest.CreateClient();
        var pkce = PkcePair.New();
        var code = await CodeAsync(browser, client, pkce, cookie);

        using (var missing = await http.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = Callback, ["client_id"] = client,
        })))
        {
            (await JsonAsync(missing, HttpStatusCode.BadRequest)).GetProperty("error").GetString().ShouldBe("invalid_request");
        }
        using (var wrong = await RedeemAsync(http, client, code, PkcePair.New().Verifier))
        {
            (await JsonAsync(wrong, HttpStatusCode.BadRequest)).GetProperty("error").GetString().ShouldBe("invalid_grant");
        }
        using var right = await RedeemAsync(http, client, code, pkce.Verifier);
        (await JsonAsync(right, HttpStatusCode.BadRequest)).GetProperty("error").GetString().ShouldBe("invalid_grant");
    }

    [Fact]
    public async Task A_reused_code_is_refused_and_revokes_what_its_first_use_issued()
    {
        var client = await RegisterAsync(AppUnderTest, firstParty: true);
        var (_, _, cookie) = await PersonAsync(AppUnderTest);
        using var browser = Browser(AppUnderTest);
        using var http = AppUnderTest.CreateClient();
        var pkce = PkcePair.New();
        var code = await CodeAsync(browser, client, pkce, cookie);
        var first = await JsonAsync(await RedeemAsync(http, client, code, pkce.Verifier), HttpStatusCode.OK);

        var second = await JsonAsync(await RedeemAsync(http, client, code, pkce.Verifier), HttpStatusCode.BadRequest);

        second.GetProperty("error").GetString().ShouldBe("invalid_grant");
        var refresh = await JsonAsync(await http.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token", ["client_id"] = client, ["refresh_token"] = first.GetProperty("refresh_token").GetString()!,
        })), HttpStatusCode.BadRequest);
        refresh.GetProperty("error").GetString().ShouldBe("invalid_grant");
    }

    [Fact]
    public async Task A_code_expires_after_60_seconds()
    {
        var client = await RegisterAsync(AppUnderTest, firstParty: true);
        var (_, _, cookie) = await PersonAsync(AppUnderTest);
        using var browser = Browser(AppUnderTest);
        using var http = AppUnderTest.CreateClient();
        var (early, late) = (PkcePair.New(), PkcePair.New());
        var earlyCode = await CodeAsync(browser, client, early, cookie);
        var lateCode = await CodeAsync(browser, client, late, cookie);

        AppUnderTest.Clock.Advance(TimeSpan.FromSeconds(59));
        (await RedeemAsync(http, client, earlyCode, early.Verifier)).StatusCode.ShouldBe(HttpStatusCode.OK);
        AppUnderTest.Clock.Advance(TimeSpan.FromSeconds(1));
        var expired = await JsonAsync(await RedeemAsync(http, client, lateCode, late.Verifier), HttpStatusCode.BadRequest);

        expired.GetProperty("error").GetString().ShouldBe("invalid_grant");
        expired.GetProperty("error_description").GetString()!.ShouldContain("expired");
    }

    [Fact]
    public async Task A_code_is_bound_to_its_client_and_redirect_uri()
    {
        var client = await RegisterAsync(AppUnderTest, firstParty: true, redirectUris: [Callback, "http://127.0.0.1:5320/cb"]);
        var other = await RegisterAsync(AppUnderTest, firstParty: true);
        var (_, _, cookie) = await PersonAsync(AppUnderTest);
        using var browser = Browser(AppUnderTest);
        using var http = AppUnderTest.CreateClient();

        var stolen = PkcePair.New();
        var stolenCode = await CodeAsync(browser, client, stolen, cookie);
        var byOther = await JsonAsync(await RedeemAsync(http, other, stolenCode, stolen.Verifier), HttpStatusCode.BadRequest);
        byOther.GetProperty("error").GetString().ShouldBe("invalid_grant");

        var moved = PkcePair.New();
        var movedCode = await CodeAsync(browser, client, moved, cookie);
        var elsewhere = await JsonAsync(await RedeemAsync(http, client, movedCode, moved.Verifier, "http://127.0.0.1:5320/cb"), HttpStatusCode.BadRequest);
        elsewhere.GetProperty("error").GetString().ShouldBe("invalid_grant");
    }

    [Fact]
    public async Task A_code_of_a_person_deactivated_since_is_refused()
    {
        var client = await RegisterAsync(AppUnderTest, firstParty: true);
        var (userId, _, cookie) = await PersonAsync(AppUnderTest);
        using var browser = Browser(AppUnderTest);
        using var http = AppUnderTest.CreateClient();
        var pkce = PkcePair.New();
        var code = await CodeAsync(browser, client, pkce, cookie);

        (await AppUnderTest.Service<Worktime.Api.Accounts.UserAccounts>().DisableAsync(userId, default)).ShouldBeNull();
        var refused = await JsonAsync(await RedeemAsync(http, client, code, pkce.Verifier), HttpStatusCode.BadRequest);

        refused.GetProperty("error").GetString().ShouldBe("invalid_grant");
    }

    [Fact]
    public async Task Grants_are_per_client_kind_seed_clients_cannot_redeem_codes_and_apps_cannot_use_passwords()
    {
        var client = await RegisterAsync(AppUnderTest, firstParty: true);
        var (_, username, cookie) = await PersonAsync(AppUnderTest);
        using var browser = Browser(AppUnderTest);
        using var http = AppUnderTest.CreateClient();
        var pkce = PkcePair.New();
        var code = await CodeAsync(browser, client, pkce, cookie);

        var seed = await JsonAsync(await RedeemAsync(http, "openapi", code, pkce.Verifier), HttpStatusCode.BadRequest);
        seed.GetProperty("error").GetString().ShouldBe("unauthorized_client");
        var password = await JsonAsync(await http.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["client_id"] = client, ["username"] = username, ["password"] = AuthTestExtensions.DefaultPassword,
        })), HttpStatusCode.BadRequest);
        password.GetProperty("error").GetString().ShouldBe("unauthorized_client");
        // The code was not touched by the refused requests.
        (await RedeemAsync(http, client, code, pkce.Verifier)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Authorize_answers_carry_the_page_headers_and_never_a_cors_header()
    {
        var client = await RegisterAsync(AppUnderTest, firstParty: true);
        var (_, _, cookie) = await PersonAsync(AppUnderTest);
        using var browser = Browser(AppUnderTest);
        var good = AuthorizeQuery(client, PkcePair.New());

        foreach (var (path, session) in new[] { (good, cookie), (good, null), ("/authorize?client_id=nosuch", cookie) })
        {
            foreach (var method in new[] { HttpMethod.Get, HttpMethod.Options })
            {
                using var request = new HttpRequestMessage(method, path);
                request.Headers.Add("Origin", "https://evil.example");
                request.Headers.Add("Access-Control-Request-Method", "GET");
                if (session is not null)
                {
                    request.Headers.Add("Cookie", session);
                }
                using var answer = await browser.SendAsync(request);
                answer.Headers.Contains("Access-Control-Allow-Origin").ShouldBeFalse($"{method} {path}");
                if (method == HttpMethod.Get)
                {
                    answer.Headers.GetValues("Content-Security-Policy").Single().ShouldContain("frame-ancestors 'none'");
                    answer.Headers.GetValues("X-Frame-Options").Single().ShouldBe("DENY");
                }
            }
        }
    }
}
