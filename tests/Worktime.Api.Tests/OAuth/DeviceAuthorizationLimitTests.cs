using System.Net;
using Worktime.Api.Tests.Infrastructure;
using static Worktime.Api.Tests.Infrastructure.HttpAnswers;
using static Worktime.Api.Tests.OAuth.DeviceFlow;
using static Worktime.Api.Tests.OAuth.OAuthFlow;

namespace Worktime.Api.Tests.OAuth;

/// <summary>
/// The rate limit of <c>POST /device_authorization</c> (RFC 8628 section 5.2; docs/auth.md, "Device authorization"):
/// <c>Auth:Device:RequestsPerAddress</c> starts from one address within the throttle window, then 429
/// <c>slow_down</c> with <c>Retry-After</c> and no code; the window passing (fake clock) opens it again. Its own app,
/// so the other device tests' starts do not count here.
/// </summary>
[VariesWith(Vary.Backend)]
public sealed class DeviceAuthorizationLimitTests(DeviceAuthorizationLimitTests.App fixture) : IClassFixture<DeviceAuthorizationLimitTests.App>
{
    public sealed class App : IAsyncLifetime
    {
        public WorktimeApplication Worktime { get; } = new(o =>
        {
            o.FakeClock = true;
            o.Settings["Auth:Device:RequestsPerAddress"] = "3";
        });

        public Task InitializeAsync() => Worktime.InitializeAsync();

        public Task DisposeAsync() => Worktime.DisposeAsync().AsTask();
    }

    [Fact]
    public async Task Starts_from_one_address_are_limited_until_the_window_passes()
    {
        var app = fixture.Worktime;
        var client = await RegisterAsync(app, firstParty: false, device: true);
        using var http = app.CreateClient();
        for (var start = 0; start < 3; start++)
        {
            (await StartAsync(http, client)).GetProperty("device_code").GetString().ShouldNotBeNullOrEmpty();
        }

        using var refused = await http.PostAsync("/device_authorization", new FormUrlEncodedContent(new Dictionary<string, string> { ["client_id"] = client }));
        var body = await JsonAsync(refused, HttpStatusCode.TooManyRequests);
        body.GetProperty("error").GetString().ShouldBe("slow_down");
        body.TryGetProperty("device_code", out _).ShouldBeFalse();
        refused.Headers.RetryAfter.ShouldNotBeNull();

        app.Clock.Advance(TimeSpan.FromMinutes(61));
        (await StartAsync(http, client)).GetProperty("user_code").GetString().ShouldNotBeNullOrEmpty();
    }
}
