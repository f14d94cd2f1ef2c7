using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Worktime.Api.Accounts;
using Worktime.Api.Auth;
using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.Auth;

/// <summary>
/// docs/security.md, requirement 2: counters per username, (username, address) and address, in the
/// database; 429 <c>slow_down</c> with <c>Retry-After</c>; exponential, capped; no permanent lockout. Fake clock:
/// refusal windows are checked at the exact second.
/// </summary>
/// <remarks>
/// The tests on the default settings share one app (fake clock, never moved by them): each uses its own usernames
/// and addresses, so no counter of one is seen by another. Tests with their own throttle settings start their own.
/// </remarks>
[VariesWith(Vary.Backend)]
public sealed class ThrottleTests(FakeClockFixture fixture) : IClassFixture<FakeClockFixture>
{
    [Fact]
    public async Task Password_spraying_is_throttled_per_address_and_the_accounts_still_log_in_elsewhere()
    {
        var app = fixture.App;
        var partner = await app.CreatePartnerAsync();
        var real = new[] { "spray-0007", "spray-0500", "spray-0999" };
        foreach (var name in real)
        {
            await app.CreateUserAsync(partner, name, 1);
        }
        using var counters = new AuthCounters(app);
        using var attacker = app.ClientFrom("203.0.113.15");

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 21; i++)
        {
            using var response = await attacker.PasswordGrantAsync($"spray-{i:D4}", "Summer2026!");
            statuses.Add(response.StatusCode);
        }
        var hashesWhenBlocked = counters.Hashes;
        var rest = await Task.WhenAll(Enumerable.Range(21, 979).Select(i => attacker.PasswordGrantAsync($"spray-{i:D4}", "Summer2026!")));

        statuses.Take(20).ShouldAllBe(s => s == HttpStatusCode.BadRequest);
        statuses[20].ShouldBe(HttpStatusCode.TooManyRequests);
        foreach (var response in rest)
        {
            await response.ShouldBeErrorAsync(429, "slow_down");
            response.Headers.RetryAfter!.Delta!.Value.ShouldBeGreaterThan(TimeSpan.Zero);
        }
        counters.Hashes.ShouldBe(hashesWhenBlocked); // refused before hashing
        using var owner = app.ClientFrom("198.51.100.7");
        foreach (var name in real)
        {
            using var login = await owner.PasswordGrantAsync(name);
            login.StatusCode.ShouldBe(HttpStatusCode.OK);
        }
    }

    [Fact]
    public async Task UsernameAndAddress_AfterFiveFailures_Refused_WithDoublingCappedRetryAfter_ThenFreeAgain()
    {
        await using var app = await WorktimeApplication.StartAsync(o => { o.FakeClock = true; o.Settings["Auth:Throttle:MaxDelay"] = "00:00:08"; o.Settings["Auth:Throttle:UserMaxDelay"] = "00:00:00"; });
        await app.CreateUserAsync(await app.CreatePartnerAsync(), "target", 1);
        using var attacker = app.ClientFrom("203.0.113.20");
        for (var i = 0; i < 5; i++)
        {
            using var wrong = await attacker.PasswordGrantAsync("target", "guess" + i.ToString(CultureInfo.InvariantCulture));
            await wrong.ShouldBeErrorAsync(400, "invalid_grant", OAuthResults.InvalidGrantDescription);
        }

        var retryAfters = new List<TimeSpan>();
        for (var i = 0; i < 5; i++)
        {
            using var refused = await attacker.PasswordGrantAsync("target");
            await refused.ShouldBeErrorAsync(429, "slow_down");
            retryAfters.Add(refused.Headers.RetryAfter!.Delta!.Value);
        }
        // failure 6 opened a 1 s window; each refused attempt counts and doubles it: 2, 4, 8 (cap), 8.
        retryAfters.ShouldBe([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(8)]);

        app.Clock.Advance(TimeSpan.FromSeconds(7));
        using var stillRefused = await attacker.PasswordGrantAsync("target");
        await stillRefused.ShouldBeErrorAsync(429, "slow_down");
        app.Clock.Advance(TimeSpan.FromSeconds(8));
        using var afterWindow = await attacker.PasswordGrantAsync("target");
        afterWindow.StatusCode.ShouldBe(HttpStatusCode.OK); // no permanent lockout, even for the attacking address
    }

    [Fact]
    public async Task AttackerCannotLockOwnerOut_OwnerLogsInFromAnotherAddress_AndSuccessClearsUsernameCounters()
    {
        await using var app = await WorktimeApplication.StartAsync(o => { o.FakeClock = true; o.Settings["Auth:Throttle:UserMaxDelay"] = "00:00:00"; });
        await app.CreateUserAsync(await app.CreatePartnerAsync(), "owner", 1);
        using var attacker = app.ClientFrom("203.0.113.30");
        for (var i = 0; i < 12; i++)
        {
            using var _ = await attacker.PasswordGrantAsync("owner", "guess" + i.ToString(CultureInfo.InvariantCulture));
        }
        var throttle = app.Services.GetRequiredService<LoginThrottle>();
        (await throttle.FailuresAsync(LoginThrottle.UserKey("owner"))).ShouldBe(12);

        using var owner = await app.ClientFrom("198.51.100.30").PasswordGrantAsync("owner");

        owner.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await throttle.FailuresAsync(LoginThrottle.UserKey("owner"))).ShouldBe(0);
        (await throttle.FailuresAsync(LoginThrottle.IpKey("203.0.113.30"))).ShouldBe(12); // the address keeps its record
    }

    [Fact]
    public async Task Counters_LiveInTheDatabase_SoAnotherNodeSeesThem()
    {
        var nodeA = fixture.App;
        await nodeA.CreateUserAsync(await nodeA.CreatePartnerAsync(), "shared", 1);
        await using var nodeB = WorktimeApplication.OnDatabase(nodeA.ConnectionString, o => o.FakeClock = true);
        using var onA = nodeA.ClientFrom("203.0.113.40");
        using var onB = nodeB.ClientFrom("203.0.113.40");

        for (var i = 0; i < 5; i++)
        {
            using var _ = await (i % 2 == 0 ? onA : onB).PasswordGrantAsync("shared", "guess" + i.ToString(CultureInfo.InvariantCulture));
        }
        using var refusedOnB = await onB.PasswordGrantAsync("shared");
        using var refusedOnA = await onA.PasswordGrantAsync("shared");

        await refusedOnB.ShouldBeErrorAsync(429, "slow_down");
        await refusedOnA.ShouldBeErrorAsync(429, "slow_down");
    }

    [Fact]
    public async Task FailuresAndThrottling_AreAudited_WithAddressAndUsername()
    {
        var app = fixture.App;
        await app.CreateUserAsync(await app.CreatePartnerAsync(), "audited", 1);
        using var attacker = app.ClientFrom("203.0.113.50");
        for (var i = 0; i < 6; i++)
        {
            using var _ = await attacker.PasswordGrantAsync("audited", "guess" + i.ToString(CultureInfo.InvariantCulture));
        }

        var records = await app.Services.GetRequiredService<AuditLog>().QueryAsync(0, "audited", 100);

        records.Count(r => r.Event == AuditEvents.LoginFailed).ShouldBe(5);
        var throttled = records.Single(r => r.Event == AuditEvents.LoginThrottled);
        throttled.Ip.ShouldBe("203.0.113.50");
        throttled.At.ShouldBe(app.Clock.GetUtcNow().ToUnixTimeSeconds());
        records.Where(r => r.Event == AuditEvents.LoginFailed).ShouldAllBe(r => r.UserId != null && r.PartnerId != null && r.Ip == "203.0.113.50");
    }

    [Fact]
    public async Task MuchAttackedUsername_SlowsEveryAttemptByACappedWait_ButNeverRefusesIt()
    {
        await using var app = await WorktimeApplication.StartAsync(o => { o.FakeClock = true; o.Settings["Auth:Throttle:UserFailures"] = "2"; o.Settings["Auth:Throttle:UserMaxDelay"] = "00:00:00.150"; });
        await app.CreateUserAsync(await app.CreatePartnerAsync(), "popular", 1);
        var throttle = app.Services.GetRequiredService<LoginThrottle>();
        for (var i = 0; i < 2; i++)
        {
            using var _ = await app.ClientFrom($"203.0.113.{60 + i}").PasswordGrantAsync("popular", "guess");
        }
        var first = (await throttle.CheckAsync("popular", "198.51.100.60", CancellationToken.None)).Delay;
        await throttle.RecordFailureAsync("popular", "203.0.113.62", CancellationToken.None);
        var delay = (await throttle.CheckAsync("popular", "198.51.100.60", CancellationToken.None)).Delay;

        var waiting = app.Clock.TimerCreatedAsync(delay);
        var owner = app.ClientFrom("198.51.100.60").PasswordGrantAsync("popular");
        // Ordering, not a sleep: the login reaches the throttle's wait on the clock (it does not answer first).
        (await Task.WhenAny(waiting, owner)).ShouldBe(waiting, "the login answered without waiting for the throttle delay");
        var pendingWhileClockStands = !owner.IsCompleted;
        app.Clock.Advance(delay);
        using var response = await owner;

        first.ShouldBe(TimeSpan.FromMilliseconds(100));
        delay.ShouldBe(TimeSpan.FromMilliseconds(150)); // 100 ms doubled once, then capped
        pendingWhileClockStands.ShouldBeTrue();
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
