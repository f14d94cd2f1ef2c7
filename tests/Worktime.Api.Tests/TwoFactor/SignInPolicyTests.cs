using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Worktime.Api.Accounts;
using Worktime.Api.Auth;
using Worktime.Api.Tests.Infrastructure;
using Worktime.Api.Tests.OAuth;
using static Worktime.Api.Tests.Infrastructure.HttpAnswers;

namespace Worktime.Api.Tests.TwoFactor;

/// <summary>
/// A partner's sign-in policy (docs/auth.md, "A policy per company") through HTTP: <c>second_factor_levels</c> written by
/// level 5 and read back, bad bodies refused without a change; a listed person without a factor is sent to the set-up
/// after the password (web login and <c>/authorize</c>), every other page sends them back there, the password grant
/// refuses them; after the set-up (codes from oathtool) they go where they were going.
/// </summary>
[VariesWith(Vary.Backend)]
public sealed partial class SignInPolicyTests(FakeClockFixture fixture) : IClassFixture<FakeClockFixture>
{
    private const string Password = AuthTestExtensions.DefaultPassword;
    private static int _nextIp = 10;

    private WorktimeApplication App => fixture.App;

    [Fact]
    public async Task Admins_write_the_levels_through_the_api_everyone_reads_them_and_bad_bodies_change_nothing()
    {
        var partner = await App.CreatePartnerAsync("Policy Oy");
        var admin = await PersonAsync(partner, 5);
        var supervisor = await PersonAsync(partner, 4);
        var worker = await PersonAsync(partner, 1);
        using var adminApi = await App.LoginClientAsync(admin);
        using var supervisorApi = await App.LoginClientAsync(supervisor);
        using var workerApi = await App.LoginClientAsync(worker);

        (await LevelsAsync(workerApi)).ShouldBeEmpty();
        var written = await JsonAsync(await adminApi.PutAsJsonAsync("/partner/security", new { second_factor_levels = new List<int> { 5, 3, 3 } }), HttpStatusCode.OK);
        written.GetProperty("second_factor_levels").EnumerateArray().Select(l => l.GetInt64()).ShouldBe([3L, 5L]);
        (await LevelsAsync(workerApi)).ShouldBe([3L, 5L]);
        (await LevelsAsync(adminApi)).ShouldBe([3L, 5L]);

        // Below level 5: refused, nothing changes. Another partner's admin sees and writes their own policy only.
        (await JsonAsync(await supervisorApi.PutAsJsonAsync("/partner/security", new { second_factor_levels = Array.Empty<int>() }), HttpStatusCode.Forbidden))
            .GetProperty("error").GetString().ShouldBe("forbidden");
        var otherAdmin = await PersonAsync(await App.CreatePartnerAsync("Other Oy"), 5);
        using (var other = await App.LoginClientAsync(otherAdmin))
        {
            (await LevelsAsync(other)).ShouldBeEmpty();
            await JsonAsync(await other.PutAsJsonAsync("/partner/security", new { second_factor_levels = new List<int> { 1 } }), HttpStatusCode.OK);
        }
        foreach (var bad in (string[])["[4]", "{}", "{\"second_factor_levels\":4}", "{\"second_factor_levels\":[6]}", "{\"second_factor_levels\":[0]}",
                     "{\"second_factor_levels\":[\"4\"]}", "{\"second_factor_levels\":[4.5]}", "not json"])
        {
            var refused = await JsonAsync(await adminApi.PutAsync("/partner/security", new StringContent(bad, System.Text.Encoding.UTF8, "application/json")),
                HttpStatusCode.BadRequest);
            refused.GetProperty("error").GetString().ShouldBe("invalid_request", bad);
            refused.GetProperty("error_description").GetString()!.ShouldContain("second_factor_levels");
        }
        (await LevelsAsync(workerApi)).ShouldBe([3L, 5L]);
        (await JsonAsync(await adminApi.PutAsJsonAsync("/partner/security", new { second_factor_levels = Array.Empty<int>() }), HttpStatusCode.OK))
            .GetProperty("second_factor_levels").GetArrayLength().ShouldBe(0);
        (await LevelsAsync(workerApi)).ShouldBeEmpty();

        var records = await App.Service<AuditLog>().QueryAsync(0, Credentials.KeyOf(admin), 1000);
        records.Where(r => r.Event == AuditEvents.SignInPolicyChanged).Select(r => r.Detail)
            .ShouldBe(["second_factor_levels=none passkey_sign_in=no", "second_factor_levels=3,5 passkey_sign_in=no"], ignoreOrder: true);

        // The API reference documents both routes (the web app's rule: no page without an API equivalent).
        using var http = App.CreateClient();
        var document = await JsonAsync(await http.GetAsync("/openapi/v1.json"), HttpStatusCode.OK);
        var path = document.GetProperty("paths").GetProperty("/partner/security");
        path.GetProperty("get").GetProperty("operationId").GetString().ShouldBe("getSignInPolicy");
        path.GetProperty("put").GetProperty("operationId").GetString().ShouldBe("setSignInPolicy");
    }

    [Fact]
    public async Task A_listed_person_without_a_factor_sets_one_up_before_anything_else_and_then_goes_where_they_were_going()
    {
        var partner = await App.CreatePartnerAsync("Strict Oy");
        var admin = await PersonAsync(partner, 5);
        var foreman = await PersonAsync(partner, 4);
        var worker = await PersonAsync(partner, 2);
        using var before = new WebLoginClient(App, NextIp());
        (await before.PasswordAsync(foreman, Password)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await before.GetAsync("/app/week")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await SetLevelsAsync(admin, 4, 5);

        // The password grant gives no tokens until the set-up; an unlisted level is not touched.
        var grant = await PasswordGrantAsync(foreman);
        grant.GetProperty("error").GetString().ShouldBe("invalid_grant");
        grant.GetProperty("error_description").GetString().ShouldBe(PasswordGrant.SetUpDescription);
        await App.LoginAsync(worker);

        // A session from before the policy is held at the set-up from its next page on.
        using (var held = await before.GetAsync("/app/week"))
        {
            Where(held).ShouldBe("/app/profile?return=%2Fapp%2Fweek");
        }

        // The web login: the password starts a session that opens the set-up page only.
        using var browser = new WebLoginClient(App, NextIp());
        using (var password = await browser.PasswordAsync(foreman, Password, "/app/balance"))
        {
            Where(password).ShouldBe("/app/profile?return=%2Fapp%2Fbalance");
        }
        browser.HasSession.ShouldBeTrue();
        foreach (var path in (string[])["/app/week", "/app/team", "/app/apps", "/app/device", "/app/absences?year=2026", "/app/worktimes.csv"])
        {
            using var refused = await browser.GetAsync(path);
            Where(refused).ShouldBe("/app/profile?return=" + Uri.EscapeDataString(path));
        }
        using (var profile = await browser.GetAsync("/app/profile?return=%2Fapp%2Fbalance"))
        {
            profile.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await profile.Content.ReadAsStringAsync()).ShouldContain("id=\"policy-notice\"");
        }

        // The set-up on the page, with a code from oathtool; afterwards every page opens and "Done" goes back.
        string secret;
        using (var started = await browser.SubmitAsync("/app/profile?return=%2Fapp%2Fbalance", "totp-start", []))
        {
            var html = await started.Content.ReadAsStringAsync();
            started.StatusCode.ShouldBe(HttpStatusCode.OK, html);
            secret = SecretKey().Match(html).Groups[1].Value.Replace(" ", "", StringComparison.Ordinal);
            secret.Length.ShouldBe(32, html);
        }
        using (var verified = await browser.SubmitAsync("/app/profile?return=%2Fapp%2Fbalance", "totp-verify", new()
               {
                   ["Setup.Code"] = await TotpTools.OathtoolAsync(secret, App.Clock.GetUtcNow()),
               }))
        {
            var html = await verified.Content.ReadAsStringAsync();
            verified.StatusCode.ShouldBe(HttpStatusCode.OK, html);
            html.ShouldContain("recovery-codes");
            html.ShouldContain("href=\"/app/balance\"");
            html.ShouldNotContain("id=\"policy-notice\"");
        }
        (await browser.GetAsync("/app/week")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await browser.GetAsync("/app/team")).StatusCode.ShouldBe(HttpStatusCode.OK);
        // The old session ended with the factor (security_version), as for anyone who sets one up.
        Where(await before.GetAsync("/app/week")).ShouldStartWith("/app/login?return=");
    }

    [Fact]
    public async Task Authorize_sends_a_listed_person_without_a_factor_to_the_set_up_before_the_app_gets_a_code()
    {
        var partner = await App.CreatePartnerAsync("Apps Oy");
        var admin = await PersonAsync(partner, 5);
        await SetLevelsAsync(admin, 5);
        var client = await OAuthFlow.RegisterAsync(App, firstParty: true);
        var pkce = PkcePair.New();
        var authorize = OAuthFlow.AuthorizeQuery(client, pkce);

        using var browser = new WebLoginClient(App, NextIp());
        using (var password = await browser.PasswordAsync(admin, Password, authorize))
        {
            Where(password).ShouldStartWith("/app/profile?return=%2Fauthorize%3F");
        }
        using (var again = await browser.GetAsync(authorize))
        {
            Where(again).ShouldStartWith("/app/profile?return=%2Fauthorize%3F");
        }
        // The admin page that set the policy is held too: the admin sets up a factor like everyone else.
        Where(await browser.GetAsync("/app/admin/security")).ShouldBe("/app/profile?return=%2Fapp%2Fadmin%2Fsecurity");
    }

    private async Task<string> PersonAsync(long partner, int level)
    {
        var username = "p" + Guid.NewGuid().ToString("N")[..12];
        await App.CreateUserAsync(partner, username, level);
        return username;
    }

    private async Task SetLevelsAsync(string admin, params int[] levels)
    {
        using var api = await App.LoginClientAsync(admin);
        await JsonAsync(await api.PutAsJsonAsync("/partner/security", new { second_factor_levels = levels }), HttpStatusCode.OK);
    }

    private static async Task<List<long>> LevelsAsync(HttpClient api) =>
        (await JsonAsync(await api.GetAsync("/partner/security"), HttpStatusCode.OK))
            .GetProperty("second_factor_levels").EnumerateArray().Select(l => l.GetInt64()).ToList();

    private async Task<JsonElement> PasswordGrantAsync(string username)
    {
        using var http = App.CreateClient();
        return await JsonAsync(await http.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["username"] = username, ["password"] = Password, ["client_id"] = "openapi",
        })), HttpStatusCode.BadRequest);
    }

    private static string NextIp() => "10.78.0." + Interlocked.Increment(ref _nextIp).ToString(System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex("id=\"secret-key\">([A-Z2-7 ]+)<")]
    private static partial Regex SecretKey();
}
