using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Worktime.Api.Tests.Infrastructure;
using static Worktime.Api.Tests.Infrastructure.HttpAnswers;
using static Worktime.Api.Tests.OAuth.DeviceFlow;
using static Worktime.Api.Tests.OAuth.OAuthFlow;

namespace Worktime.Api.Tests.OAuth;

/// <summary>
/// Device authorization (RFC 8628; docs/auth.md, "Device authorization") through HTTP: the device's start and polls,
/// every polling answer of section 3.5, the person's confirmation on <c>/app/device</c>, single use, and what a client
/// without <c>--device</c> gets. One app on the fake clock for the class (polling intervals and expiry move it).
/// </summary>
[VariesWith(Vary.Backend)]
public sealed partial class DeviceAuthorizationTests(DeviceAuthorizationTests.App fixture) : IClassFixture<DeviceAuthorizationTests.App>
{
    public sealed class App : IAsyncLifetime
    {
        public WorktimeApplication Worktime { get; } = new(o => o.FakeClock = true);

        public Task InitializeAsync() => Worktime.InitializeAsync();

        public Task DisposeAsync() => Worktime.DisposeAsync().AsTask();
    }

    private WorktimeApplication AppUnderTest => fixture.Worktime;

    private Task<string> DeviceClientAsync() => RegisterAsync(AppUnderTest, firstParty: false, device: true, redirectUris: [Callback]);

    [Fact]
    public async Task Start_answers_the_rfc_8628_members_with_a_readable_user_code()
    {
        var client = await DeviceClientAsync();
        using var http = AppUnderTest.CreateClient();

        var start = await StartAsync(http, client);

        start.EnumerateObject().Select(p => p.Name).ShouldBe(["device_code", "user_code", "verification_uri", "verification_uri_complete", "expires_in", "interval"]);
        var userCode = start.GetProperty("user_code").GetString()!;
        UserCode().IsMatch(userCode).ShouldBeTrue(userCode);
        start.GetProperty("verification_uri").GetString().ShouldBe("http://worktime.test/app/device");
        start.GetProperty("verification_uri_complete").GetString().ShouldBe("http://worktime.test/app/device?user_code=" + userCode);
        start.GetProperty("expires_in").GetInt64().ShouldBe(600);
        start.GetProperty("interval").GetInt64().ShouldBe(5);
        var metadata = await JsonAsync(await http.GetAsync("/.well-known/oauth-authorization-server"), HttpStatusCode.OK);
        metadata.GetProperty("device_authorization_endpoint").GetString().ShouldBe("http://worktime.test/device_authorization");
        metadata.GetProperty("grant_types_supported").EnumerateArray().Select(g => g.GetString()).ShouldContain(DeviceGrant);
    }

    [Fact]
    public async Task Pending_then_slow_down_then_tokens_once_and_a_second_redemption_revokes_them()
    {
        var client = await DeviceClientAsync();
        var (userId, _, cookie) = await PersonAsync(AppUnderTest);
        using var http = AppUnderTest.CreateClient();
        using var browser = Browser(AppUnderTest);
        var start = await StartAsync(http, client);
        var deviceCode = start.GetProperty("device_code").GetString()!;

        AppUnderTest.Clock.Advance(TimeSpan.FromSeconds(5));
        (await PollErrorAsync(http, client, deviceCode)).ShouldBe("authorization_pending");
        AppUnderTest.Clock.Advance(TimeSpan.FromSeconds(1)); // too soon
        using (var slow = await PollAsync(http, client, deviceCode))
        {
            var body = await JsonAsync(slow, HttpStatusCode.BadRequest);
            body.GetProperty("error").GetString().ShouldBe("slow_down");
            body.GetProperty("interval").GetInt64().ShouldBe(10); // RFC 8628 section 3.5: five seconds more from now on
        }
        AppUnderTest.Clock.Advance(TimeSpan.FromSeconds(6));
        (await PollErrorAsync(http, client, deviceCode)).ShouldBe("slow_down"); // 6 s is within the new 10: now 15

        var html = await DecideAsync(browser, cookie, start.GetProperty("user_code").GetString()!.ToLowerInvariant(), "allow");
        html.ShouldContain("Done. You can go back to your device.");
        AppUnderTest.Clock.Advance(TimeSpan.FromSeconds(15));
        using var granted = await PollAsync(http, client, deviceCode);
        var tokens = await JsonAsync(granted, HttpStatusCode.OK);
        tokens.GetProperty("user_id").GetInt64().ShouldBe(userId);
        tokens.EnumerateObject().ShouldAllBe(p => p.Value.ValueKind != JsonValueKind.Null);

        AppUnderTest.Clock.Advance(TimeSpan.FromSeconds(10));
        (await PollErrorAsync(http, client, deviceCode)).ShouldBe("invalid_grant");
        var refresh = await JsonAsync(await http.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token", ["client_id"] = client, ["refresh_token"] = tokens.GetProperty("refresh_token").GetString()!,
        })), HttpStatusCode.BadRequest);
        refresh.GetProperty("error").GetString().ShouldBe("invalid_grant");
    }

    [Fact]
    public async Task Denied_is_access_denied_and_an_unconfirmed_code_expires()
    {
        var client = await DeviceClientAsync();
        var (_, _, cookie) = await PersonAsync(AppUnderTest);
        using var http = AppUnderTest.CreateClient();
        using var browser = Browser(AppUnderTest);
        var denied = await StartAsync(http, client);
        var waiting = await StartAsync(http, client);

        (await DecideAsync(browser, cookie, denied.GetProperty("user_code").GetString()!, "deny")).ShouldContain("Denied. The device gets no access.");
        AppUnderTest.Clock.Advance(TimeSpan.FromSeconds(5));
        (await PollErrorAsync(http, client, denied.GetProperty("device_code").GetString()!)).ShouldBe("access_denied");

        AppUnderTest.Clock.Advance(TimeSpan.FromMinutes(10));
        (await PollErrorAsync(http, client, waiting.GetProperty("device_code").GetString()!)).ShouldBe("expired_token");
        var (_, html) = await PageAsync(browser, cookie, "device-code", ("code", waiting.GetProperty("user_code").GetString()!));
        html.ShouldContain("No device is waiting for this code.");
    }

    [Fact]
    public async Task Another_clients_device_code_or_a_client_without_device_is_refused()
    {
        var client = await DeviceClientAsync();
        var other = await DeviceClientAsync();
        var browserOnly = await RegisterAsync(AppUnderTest, firstParty: true);
        using var http = AppUnderTest.CreateClient();
        var start = await StartAsync(http, client);

        AppUnderTest.Clock.Advance(TimeSpan.FromSeconds(5));
        (await PollErrorAsync(http, other, start.GetProperty("device_code").GetString()!)).ShouldBe("invalid_grant");
        (await StartAsync(http, browserOnly, HttpStatusCode.BadRequest)).GetProperty("error").GetString().ShouldBe("unauthorized_client");
        (await StartAsync(http, "openapi", HttpStatusCode.BadRequest)).GetProperty("error").GetString().ShouldBe("invalid_client");
        (await PollErrorAsync(http, browserOnly, start.GetProperty("device_code").GetString()!)).ShouldBe("unauthorized_client");
        (await PollErrorAsync(http, client, "not-a-device-code")).ShouldBe("invalid_grant");
    }

    [Fact]
    public async Task Wrong_user_codes_on_the_page_are_throttled_per_person()
    {
        var client = await DeviceClientAsync();
        var (_, _, cookie) = await PersonAsync(AppUnderTest);
        using var http = AppUnderTest.CreateClient();
        using var browser = Browser(AppUnderTest);
        var start = await StartAsync(http, client);

        for (var attempt = 0; attempt < 5; attempt++)
        {
            var (_, wrong) = await PageAsync(browser, cookie, "device-code", ("code", "BBBB-BBBB"));
            wrong.ShouldContain("No device is waiting for this code.");
        }
        var (_, refused) = await PageAsync(browser, cookie, "device-code", ("code", start.GetProperty("user_code").GetString()!));

        refused.ShouldContain("Too many wrong codes.");
        refused.ShouldNotContain("to use Worktime as you?");
    }

    [Fact]
    public async Task The_page_needs_a_session_and_its_decision_needs_the_antiforgery_token()
    {
        var client = await DeviceClientAsync();
        var (_, _, cookie) = await PersonAsync(AppUnderTest);
        using var http = AppUnderTest.CreateClient();
        using var browser = Browser(AppUnderTest);
        var start = await StartAsync(http, client);
        var userCode = start.GetProperty("user_code").GetString()!;

        using (var signedOut = await GetAsync(browser, "/app/device?user_code=" + userCode, cookie: null))
        {
            signedOut.StatusCode.ShouldBe(HttpStatusCode.Redirect);
            signedOut.Headers.Location!.ToString().ShouldContain("/app/login?return=%2Fapp%2Fdevice%3Fuser_code%3D" + userCode);
        }
        using var forged = new HttpRequestMessage(HttpMethod.Post, "/app/device")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["_handler"] = "device-decision", ["code"] = userCode.Replace("-", "", StringComparison.Ordinal), ["decision"] = "allow",
            }),
        };
        forged.Headers.Add("Cookie", cookie);
        using (var answer = await browser.SendAsync(forged))
        {
            answer.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        }
        AppUnderTest.Clock.Advance(TimeSpan.FromSeconds(5));
        (await PollErrorAsync(http, client, start.GetProperty("device_code").GetString()!)).ShouldBe("authorization_pending");
    }

    [GeneratedRegex("^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$")]
    private static partial Regex UserCode();
}
