using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Worktime.Api.Accounts;
using Worktime.Api.Auth;
using Worktime.Api.Tests.Infrastructure;
using Worktime.Api.Tests.OAuth;

namespace Worktime.Api.Tests.TwoFactor;

/// <summary>
/// Passkeys (docs/auth.md, "Passkeys") through HTTP, answered by <see cref="SoftAuthenticator"/> (WebAuthn built from
/// the specification in the test): registration through the API (older tokens end, the password grant then refuses),
/// the sign-in's second step with a passkey, refused answers — another origin, a replayed answer or ceremony, another
/// person's passkey — counted in the password's throttle, a passkey alone only where the company allows it, removal
/// and an admin's reset.
/// </summary>
[VariesWith(Vary.Backend)]
public sealed partial class PasskeyTests(FakeClockFixture fixture) : IClassFixture<FakeClockFixture>
{
    private const string Password = AuthTestExtensions.DefaultPassword;
    private const string RpId = "worktime.test"; // the test app's Auth:Issuer is http://worktime.test
    private const string Origin = "http://worktime.test";
    private static int _nextIp = 10;

    private WorktimeApplication App => fixture.App;

    [Fact]
    public async Task Registering_through_the_api_ends_older_tokens_and_the_password_grant_then_refuses()
    {
        var (_, username) = await PersonAsync();
        using var authenticator = new SoftAuthenticator(RpId, Origin);
        using var api = Bearer((await App.LoginAsync(username)).GetProperty("access_token").GetString()!);

        var started = await JsonAsync(await api.PostAsync("/me/factors/passkeys/options", null), HttpStatusCode.Created);
        var options = started.GetProperty("options");
        options.GetProperty("rp").GetProperty("id").GetString().ShouldBe(RpId);
        options.GetProperty("authenticatorSelection").GetProperty("residentKey").GetString().ShouldBe("required");
        var credential = authenticator.Create(options);
        var body = new { ceremony = started.GetProperty("ceremony").GetString(), name = "Work laptop", credential = JsonDocument.Parse(credential).RootElement };

        // Without a name nothing is stored.
        (await JsonAsync(await api.PostAsJsonAsync("/me/factors/passkeys", body with { name = " " }), HttpStatusCode.BadRequest))
            .GetProperty("error").GetString().ShouldBe("invalid_passkey");
        var again = await JsonAsync(await api.PostAsync("/me/factors/passkeys/options", null), HttpStatusCode.Created);
        var registered = await JsonAsync(await api.PostAsJsonAsync("/me/factors/passkeys", new
        {
            ceremony = again.GetProperty("ceremony").GetString(),
            name = "Work laptop",
            credential = JsonDocument.Parse(authenticator.Create(again.GetProperty("options"))).RootElement,
        }), HttpStatusCode.Created);
        registered.GetProperty("passkey").GetProperty("name").GetString().ShouldBe("Work laptop");
        registered.GetProperty("recovery_codes").GetArrayLength().ShouldBe(10);

        // A new factor ends every token from before; the password alone gives no tokens.
        (await api.GetAsync("/me/factors")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var grant = await PasswordGrantAsync(username);
        grant.GetProperty("error_description").GetString().ShouldBe(PasswordGrant.SecondFactorDescription);
        (await App.Service<AuditLog>().QueryAsync(0, Credentials.KeyOf(username), 1000))
            .ShouldContain(r => r.Event == AuditEvents.SecondFactorEnabled && r.Detail!.Contains("factor=passkey"));

        // Replaying the answer (its ceremony is spent) stores nothing.
        using var fresh = await BearerBySecondStepAsync(username, authenticator);
        (await JsonAsync(await fresh.PostAsJsonAsync("/me/factors/passkeys", new
        {
            ceremony = again.GetProperty("ceremony").GetString(),
            name = "Again",
            credential = JsonDocument.Parse(credential).RootElement,
        }), HttpStatusCode.BadRequest)).GetProperty("error").GetString().ShouldBe("invalid_passkey");
        var listed = await JsonAsync(await fresh.GetAsync("/me/factors"), HttpStatusCode.OK);
        listed.GetProperty("passkeys").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ShouldBe(["Work laptop"]);
    }

    [Fact]
    public async Task The_second_step_refuses_another_origin_a_replayed_answer_and_another_persons_passkey_and_counts_them()
    {
        var (partner, username) = await PersonAsync();
        var other = "q" + Guid.NewGuid().ToString("N")[..12];
        await App.CreateUserAsync(partner, other, 2);
        using var mine = new SoftAuthenticator(RpId, Origin);
        using var theirs = new SoftAuthenticator(RpId, Origin);
        await RegisterAsync(username, mine);
        await RegisterAsync(other, theirs);

        var ip = NextIp();
        using var browser = new WebLoginClient(App, ip);
        (await browser.PasswordAsync(username, Password)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        using (var page = await browser.GetAsync("/app/login/code?return=%2Fapp%2Fweek"))
        {
            (await page.Content.ReadAsStringAsync()).ShouldContain("Use a passkey");
        }

        // A phishing site's origin: refused.
        mine.Origin = "http://worktime.example";
        var (ceremony, options) = await SignInOptionsAsync(browser);
        (await ErrorOfAsync(await PasskeyStepAsync(browser, ceremony, mine.Get(options)))).ShouldContain("The passkey did not sign you in");
        mine.Origin = Origin;
        // Another person's passkey on this person's ceremony: refused.
        (ceremony, options) = await SignInOptionsAsync(browser);
        (await ErrorOfAsync(await PasskeyStepAsync(browser, ceremony, theirs.Get(options, theirs.CredentialIds[0])))).ShouldContain("The passkey did not sign you in");
        browser.HasSession.ShouldBeFalse();
        (await App.Service<LoginThrottle>().FailuresAsync(LoginThrottle.UserIpKey(Credentials.KeyOf(username)!, ip))).ShouldBe(2);

        // The right passkey signs in, once.
        (ceremony, options) = await SignInOptionsAsync(browser);
        var answer = mine.Get(options);
        using (var accepted = await PasskeyStepAsync(browser, ceremony, answer))
        {
            accepted.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        }
        browser.HasSession.ShouldBeTrue();
        (await App.Service<AuditLog>().QueryAsync(0, Credentials.KeyOf(username), 1000))
            .ShouldContain(r => r.Event == AuditEvents.LoginSucceeded && r.Detail!.Contains("factor=passkey"));

        // The same answer again, with its spent ceremony or with a new one (whose challenge it does not sign): refused.
        using var replay = new WebLoginClient(App, NextIp());
        (await replay.PasswordAsync(username, Password)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await ErrorOfAsync(await PasskeyStepAsync(replay, ceremony, answer))).ShouldContain("The passkey did not sign you in");
        var (newCeremony, _) = await SignInOptionsAsync(replay);
        (await ErrorOfAsync(await PasskeyStepAsync(replay, newCeremony, answer))).ShouldContain("The passkey did not sign you in");
        replay.HasSession.ShouldBeFalse();
    }

    [Fact]
    public async Task The_second_step_refuses_an_unknown_passkey_and_a_cloned_authenticators_older_counter()
    {
        var (_, username) = await PersonAsync();
        using var authenticator = new SoftAuthenticator(RpId, Origin);
        await RegisterAsync(username, authenticator);
        // A key the server never registered (made for a ceremony whose answer was never sent).
        using var stranger = new SoftAuthenticator(RpId, Origin);
        using var unregistered = JsonDocument.Parse("""{"challenge":"AAAAAAAAAAAAAAAAAAAAAA","user":{"id":"AAAAAAAAAAo"}}""");
        stranger.Create(unregistered.RootElement);

        var ip = NextIp();
        using var browser = new WebLoginClient(App, ip);
        (await browser.PasswordAsync(username, Password)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var (ceremony, options) = await SignInOptionsAsync(browser);
        (await ErrorOfAsync(await PasskeyStepAsync(browser, ceremony, stranger.Get(options, stranger.CredentialIds[0]))))
            .ShouldContain("The passkey did not sign you in");

        // The real one signs in (its counter moves to 1); a clone made before that answers with 1 again: refused.
        (ceremony, options) = await SignInOptionsAsync(browser);
        using (var accepted = await PasskeyStepAsync(browser, ceremony, authenticator.Get(options)))
        {
            accepted.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        }
        using var clone = new WebLoginClient(App, ip);
        (await clone.PasswordAsync(username, Password)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        authenticator.RewindCounter(authenticator.CredentialIds[0], 0);
        (ceremony, options) = await SignInOptionsAsync(clone);
        (await ErrorOfAsync(await PasskeyStepAsync(clone, ceremony, authenticator.Get(options)))).ShouldContain("The passkey did not sign you in");
        clone.HasSession.ShouldBeFalse();
        // Both refusals counted with the password's failures, and audited.
        (await App.Service<LoginThrottle>().FailuresAsync(LoginThrottle.UserIpKey(Credentials.KeyOf(username)!, ip))).ShouldBe(1);
        (await App.Service<AuditLog>().QueryAsync(0, Credentials.KeyOf(username), 1000))
            .Count(r => r.Event == AuditEvents.LoginFailed && r.Detail == "passkey refused").ShouldBe(2);

        // The API reference documents the routes the profile page's passkeys use (no page without an API equivalent).
        using var http = App.CreateClient();
        var paths = (await JsonAsync(await http.GetAsync("/openapi/v1.json"), HttpStatusCode.OK)).GetProperty("paths");
        paths.GetProperty("/me/factors/passkeys/options").GetProperty("post").GetProperty("operationId").GetString().ShouldBe("startPasskeyRegistration");
        paths.GetProperty("/me/factors/passkeys").GetProperty("post").GetProperty("operationId").GetString().ShouldBe("finishPasskeyRegistration");
        paths.GetProperty("/me/factors/passkeys/{id}").GetProperty("delete").GetProperty("operationId").GetString().ShouldBe("removePasskey");
    }

    [Fact]
    public async Task A_passkey_alone_signs_in_only_where_the_company_allows_it()
    {
        var (partner, username) = await PersonAsync();
        using var authenticator = new SoftAuthenticator(RpId, Origin);
        await RegisterAsync(username, authenticator);

        using var browser = new WebLoginClient(App, NextIp());
        var (ceremony, options) = await SignInOptionsAsync(browser, alone: true);
        // Any discoverable passkey of this server: the options name none.
        (!options.TryGetProperty("allowCredentials", out var allowed) || allowed.GetArrayLength() == 0).ShouldBeTrue();
        (await ErrorOfAsync(await PasskeyAloneAsync(browser, ceremony, authenticator.Get(options))))
            .ShouldContain("Your company does not let people sign in with a passkey alone");
        browser.HasSession.ShouldBeFalse();

        var admin = "a" + Guid.NewGuid().ToString("N")[..12];
        await App.CreateUserAsync(partner, admin, 5);
        using (var api = await App.LoginClientAsync(admin))
        {
            (await JsonAsync(await api.PutAsJsonAsync("/partner/security", new { passkey_sign_in = true }), HttpStatusCode.OK))
                .GetProperty("passkey_sign_in").GetBoolean().ShouldBeTrue();
        }
        (ceremony, options) = await SignInOptionsAsync(browser, alone: true);
        using (var accepted = await PasskeyAloneAsync(browser, ceremony, authenticator.Get(options)))
        {
            accepted.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        }
        browser.HasSession.ShouldBeTrue();
        (await browser.GetAsync("/app/week")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await App.Service<AuditLog>().QueryAsync(0, Credentials.KeyOf(username), 1000))
            .ShouldContain(r => r.Event == AuditEvents.LoginSucceeded && r.Detail!.Contains("factor=passkey_only"));
    }

    [Fact]
    public async Task Removing_a_passkey_and_an_admins_reset_take_it_away()
    {
        var (partner, username) = await PersonAsync();
        using var authenticator = new SoftAuthenticator(RpId, Origin);
        await RegisterAsync(username, authenticator);
        using (var api = await BearerBySecondStepAsync(username, authenticator))
        {
            var started = await JsonAsync(await api.PostAsync("/me/factors/passkeys/options", null), HttpStatusCode.Created);
            started.GetProperty("options").GetProperty("excludeCredentials").GetArrayLength().ShouldBe(1);
            await JsonAsync(await api.PostAsJsonAsync("/me/factors/passkeys", new
            {
                ceremony = started.GetProperty("ceremony").GetString(),
                name = "Phone",
                credential = JsonDocument.Parse(authenticator.Create(started.GetProperty("options"))).RootElement,
            }), HttpStatusCode.Created);
        }
        using (var api = await BearerBySecondStepAsync(username, authenticator))
        {
            var passkeys = (await JsonAsync(await api.GetAsync("/me/factors"), HttpStatusCode.OK)).GetProperty("passkeys");
            passkeys.GetArrayLength().ShouldBe(2);
            var phone = passkeys.EnumerateArray().First(p => p.GetProperty("name").GetString() == "Phone").GetProperty("id").GetString()!;
            (await JsonAsync(await api.DeleteAsync("/me/factors/passkeys/" + phone), HttpStatusCode.OK)).GetProperty("removed").GetBoolean().ShouldBeTrue();
            (await api.DeleteAsync("/me/factors/passkeys/" + phone)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
            (await JsonAsync(await api.GetAsync("/me/factors"), HttpStatusCode.OK)).GetProperty("passkeys").GetArrayLength().ShouldBe(1);
        }
        (await App.Service<AuditLog>().QueryAsync(0, Credentials.KeyOf(username), 1000))
            .ShouldContain(r => r.Event == AuditEvents.SecondFactorRemoved && r.Detail!.Contains("factor=passkey"));

        var admin = "a" + Guid.NewGuid().ToString("N")[..12];
        await App.CreateUserAsync(partner, admin, 5);
        var id = (await App.Service<UserAccounts>().FindIdAsync(username)).Value;
        using (var api = await App.LoginClientAsync(admin))
        {
            (await JsonAsync(await api.PostAsync($"/users/{id.ToString(CultureInfo.InvariantCulture)}/factors/reset", null), HttpStatusCode.OK))
                .GetProperty("was_on").GetBoolean().ShouldBeTrue();
        }
        await App.LoginAsync(username); // the password alone again
    }

    private async Task<(long Partner, string Username)> PersonAsync()
    {
        var partner = await App.CreatePartnerAsync("Passkey Oy");
        var username = "k" + Guid.NewGuid().ToString("N")[..12];
        await App.CreateUserAsync(partner, username, 2);
        return (partner, username);
    }

    /// <summary>Registers a passkey of <paramref name="authenticator"/> through the API with a token of the password grant.</summary>
    private async Task RegisterAsync(string username, SoftAuthenticator authenticator)
    {
        using var api = Bearer((await App.LoginAsync(username)).GetProperty("access_token").GetString()!);
        var started = await JsonAsync(await api.PostAsync("/me/factors/passkeys/options", null), HttpStatusCode.Created);
        await JsonAsync(await api.PostAsJsonAsync("/me/factors/passkeys", new
        {
            ceremony = started.GetProperty("ceremony").GetString(),
            name = "Laptop",
            credential = JsonDocument.Parse(authenticator.Create(started.GetProperty("options"))).RootElement,
        }), HttpStatusCode.Created);
    }

    /// <summary>An API client of a person with a passkey: the web login's two steps, then a first-party app's authorization code flow.</summary>
    private async Task<HttpClient> BearerBySecondStepAsync(string username, SoftAuthenticator authenticator)
    {
        var client = await OAuthFlow.RegisterAsync(App, firstParty: true);
        var pkce = PkcePair.New();
        var authorize = OAuthFlow.AuthorizeQuery(client, pkce);
        using var browser = new WebLoginClient(App, NextIp());
        (await browser.PasswordAsync(username, Password, authorize)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var (ceremony, options) = await SignInOptionsAsync(browser, returnPath: authorize);
        (await PasskeyStepAsync(browser, ceremony, authenticator.Get(options), authorize)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        using var answer = await browser.GetAsync(authorize);
        using var http = App.CreateClient();
        var tokens = await JsonAsync(await OAuthFlow.RedeemAsync(http, client, OAuthFlow.RedirectQuery(answer)["code"], pkce.Verifier), HttpStatusCode.OK);
        return Bearer(tokens.GetProperty("access_token").GetString()!);
    }

    /// <summary>What the pages' script does first: posts the page's form (antiforgery token) for the ceremony's options.</summary>
    private static async Task<(string Ceremony, JsonElement Options)> SignInOptionsAsync(WebLoginClient browser, bool alone = false,
        string returnPath = "/app/week")
    {
        var page = alone ? "/app/login?return=" + Uri.EscapeDataString(returnPath) : "/app/login/code?return=" + Uri.EscapeDataString(returnPath);
        var fields = alone ? new Dictionary<string, string> { ["mode"] = "alone" } : [];
        var answer = await JsonAsync(await browser.PostWithTokenOfAsync(page, "/app/login/passkey-options", fields), HttpStatusCode.OK);
        return (answer.GetProperty("ceremony").GetString()!, answer.GetProperty("options"));
    }

    private static Task<HttpResponseMessage> PasskeyStepAsync(WebLoginClient browser, string ceremony, string credential, string returnPath = "/app/week") =>
        browser.SubmitAsync("/app/login/code?return=" + Uri.EscapeDataString(returnPath), "login-passkey", new()
        {
            ["Passkey.Ceremony"] = ceremony, ["Passkey.Credential"] = credential,
        });

    private static Task<HttpResponseMessage> PasskeyAloneAsync(WebLoginClient browser, string ceremony, string credential) =>
        browser.SubmitAsync("/app/login?return=%2Fapp%2Fweek", "login-passkey-alone", new()
        {
            ["mode"] = "alone", ["Passkey.Ceremony"] = ceremony, ["Passkey.Credential"] = credential,
        });

    private HttpClient Bearer(string accessToken)
    {
        var client = App.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return client;
    }

    private async Task<JsonElement> PasswordGrantAsync(string username)
    {
        using var http = App.CreateClient();
        return await JsonAsync(await http.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["username"] = username, ["password"] = Password, ["client_id"] = "openapi",
        })), HttpStatusCode.BadRequest);
    }

    /// <summary>A page answered with its error (200, role=alert): the alert's text.</summary>
    private static async Task<string> ErrorOfAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var html = await response.Content.ReadAsStringAsync();
            response.StatusCode.ShouldBe(HttpStatusCode.OK, html);
            var match = System.Text.RegularExpressions.Regex.Match(html, "role=\"alert\"(?![^>]*hidden)[^>]*>([^<]*)<");
            match.Success.ShouldBeTrue(html);
            return WebUtility.HtmlDecode(match.Groups[1].Value);
        }
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            response.StatusCode.ShouldBe(status, text);
            return JsonDocument.Parse(text).RootElement.Clone();
        }
    }

    private static string NextIp() => "10.79.0." + Interlocked.Increment(ref _nextIp).ToString(CultureInfo.InvariantCulture);
}
