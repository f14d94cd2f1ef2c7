using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Worktime.Api.Tests.Infrastructure;
using static Worktime.Api.Tests.Infrastructure.HttpAnswers;
using static Worktime.Api.Tests.OAuth.OAuthFlow;

namespace Worktime.Api.Tests.OAuth;

/// <summary>
/// Connected apps and withdrawing a consent (docs/auth.md, "Connected apps and withdrawing consent") through HTTP: the
/// API (<c>GET /connectedapps</c>, <c>DELETE /connectedapps/{client_id}</c>) and the web app's <c>/app/apps</c>. After
/// a withdrawal the app's refresh tokens are refused and its next <c>/authorize</c> asks again; a person can withdraw
/// only their own apps; the page's withdrawal needs the antiforgery token. One app for the class.
/// </summary>
[VariesWith(Vary.Backend)]
public sealed partial class ConnectedAppsTests(ConnectedAppsTests.App fixture) : IClassFixture<ConnectedAppsTests.App>
{
    public sealed class App : IAsyncLifetime
    {
        public WorktimeApplication Worktime { get; } = new();

        public Task InitializeAsync() => Worktime.InitializeAsync();

        public Task DisposeAsync() => Worktime.DisposeAsync().AsTask();
    }

    private WorktimeApplication AppUnderTest => fixture.Worktime;

    /// <summary>The person allows a third-party app on the consent page and the app redeems its code: its token response.</summary>
    private async Task<JsonElement> AllowAsync(string client, string cookie)
    {
        using var browser = Browser(AppUnderTest);
        var pkce = PkcePair.New();
        using var allowed = await DecideAsync(browser, AuthorizeQuery(client, pkce), cookie, "allow");
        using var http = AppUnderTest.CreateClient();
        return await JsonAsync(await RedeemAsync(http, client, RedirectQuery(allowed)["code"], pkce.Verifier), HttpStatusCode.OK);
    }

    private async Task<HttpStatusCode> RefreshAsync(string client, JsonElement tokens)
    {
        using var http = AppUnderTest.CreateClient();
        using var answer = await http.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token", ["client_id"] = client, ["refresh_token"] = tokens.GetProperty("refresh_token").GetString()!,
        }));
        return answer.StatusCode;
    }

    private async Task<bool> AsksForConsentAsync(string client, string cookie)
    {
        using var browser = Browser(AppUnderTest);
        using var answer = await GetAsync(browser, AuthorizeQuery(client, PkcePair.New()), cookie);
        return answer.StatusCode == HttpStatusCode.OK && (await answer.Content.ReadAsStringAsync()).Contains("to use Worktime as you?", StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_api_lists_the_allowed_app_and_withdrawing_it_ends_its_refresh_tokens_and_asks_again()
    {
        var client = await RegisterAsync(AppUnderTest, firstParty: false);
        var (_, username, cookie) = await PersonAsync(AppUnderTest);
        var tokens = await AllowAsync(client, cookie);
        (await AsksForConsentAsync(client, cookie)).ShouldBeFalse(); // remembered
        using var api = await AppUnderTest.LoginClientAsync(username);

        var list = await JsonAsync(await api.GetAsync("/connectedapps"), HttpStatusCode.OK);
        list.GetProperty("count").GetInt32().ShouldBe(1); // the seed client of this very login is not an app
        var app = list.GetProperty("connectedapps")[0];
        app.EnumerateObject().Select(p => p.Name).ShouldBe(["client_id", "name", "first_party", "allowed_at", "has_tokens"]);
        app.GetProperty("client_id").GetString().ShouldBe(client);
        app.GetProperty("name").GetString().ShouldBe("Test App " + client);
        app.GetProperty("first_party").GetBoolean().ShouldBeFalse();
        IsoTime().IsMatch(app.GetProperty("allowed_at").GetString()!).ShouldBeTrue();
        app.GetProperty("has_tokens").GetBoolean().ShouldBeTrue();

        (await JsonAsync(await api.DeleteAsync("/connectedapps/" + client), HttpStatusCode.OK)).GetProperty("withdrawn").GetBoolean().ShouldBeTrue();

        (await RefreshAsync(client, tokens)).ShouldBe(HttpStatusCode.BadRequest);
        (await AsksForConsentAsync(client, cookie)).ShouldBeTrue();
        (await JsonAsync(await api.GetAsync("/connectedapps"), HttpStatusCode.OK)).GetProperty("count").GetInt32().ShouldBe(0);
        var again = await JsonAsync(await api.DeleteAsync("/connectedapps/" + client), HttpStatusCode.NotFound);
        again.GetProperty("error").GetString().ShouldBe("not_found");
    }

    [Fact]
    public async Task A_first_party_app_is_listed_by_its_tokens_and_withdrawing_it_signs_it_out()
    {
        var client = await RegisterAsync(AppUnderTest, firstParty: true);
        var (_, username, cookie) = await PersonAsync(AppUnderTest);
        using var browser = Browser(AppUnderTest);
        var pkce = PkcePair.New();
        var code = await CodeAsync(browser, client, pkce, cookie);
        using var http = AppUnderTest.CreateClient();
        var tokens = await JsonAsync(await RedeemAsync(http, client, code, pkce.Verifier), HttpStatusCode.OK);
        using var api = await AppUnderTest.LoginClientAsync(username);

        var app = (await JsonAsync(await api.GetAsync("/connectedapps"), HttpStatusCode.OK)).GetProperty("connectedapps").EnumerateArray().Single();
        (app.GetProperty("client_id").GetString(), app.GetProperty("first_party").GetBoolean()).ShouldBe((client, true));
        app.GetProperty("allowed_at").ValueKind.ShouldBe(JsonValueKind.Null);
        app.GetProperty("has_tokens").GetBoolean().ShouldBeTrue();

        (await api.DeleteAsync("/connectedapps/" + client)).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await RefreshAsync(client, tokens)).ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_person_cannot_withdraw_another_persons_app_nor_a_seed_client()
    {
        var client = await RegisterAsync(AppUnderTest, firstParty: false);
        var (_, _, cookie) = await PersonAsync(AppUnderTest);
        var tokens = await AllowAsync(client, cookie);
        var (_, other, _) = await PersonAsync(AppUnderTest);
        using var api = await AppUnderTest.LoginClientAsync(other);

        (await api.DeleteAsync("/connectedapps/" + client)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await api.DeleteAsync("/connectedapps/openapi")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await api.DeleteAsync("/connectedapps/no-such-app")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        (await RefreshAsync(client, tokens)).ShouldBe(HttpStatusCode.OK);
        (await AsksForConsentAsync(client, cookie)).ShouldBeFalse();
        using var anonymous = AppUnderTest.CreateClient();
        (await anonymous.GetAsync("/connectedapps")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_page_lists_the_app_and_withdraws_it_with_the_antiforgery_token_only()
    {
        var client = await RegisterAsync(AppUnderTest, firstParty: false);
        var (_, _, cookie) = await PersonAsync(AppUnderTest);
        var tokens = await AllowAsync(client, cookie);
        using var browser = Browser(AppUnderTest);

        using (var page = await GetAsync(browser, "/app/apps", cookie))
        {
            page.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await page.Content.ReadAsStringAsync()).ShouldContain("Test App " + client);
        }
        using (var forged = new HttpRequestMessage(HttpMethod.Post, "/app/apps")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["_handler"] = "apps", ["client"] = client }),
        })
        {
            forged.Headers.Add("Cookie", cookie);
            (await browser.SendAsync(forged)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        }
        (await AsksForConsentAsync(client, cookie)).ShouldBeFalse(); // the forged post changed nothing

        var (status, html) = await PostPageAsync(browser, cookie, ("client", client));

        status.ShouldBe(HttpStatusCode.OK);
        html.ShouldContain($"Test App {client} was withdrawn.");
        html.ShouldContain("No app can use Worktime as you.");
        (await RefreshAsync(client, tokens)).ShouldBe(HttpStatusCode.BadRequest);
        (await AsksForConsentAsync(client, cookie)).ShouldBeTrue();
        using var signedOut = await GetAsync(browser, "/app/apps", cookie: null);
        signedOut.StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    /// <summary>Posts the page's form (its antiforgery token and cookie from a GET first); answers the page's HTML.</summary>
    private static async Task<(HttpStatusCode Status, string Html)> PostPageAsync(HttpClient browser, string cookie, params (string Name, string Value)[] fields)
    {
        using var page = await GetAsync(browser, "/app/apps", cookie);
        var html = await page.Content.ReadAsStringAsync();
        var form = new Dictionary<string, string>
        {
            ["_handler"] = "apps",
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(AntiforgeryField().Match(html).Groups[1].Value),
        };
        foreach (var (name, value) in fields)
        {
            form[name] = value;
        }
        var af = page.Headers.GetValues("Set-Cookie").Single(c => c.Contains("worktime-af=", StringComparison.Ordinal)).Split(';')[0];
        using var request = new HttpRequestMessage(HttpMethod.Post, "/app/apps") { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add("Cookie", cookie + "; " + af);
        using var answer = await browser.SendAsync(request);
        return (answer.StatusCode, await answer.Content.ReadAsStringAsync());
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")]
    private static partial Regex IsoTime();
}
