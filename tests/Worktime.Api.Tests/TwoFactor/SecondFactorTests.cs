using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Dapper;
using Worktime.Api.Accounts;
using Worktime.Api.Auth;
using Worktime.Api.Data;
using Worktime.Api.Tests.Cli;
using Worktime.Api.Tests.Infrastructure;
using Worktime.Api.Tests.OAuth;
using static Worktime.Api.Tests.Infrastructure.HttpAnswers;

namespace Worktime.Api.Tests.TwoFactor;

/// <summary>
/// Authenticator codes (docs/auth.md, "Second factors") through HTTP on the fake clock, with codes computed by
/// oathtool: set-up through the API (older tokens end), the password grant refused, the web login's second step
/// (a reused code, ±1 step, wrong codes in the password's throttle, a recovery code once), /authorize behind the same
/// step, turning off, an admin's and the CLI's reset, and the secret encrypted with the key-encryption key.
/// </summary>
[VariesWith(Vary.Backend)]
public sealed class SecondFactorTests(FakeClockFixture fixture) : IClassFixture<FakeClockFixture>
{
    private const string Password = AuthTestExtensions.DefaultPassword;
    private static int _nextIp = 10;

    private WorktimeApplication App => fixture.App;

    private DateTimeOffset Now => App.Clock.GetUtcNow();

    [Fact]
    public async Task Setting_up_through_the_api_ends_older_tokens_and_the_password_grant_then_refuses()
    {
        var (_, username) = await PersonAsync();
        var before = await App.LoginAsync(username);
        using var api = Bearer(before.GetProperty("access_token").GetString()!);

        var list = await JsonAsync(await api.GetAsync("/me/factors"), HttpStatusCode.OK);
        list.GetProperty("totp").GetProperty("status").GetString().ShouldBe("off");

        var setup = await JsonAsync(await api.PostAsync("/me/factors/totp", null), HttpStatusCode.Created);
        var secret = setup.GetProperty("secret").GetString()!;
        secret.Length.ShouldBe(32); // 160 bits in base32
        var uri = setup.GetProperty("otpauth_uri").GetString()!;
        uri.ShouldStartWith("otpauth://totp/");
        uri.ShouldContain("secret=" + secret);
        uri.ShouldContain("digits=6");
        uri.ShouldContain("period=30");
        (await JsonAsync(await api.GetAsync("/me/factors"), HttpStatusCode.OK)).GetProperty("totp").GetProperty("status").GetString().ShouldBe("pending");
        // Pending is not on: the password grant still works.
        await App.LoginAsync(username);

        // A code of five minutes ahead is not a current one; nothing is turned on.
        var wrong = await JsonAsync(await api.PostAsJsonAsync("/me/factors/totp/confirm", new { code = await TotpTools.OathtoolAsync(secret, Now.AddMinutes(5)) }),
            HttpStatusCode.BadRequest);
        wrong.GetProperty("error").GetString().ShouldBe("invalid_code");
        (await JsonAsync(await api.PostAsJsonAsync("/me/factors/totp/confirm", new { nothing = 1 }), HttpStatusCode.BadRequest))
            .GetProperty("error").GetString().ShouldBe("invalid_code");
        (await JsonAsync(await api.PostAsync("/me/factors/totp/confirm", new StringContent("[1]", System.Text.Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest))
            .GetProperty("error").GetString().ShouldBe("invalid_request");

        var confirmed = await JsonAsync(await api.PostAsJsonAsync("/me/factors/totp/confirm", new { code = await TotpTools.OathtoolAsync(secret, Now) }),
            HttpStatusCode.OK);
        var codes = confirmed.GetProperty("recovery_codes").EnumerateArray().Select(c => c.GetString()!).ToList();
        codes.Count.ShouldBe(10);
        codes.Distinct().Count().ShouldBe(10);
        codes.ShouldAllBe(c => System.Text.RegularExpressions.Regex.IsMatch(c, "^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$"));

        // Every token from before the factor ends: the access token at once, the refresh token at its next use.
        (await api.GetAsync("/me/factors")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        using var http = App.CreateClient();
        var refresh = await JsonAsync(await http.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token", ["refresh_token"] = before.GetProperty("refresh_token").GetString()!, ["client_id"] = "openapi",
        })), HttpStatusCode.BadRequest);
        refresh.GetProperty("error").GetString().ShouldBe("invalid_grant");

        // The password alone no longer gives tokens, with a description pointing at the flows that ask for the code.
        var grant = await PasswordGrantAsync(username, Password);
        grant.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var body = await grant.Content.ReadFromJsonAsync<JsonElement>();
        body.GetProperty("error").GetString().ShouldBe("invalid_grant");
        body.GetProperty("error_description").GetString()!.ShouldContain("authorization code flow");
        body.GetProperty("error_description").GetString()!.ShouldContain("device flow");
        // A wrong password still reads as before (nothing tells whether the account has a factor).
        (await (await PasswordGrantAsync(username, "wrong-password")).Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("error_description").GetString().ShouldBe(OAuthResults.InvalidGrantDescription);

        (await AuditAsync(username)).ShouldContain(AuditEvents.SecondFactorEnabled);
        (await StoredSecretAsync(username)).ShouldStartWith("plain:"); // no Auth:KeyEncryptionKey in this app
    }

    [Fact]
    public async Task The_web_login_asks_for_a_current_code_once_within_one_step_and_throttles_wrong_ones_with_the_password()
    {
        var (_, username) = await PersonAsync();
        var (secret, _) = await EnableAsync(username);
        App.Clock.Advance(TimeSpan.FromSeconds(30));

        using var browser = new WebLoginClient(App, NextIp());
        using (var password = await browser.PasswordAsync(username, Password))
        {
            password.StatusCode.ShouldBe(HttpStatusCode.Redirect);
            Where(password).ShouldStartWith("/app/login/code?return=");
        }
        browser.HasSession.ShouldBeFalse();
        (await AuditAsync(username)).ShouldContain(AuditEvents.PasswordVerified);

        // Two steps back is outside the ±1 step window.
        (await ErrorOfAsync(await browser.CodeAsync(await TotpTools.OathtoolAsync(secret, Now.AddSeconds(-60))))).ShouldContain("That code is not right");
        browser.HasSession.ShouldBeFalse();
        // One step ahead (a phone whose clock runs 30 s fast) is accepted.
        var code = await TotpTools.OathtoolAsync(secret, Now.AddSeconds(30));
        using (var accepted = await browser.CodeAsync(code))
        {
            accepted.StatusCode.ShouldBe(HttpStatusCode.Redirect);
            Where(accepted).ShouldBe("/app/week");
        }
        browser.HasSession.ShouldBeTrue();
        (await browser.GetAsync("/app/week")).StatusCode.ShouldBe(HttpStatusCode.OK);

        // The same code again, in another browser a moment later: refused (each code opens one door once).
        App.Clock.Advance(TimeSpan.FromSeconds(5));
        using var second = new WebLoginClient(App, NextIp());
        (await second.PasswordAsync(username, Password)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await ErrorOfAsync(await second.CodeAsync(code))).ShouldContain("That code is not right");
        second.HasSession.ShouldBeFalse();

        // Wrong codes count on the password's counters: at the (username, address) threshold the next try is refused,
        // even with the right code.
        var ip = NextIp();
        using var guesser = new WebLoginClient(App, ip);
        (await guesser.PasswordAsync(username, Password)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var farCode = await TotpTools.OathtoolAsync(secret, Now.AddHours(2));
        for (var i = 0; i < 5; i++)
        {
            (await ErrorOfAsync(await guesser.CodeAsync(farCode))).ShouldContain("That code is not right");
        }
        var key = Credentials.KeyOf(username)!;
        (await App.Service<LoginThrottle>().FailuresAsync(LoginThrottle.UserIpKey(key, ip))).ShouldBe(5);
        (await ErrorOfAsync(await guesser.CodeAsync(await TotpTools.OathtoolAsync(secret, Now.AddSeconds(30))))).ShouldContain("Too many failed attempts");
        guesser.HasSession.ShouldBeFalse();
        // The password step from that address is refused too: the same counters.
        (await ErrorOfAsync(await guesser.PasswordAsync(username, Password))).ShouldContain("Too many failed attempts");

        // Elsewhere the person still gets in, with a code newer than the last one accepted.
        App.Clock.Advance(TimeSpan.FromSeconds(30));
        using var owner = new WebLoginClient(App, NextIp());
        (await owner.PasswordAsync(username, Password)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await owner.CodeAsync(await TotpTools.OathtoolAsync(secret, Now.AddSeconds(30)))).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        owner.HasSession.ShouldBeTrue();
        var audit = await AuditAsync(username);
        audit.ShouldContain(AuditEvents.LoginFailed);
        audit.ShouldContain(AuditEvents.LoginThrottled);
    }

    [Fact]
    public async Task A_recovery_code_signs_in_once_and_the_code_step_needs_the_password_step_first()
    {
        var (_, username) = await PersonAsync();
        var (_, recovery) = await EnableAsync(username);

        using var stranger = new WebLoginClient(App, NextIp());
        using (var page = await stranger.GetAsync("/app/login/code?return=%2Fapp%2Fweek"))
        {
            page.StatusCode.ShouldBe(HttpStatusCode.Redirect);
            Where(page).ShouldStartWith("/app/login?return=");
        }

        using var browser = new WebLoginClient(App, NextIp());
        (await browser.PasswordAsync(username, Password)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        // Typed as people type it: upper-case, spaces instead of dashes.
        (await browser.CodeAsync(recovery[3].ToUpperInvariant().Replace('-', ' '))).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        browser.HasSession.ShouldBeTrue();
        (await AuditAsync(username)).ShouldContain(AuditEvents.RecoveryCodeUsed);

        using var again = new WebLoginClient(App, NextIp());
        (await again.PasswordAsync(username, Password)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await ErrorOfAsync(await again.CodeAsync(recovery[3]))).ShouldContain("That code is not right");
        again.HasSession.ShouldBeFalse();
        (await FactorsAsync(username, recovery[4])).GetProperty("recovery_codes_left").GetInt64().ShouldBe(8);
    }

    [Fact]
    public async Task Authorize_login_asks_for_the_code_before_the_app_gets_its_authorization_code()
    {
        var (_, username) = await PersonAsync();
        var (secret, _) = await EnableAsync(username);
        App.Clock.Advance(TimeSpan.FromSeconds(30));
        var client = await OAuthFlow.RegisterAsync(App, firstParty: true);
        var pkce = PkcePair.New();
        var authorize = OAuthFlow.AuthorizeQuery(client, pkce);

        using var browser = new WebLoginClient(App, NextIp());
        using (var start = await browser.GetAsync(authorize))
        {
            Where(start).ShouldStartWith("/app/login?return=");
        }
        using (var password = await browser.PasswordAsync(username, Password, authorize))
        {
            Where(password).ShouldStartWith("/app/login/code?return=");
        }
        // Without the code, /authorize still sends the browser to the login: no code for the app.
        using (var early = await browser.GetAsync(authorize))
        {
            Where(early).ShouldStartWith("/app/login?return=");
        }
        using (var code = await browser.CodeAsync(await TotpTools.OathtoolAsync(secret, Now), authorize))
        {
            Where(code).ShouldBe(authorize);
        }
        using var answer = await browser.GetAsync(authorize);
        var query = OAuthFlow.RedirectQuery(answer);
        using var http = App.CreateClient();
        var tokens = await JsonAsync(await OAuthFlow.RedeemAsync(http, client, query["code"], pkce.Verifier), HttpStatusCode.OK);
        tokens.GetProperty("access_token").GetString().ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task Turning_off_needs_the_password_and_a_fresh_code_and_an_admin_or_the_cli_can_reset()
    {
        var (partner, username) = await PersonAsync();
        var (secret, recovery) = await EnableAsync(username);
        var used = await TotpTools.OathtoolAsync(secret, Now); // spent by EnableAsync
        using var api = await BearerByRecoveryCodeAsync(username, recovery[0]);

        (await JsonAsync(await api.PostAsJsonAsync("/me/factors/totp/remove", new { password = "not-it", code = used }), HttpStatusCode.BadRequest))
            .GetProperty("error").GetString().ShouldBe("invalid_password");
        (await JsonAsync(await api.PostAsJsonAsync("/me/factors/totp/remove", new { password = Password, code = used }), HttpStatusCode.BadRequest))
            .GetProperty("error").GetString().ShouldBe("invalid_code");
        (await JsonAsync(await api.PostAsync("/me/factors/totp", null), HttpStatusCode.Conflict)).GetProperty("error").GetString().ShouldBe("factor_on");
        App.Clock.Advance(TimeSpan.FromSeconds(30));
        (await JsonAsync(await api.PostAsJsonAsync("/me/factors/totp/remove", new { password = Password, code = await TotpTools.OathtoolAsync(secret, Now) }),
            HttpStatusCode.OK)).GetProperty("removed").GetBoolean().ShouldBeTrue();
        (await AuditAsync(username)).ShouldContain(AuditEvents.SecondFactorRemoved);
        await App.LoginAsync(username); // the password grant works again

        // An admin of the partner resets a person who lost their phone; a supervisor may not, another partner's admin sees nothing.
        await EnableAsync(username);
        var person = await App.Service<UserAccounts>().FindIdAsync(username);
        var path = $"/users/{person.Value.ToString(CultureInfo.InvariantCulture)}/factors/reset";
        var supervisor = "s" + Guid.NewGuid().ToString("N")[..12];
        await App.CreateUserAsync(partner, supervisor, 3);
        using (var s = await App.LoginClientAsync(supervisor))
        {
            (await s.PostAsync(path, null)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        }
        var otherAdmin = "o" + Guid.NewGuid().ToString("N")[..12];
        await App.CreateUserAsync(await App.CreatePartnerAsync("Other Oy"), otherAdmin, 5);
        using (var o = await App.LoginClientAsync(otherAdmin))
        {
            (await o.PostAsync(path, null)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        }
        (await PasswordGrantAsync(username, Password)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var admin = "a" + Guid.NewGuid().ToString("N")[..12];
        var adminId = await App.CreateUserAsync(partner, admin, 5);
        using (var a = await App.LoginClientAsync(admin))
        {
            var reset = await JsonAsync(await a.PostAsync(path, null), HttpStatusCode.OK);
            reset.GetProperty("was_on").GetBoolean().ShouldBeTrue();
        }
        await App.LoginAsync(username);
        var records = await App.Service<AuditLog>().QueryAsync(0, Credentials.KeyOf(username), 1000);
        records.ShouldContain(r => r.Event == AuditEvents.SecondFactorReset && r.Detail!.Contains($"by=user:{adminId.ToString(CultureInfo.InvariantCulture)}"));

        // The operator's way: worktime user reset-2fa --username NAME.
        App.Clock.Advance(TimeSpan.FromSeconds(30));
        await EnableAsync(username);
        var (exit, stdout, stderr) = await CliRunner.RunAsync(App.ConnectionString, null, "user", "reset-2fa", "--username", username);
        exit.ShouldBe(0, stderr);
        stdout.ShouldContain("second factors removed");
        await App.LoginAsync(username);
        (await App.Service<AuditLog>().QueryAsync(0, Credentials.KeyOf(username), 1000))
            .ShouldContain(r => r.Event == AuditEvents.SecondFactorReset && r.Detail!.Contains("by=cli"));
        (await CliRunner.RunAsync(App.ConnectionString, null, "user", "reset-2fa", "--username", "nobody-" + username)).Exit.ShouldNotBe(0);
    }

    [Fact]
    public async Task With_a_key_encryption_key_the_secret_is_stored_encrypted_and_still_checks_codes()
    {
        await using var app = await WorktimeApplication.StartAsync(o =>
        {
            o.FakeClock = true;
            o.Settings["Auth:KeyEncryptionKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        });
        var username = "k" + Guid.NewGuid().ToString("N")[..12];
        await app.CreateUserAsync(await app.CreatePartnerAsync("Key Oy"), username, 2);
        using var api = Bearer((await app.LoginAsync(username)).GetProperty("access_token").GetString()!, app);
        var secret = (await JsonAsync(await api.PostAsync("/me/factors/totp", null), HttpStatusCode.Created)).GetProperty("secret").GetString()!;
        var stored = await StoredSecretAsync(username, app);
        stored.ShouldStartWith("aesgcm:");
        stored.ShouldNotContain(secret);
        await JsonAsync(await api.PostAsJsonAsync("/me/factors/totp/confirm", new { code = await TotpTools.OathtoolAsync(secret, app.Clock.GetUtcNow()) }),
            HttpStatusCode.OK);
        app.Clock.Advance(TimeSpan.FromSeconds(30));
        using var browser = new WebLoginClient(app, "10.9.9.9");
        (await browser.PasswordAsync(username, Password)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await browser.CodeAsync(await TotpTools.OathtoolAsync(secret, app.Clock.GetUtcNow()))).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        browser.HasSession.ShouldBeTrue();
    }

    /// <summary>A person of a new partner: (partner, username).</summary>
    [Fact]
    public async Task Turning_off_while_every_hashing_slot_is_busy_answers_429_with_Retry_After_and_changes_nothing()
    {
        // The real clock: the hashing queue's timeout runs on it (a fake clock would never let it expire).
        await using var busy = await WorktimeApplication.StartAsync(o =>
        {
            o.Settings["Auth:HashConcurrency"] = "1";
            o.Settings["Auth:HashQueueTimeout"] = "00:00:00.200";
        });
        var username = "b" + Guid.NewGuid().ToString("N")[..12];
        await busy.CreateUserAsync(await busy.CreatePartnerAsync("Busy Oy"), username, 2);
        var (_, recovery) = await EnableAsync(busy, username, DateTimeOffset.UtcNow);
        using var api = await BearerByRecoveryCodeAsync(busy, username, recovery[0]);
        var hasher = busy.Service<PasswordHasher>();
        using var release = new ManualResetEventSlim();
        var holding = new TaskCompletionSource();
        var holder = Task.Run(() => hasher.RunGatedAsync(() => { holding.SetResult(); release.Wait(); return 0; }, CancellationToken.None));
        await holding.Task;

        using var refused = await api.PostAsJsonAsync("/me/factors/totp/remove", new { password = Password, code = recovery[1] });
        release.Set();
        await holder;

        refused.Headers.RetryAfter.ShouldNotBeNull().Delta.ShouldBe(TimeSpan.FromSeconds(1));
        (await JsonAsync(refused, HttpStatusCode.TooManyRequests)).GetProperty("error").GetString().ShouldBe("temporarily_unavailable");
        var factors = await JsonAsync(await api.GetAsync("/me/factors"), HttpStatusCode.OK);
        factors.GetProperty("totp").GetProperty("status").GetString().ShouldBe("on");
        factors.GetProperty("recovery_codes_left").GetInt64().ShouldBe(9); // the one that signed in, not the refused one
    }

    private async Task<(long Partner, string Username)> PersonAsync()
    {
        var partner = await App.CreatePartnerAsync("Factor Oy");
        var username = "f" + Guid.NewGuid().ToString("N")[..12];
        await App.CreateUserAsync(partner, username, 2);
        return (partner, username);
    }

    /// <summary>Turns the person's authenticator app on through the API with a code of now: (secret, recovery codes).</summary>
    private Task<(string Secret, List<string> Recovery)> EnableAsync(string username) => EnableAsync(App, username, Now);

    /// <summary>The same on another app, with a code of <paramref name="now"/> as that app's clock tells it.</summary>
    private async Task<(string Secret, List<string> Recovery)> EnableAsync(WorktimeApplication app, string username, DateTimeOffset now)
    {
        using var api = Bearer((await app.LoginAsync(username)).GetProperty("access_token").GetString()!, app);
        var secret = (await JsonAsync(await api.PostAsync("/me/factors/totp", null), HttpStatusCode.Created)).GetProperty("secret").GetString()!;
        var confirmed = await JsonAsync(await api.PostAsJsonAsync("/me/factors/totp/confirm", new { code = await TotpTools.OathtoolAsync(secret, now) }),
            HttpStatusCode.OK);
        return (secret, confirmed.GetProperty("recovery_codes").EnumerateArray().Select(c => c.GetString()!).ToList());
    }

    /// <summary>
    /// An API client of a person with a factor: the web login with a recovery code, then the authorization code flow
    /// of a first-party app (what such a person's integration does).
    /// </summary>
    private Task<HttpClient> BearerByRecoveryCodeAsync(string username, string recoveryCode) =>
        BearerByRecoveryCodeAsync(App, username, recoveryCode);

    private async Task<HttpClient> BearerByRecoveryCodeAsync(WorktimeApplication app, string username, string recoveryCode)
    {
        var client = await OAuthFlow.RegisterAsync(app, firstParty: true);
        var pkce = PkcePair.New();
        var authorize = OAuthFlow.AuthorizeQuery(client, pkce);
        using var browser = new WebLoginClient(app, NextIp());
        (await browser.PasswordAsync(username, Password, authorize)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await browser.CodeAsync(recoveryCode, authorize)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        using var answer = await browser.GetAsync(authorize);
        using var http = app.CreateClient();
        var tokens = await JsonAsync(await OAuthFlow.RedeemAsync(http, client, OAuthFlow.RedirectQuery(answer)["code"], pkce.Verifier), HttpStatusCode.OK);
        return Bearer(tokens.GetProperty("access_token").GetString()!, app);
    }

    private async Task<JsonElement> FactorsAsync(string username, string recoveryCode)
    {
        using var api = await BearerByRecoveryCodeAsync(username, recoveryCode);
        return await JsonAsync(await api.GetAsync("/me/factors"), HttpStatusCode.OK);
    }

    private HttpClient Bearer(string accessToken, WorktimeApplication? app = null)
    {
        var client = (app ?? App).CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return client;
    }

    private async Task<HttpResponseMessage> PasswordGrantAsync(string username, string password)
    {
        using var http = App.CreateClient();
        return await http.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["username"] = username, ["password"] = password, ["client_id"] = "openapi",
        }));
    }

    private async Task<List<string>> AuditAsync(string username) =>
        (await App.Service<AuditLog>().QueryAsync(0, Credentials.KeyOf(username), 1000)).Select(r => r.Event).ToList();

    private async Task<string> StoredSecretAsync(string username, WorktimeApplication? app = null)
    {
        app ??= App;
        var id = (await app.Service<UserAccounts>().FindIdAsync(username)).Value;
        await using var connection = await app.Service<Database>().OpenAsync();
        return await connection.ExecuteScalarAsync<string>("SELECT secret FROM totp_factors WHERE user_id = @id", new { id }) ?? "";
    }

    /// <summary>A page answered with its error (200, role=alert): the alert's text.</summary>
    private static async Task<string> ErrorOfAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var html = await response.Content.ReadAsStringAsync();
            response.StatusCode.ShouldBe(HttpStatusCode.OK, html);
            var match = System.Text.RegularExpressions.Regex.Match(html, "role=\"alert\"[^>]*>([^<]*)<");
            match.Success.ShouldBeTrue(html);
            return WebUtility.HtmlDecode(match.Groups[1].Value);
        }
    }

    private static string NextIp() => "10.77.0." + Interlocked.Increment(ref _nextIp).ToString(CultureInfo.InvariantCulture);
}
