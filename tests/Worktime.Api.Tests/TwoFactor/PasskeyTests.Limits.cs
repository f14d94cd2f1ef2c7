using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Options;
using Worktime.Api.Accounts;
using Worktime.Api.Auth;
using Worktime.Api.Data;
using Worktime.Api.Tests.Infrastructure;
using Worktime.Api.TwoFactor;
using static Worktime.Api.Tests.Infrastructure.HttpAnswers;

namespace Worktime.Api.Tests.TwoFactor;

/// <summary>
/// The passkey ceremonies' limits and the first step's checks (docs/auth.md, "Passkeys"): anonymous sign-in options
/// counted per address, a throttled registration's wait, the plain-http cookie check before a passkey alone as before a
/// password, and a company's policy satisfied with a passkey.
/// </summary>
public sealed partial class PasskeyTests
{
    [Fact]
    public async Task Anonymous_sign_in_options_are_limited_per_address_and_past_the_limit_answer_429_and_store_no_ceremony()
    {
        var limit = App.Service<IOptions<AuthOptions>>().Value.Throttle.IpFailures;
        var ip = NextIp();
        using var browser = new WebLoginClient(App, ip);
        var before = await AnonymousCeremoniesAsync();
        for (var i = 0; i < limit; i++)
        {
            await SignInOptionsAsync(browser, alone: true);
        }
        (await AnonymousCeremoniesAsync()).ShouldBe(before + limit);

        // The next one is refused with the throttle's wait, as the login is, and stores nothing; a refused start counts
        // too (the wait doubles, as for a refused login).
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var wait = await App.Service<LoginThrottle>().RefusedForAsync([Passkeys.StartsKey(ip)], CancellationToken.None);
            wait.ShouldNotBeNull();
            using var refused = await browser.PostWithTokenOfAsync("/app/login", "/app/login/passkey-options", new() { ["mode"] = "alone" });
            var body = await JsonAsync(refused, HttpStatusCode.TooManyRequests);
            body.GetProperty("error").GetString().ShouldBe("slow_down");
            refused.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(Math.Ceiling(wait.Value.TotalSeconds)));
        }
        (await AnonymousCeremoniesAsync()).ShouldBe(before + limit);
        // Without a password step the code page's button gets no other treatment.
        using (var refused = await browser.PostWithTokenOfAsync("/app/login", "/app/login/passkey-options", []))
        {
            refused.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        }
        (await AnonymousCeremoniesAsync()).ShouldBe(before + limit);

        // Another address is not held up; the second step after a password on the held address is not counted.
        using (var elsewhere = new WebLoginClient(App, NextIp()))
        {
            await SignInOptionsAsync(elsewhere, alone: true);
        }
        var (partner, username) = await PersonAsync();
        using var authenticator = new SoftAuthenticator(RpId, Origin);
        await RegisterAsync(username, authenticator);
        using (var second = new WebLoginClient(App, ip))
        {
            (await second.PasswordAsync(username, Password)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
            var (_, options) = await SignInOptionsAsync(second);
            options.GetProperty("allowCredentials").GetArrayLength().ShouldBe(1);
        }

        // Once the wait is over, a sign-in with a passkey alone from the address clears its count (an office's own people
        // do not hold each other up).
        await AllowPasskeyAloneAsync(partner);
        App.Clock.Advance(TimeSpan.FromMinutes(1));
        var (ceremony, aloneOptions) = await SignInOptionsAsync(browser, alone: true);
        (await App.Service<LoginThrottle>().RefusedForAsync([Passkeys.StartsKey(ip)], CancellationToken.None)).ShouldNotBeNull();
        using (var accepted = await PasskeyAloneAsync(browser, ceremony, authenticator.Get(aloneOptions)))
        {
            accepted.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        }
        (await App.Service<LoginThrottle>().FailuresAsync(Passkeys.StartsKey(ip))).ShouldBe(0);
        await SignInOptionsAsync(browser, alone: true);
    }

    [Fact]
    public async Task A_throttled_registration_answers_429_with_the_throttles_wait()
    {
        var (_, username) = await PersonAsync();
        var ip = NextIp();
        using var api = Bearer((await App.LoginAsync(username)).GetProperty("access_token").GetString()!);
        api.DefaultRequestHeaders.Add(WorktimeApplication.RemoteIpHeader, ip);
        var key = Credentials.KeyOf(username)!;
        var bad = new { ceremony = "no-such-ceremony", name = "Laptop", credential = new { id = "x" } };
        var refusals = new List<TimeSpan>();
        for (var i = 0; i < 10 && refusals.Count < 3; i++)
        {
            var wait = (await App.Service<LoginThrottle>().CheckAsync(key, ip, CancellationToken.None)).RefusedFor;
            using var answer = await api.PostAsJsonAsync("/me/factors/passkeys", bad);
            if (wait is null)
            {
                (await JsonAsync(answer, HttpStatusCode.BadRequest)).GetProperty("error").GetString().ShouldBe("invalid_passkey");
                continue;
            }
            (await JsonAsync(answer, HttpStatusCode.TooManyRequests)).GetProperty("error").GetString().ShouldBe("slow_down");
            answer.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(Math.Ceiling(wait.Value.TotalSeconds)));
            refusals.Add(wait.Value);
        }
        // Refused attempts count as the login's do, so the waits grow: a header fixed at 1 second would fail here.
        refusals.Count.ShouldBe(3);
        refusals[^1].ShouldBeGreaterThan(TimeSpan.FromSeconds(1));
        // The options of a new registration need no answer to be checked, so they are not refused.
        (await api.PostAsync("/me/factors/passkeys/options", null)).StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Over_plain_http_a_passkey_alone_is_refused_before_it_is_checked_like_the_password()
    {
        var (partner, username) = await PersonAsync();
        using var authenticator = new SoftAuthenticator(RpId, Origin);
        await RegisterAsync(username, authenticator);
        await AllowPasskeyAloneAsync(partner);
        const string Dropped = "This address uses plain http, so the browser would drop the login cookie";

        // The server's own name over http (not a loopback name): the browser would drop the Secure session cookie.
        var ip = NextIp();
        using var insecure = new WebLoginClient(App, ip, new Uri("http://worktime.test"));
        (await ErrorOfAsync(await insecure.PasswordAsync(username, Password))).ShouldContain(Dropped);
        var (ceremony, options) = await SignInOptionsAsync(insecure, alone: true);
        var answer = authenticator.Get(options);
        (await ErrorOfAsync(await PasskeyAloneAsync(insecure, ceremony, answer))).ShouldContain(Dropped);
        insecure.HasSession.ShouldBeFalse();
        (await App.Service<LoginThrottle>().FailuresAsync(LoginThrottle.UserIpKey(Credentials.KeyOf(username)!, ip))).ShouldBe(0);

        // Nothing was spent: the same answer to the same ceremony signs in where the cookie is kept.
        using var secure = new WebLoginClient(App, ip);
        using (var accepted = await PasskeyAloneAsync(secure, ceremony, answer))
        {
            accepted.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        }
        secure.HasSession.ShouldBeTrue();
    }

    [Fact]
    public async Task Under_the_companys_policy_a_passkey_set_up_on_the_profile_page_lets_the_person_go_where_they_were_going()
    {
        var (partner, username) = await PersonAsync();
        var admin = "a" + Guid.NewGuid().ToString("N")[..12];
        await App.CreateUserAsync(partner, admin, 5);
        using (var api = await App.LoginClientAsync(admin))
        {
            await JsonAsync(await api.PutAsJsonAsync("/partner/security", new { second_factor_levels = new List<int> { 2 } }), HttpStatusCode.OK);
        }

        const string Profile = "/app/profile?return=%2Fapp%2Fbalance";
        using var browser = new WebLoginClient(App, NextIp());
        using (var password = await browser.PasswordAsync(username, Password, "/app/balance"))
        {
            Where(password).ShouldBe(Profile);
        }
        using (var held = await browser.GetAsync("/app/week"))
        {
            Where(held).ShouldBe("/app/profile?return=%2Fapp%2Fweek");
        }
        var heldSession = browser.Cookies.First(c => c.Key.EndsWith("worktime-session", StringComparison.Ordinal)).Value;

        // What the page's script does: the registration's options, the authenticator's answer, the form posted back.
        var started = await JsonAsync(await browser.PostWithTokenOfAsync(Profile, "/app/passkeys/registration-options", []), HttpStatusCode.OK);
        using var authenticator = new SoftAuthenticator(RpId, Origin);
        var credential = authenticator.Create(started.GetProperty("options"));
        using (var added = await browser.SubmitAsync(Profile, "passkey-add", new()
               {
                   ["NewPasskey.Name"] = "Phone",
                   ["NewPasskey.Ceremony"] = started.GetProperty("ceremony").GetString()!,
                   ["NewPasskey.Credential"] = credential,
               }))
        {
            var html = await added.Content.ReadAsStringAsync();
            added.StatusCode.ShouldBe(HttpStatusCode.OK, html);
            html.ShouldContain("class=\"passkey-name\">Phone<");
            html.ShouldContain("recovery-codes");
            html.ShouldContain("id=\"passkey-done\" href=\"/app/balance\"");
            html.ShouldNotContain("id=\"policy-notice\"");
        }

        // A new session (the set-up ended the held one); every page opens now.
        browser.Cookies.First(c => c.Key.EndsWith("worktime-session", StringComparison.Ordinal)).Value.ShouldNotBe(heldSession);
        (await browser.GetAsync("/app/balance")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await browser.GetAsync("/app/week")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await PasswordGrantAsync(username)).GetProperty("error_description").GetString().ShouldBe(PasswordGrant.SecondFactorDescription);

        // The next sign-in asks for the passkey after the password, and then goes straight on.
        using var next = new WebLoginClient(App, NextIp());
        using (var password = await next.PasswordAsync(username, Password, "/app/balance"))
        {
            Where(password).ShouldBe("/app/login/code?return=%2Fapp%2Fbalance");
        }
        var (ceremony, options) = await SignInOptionsAsync(next, returnPath: "/app/balance");
        using (var accepted = await PasskeyStepAsync(next, ceremony, authenticator.Get(options), "/app/balance"))
        {
            Where(accepted).ShouldBe("/app/balance");
        }
    }

    private async Task AllowPasskeyAloneAsync(long partner)
    {
        var admin = "a" + Guid.NewGuid().ToString("N")[..12];
        await App.CreateUserAsync(partner, admin, 5);
        using var api = await App.LoginClientAsync(admin);
        await JsonAsync(await api.PutAsJsonAsync("/partner/security", new { passkey_sign_in = true }), HttpStatusCode.OK);
    }

    /// <summary>Ceremonies for a sign-in with a passkey alone that are waiting for their answer (the rows each start writes).</summary>
    private async Task<long> AnonymousCeremoniesAsync()
    {
        await using var connection = await App.Service<Database>().OpenAsync(CancellationToken.None);
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM passkey_ceremonies WHERE user_id IS NULL AND expires_at >= @now",
            new { now = App.Clock.GetUtcNow().ToUnixTimeSeconds() });
    }
}
