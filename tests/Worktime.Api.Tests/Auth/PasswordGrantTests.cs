using Worktime.Api.Accounts;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Worktime.Api.Auth;
using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.Auth;

/// <summary>docs/security.md: the password grant under attack and under load.</summary>
[VariesWith(Vary.BackendAndCulture)]
public sealed class PasswordGrantTests(WorktimeApplication app) : IClassFixture<WorktimeApplication>
{
    private LoginThrottle Throttle => app.Services.GetRequiredService<LoginThrottle>();
    private PasswordHasher Hasher => app.Services.GetRequiredService<PasswordHasher>();

    [Fact]
    public async Task Parallel_wrong_passwords_raise_every_counter_by_exactly_their_number()
    {
        var partner = await app.CreatePartnerAsync();
        await app.CreateUserAsync(partner, "victim13", 1);
        using var client = app.ClientFrom("10.0.13.1");

        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => client.PasswordGrantAsync("victim13", "wrong-password")));

        foreach (var response in responses)
        {
            var body = await response.JsonAsync();
            ((int)response.StatusCode).ShouldBeOneOf(400, 429);
            body.GetProperty("error").GetString().ShouldBe(response.StatusCode == HttpStatusCode.BadRequest ? "invalid_grant" : "slow_down");
        }
        (await Throttle.FailuresAsync(LoginThrottle.UserKey("victim13"))).ShouldBe(50);
        (await Throttle.FailuresAsync(LoginThrottle.UserIpKey("victim13", "10.0.13.1"))).ShouldBe(50);
        (await Throttle.FailuresAsync(LoginThrottle.IpKey("10.0.13.1"))).ShouldBe(50);
    }

    [Fact]
    public async Task Parallel_correct_logins_all_succeed()
    {
        var partner = await app.CreatePartnerAsync();
        var id = await app.CreateUserAsync(partner, "parallel14", 2);
        using var client = app.ClientFrom("10.0.14.1");

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => client.PasswordGrantAsync("parallel14")));

        foreach (var response in responses)
        {
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await response.JsonAsync()).GetProperty("user_id").GetInt64().ShouldBe(id);
        }
        (await app.ScalarAsync<long>("SELECT COUNT(*) FROM refresh_families WHERE user_id = @id", new { id })).ShouldBe(10);
    }

    [Theory]
    [InlineData("argon2-older-parameters")]
    [InlineData("pbkdf2-import")]
    public async Task Legacy_hash_is_rehashed_on_login_and_concurrent_logins_do_not_corrupt_it(string kind)
    {
        var partner = await app.CreatePartnerAsync();
        var id = await app.CreateUserAsync(partner, "legacy16-" + kind, 1);
        var legacy = kind == "pbkdf2-import"
            ? LegacyPbkdf2.Encode("old-secret"u8.ToArray(), "saltsaltsaltsalt"u8.ToArray(), 10_000)
            : new PasswordHasher(Options.Create(new PasswordHashingOptions { MemoryKiB = 8192, Iterations = 2 }), TimeProvider.System,
                new AuthMetrics(app.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>())).Hash("old-secret");
        await app.ExecuteAsync("UPDATE users SET password_hash = @legacy WHERE id = @id", new { legacy, id });
        Hasher.NeedsRehash(legacy).ShouldBeTrue();
        using var client = app.ClientFrom("10.0.16.1");

        var responses = await Task.WhenAll(client.PasswordGrantAsync("legacy16-" + kind, "old-secret"), client.PasswordGrantAsync("legacy16-" + kind, "old-secret"));

        responses.Select(r => r.StatusCode).ShouldAllBe(s => s == HttpStatusCode.OK);
        var stored = await app.ScalarAsync<string>("SELECT password_hash FROM users WHERE id = @id", new { id });
        stored.ShouldStartWith("$argon2id$v=19$m=8192,t=1,p=1$");
        Hasher.NeedsRehash(stored).ShouldBeFalse();
        Hasher.Verify(stored, "old-secret").ShouldBeTrue();
        using var again = await client.PasswordGrantAsync("legacy16-" + kind, "old-secret");
        again.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Extra_parameters_are_ignored_and_claims_come_from_the_database()
    {
        var partner = await app.CreatePartnerAsync("Seventeen", "ee");
        var id = await app.CreateUserAsync(partner, "worker17", 1);

        using var response = await app.CreateClient().PostFormAsync("/login",
            ("grant_type", "password"), ("username", "worker17"), ("password", AuthTestExtensions.DefaultPassword), ("client_id", "openapi"),
            ("scope", "admin"), ("partnerid", "1"), ("userlevel", "5"), ("userid", "1"), ("country", "us"), ("username2", "admin"));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await response.JsonAsync();
        body.GetProperty("scope").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);
        var claims = TokenForge.Payload(body.GetProperty("access_token").GetString()!);
        claims.GetProperty("userlevel").GetString().ShouldBe("1");
        claims.GetProperty("partnerid").GetString().ShouldBe(partner.ToString(System.Globalization.CultureInfo.InvariantCulture));
        claims.GetProperty("userid").GetString().ShouldBe(id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        claims.GetProperty("country").GetString().ShouldBe("ee");
        claims.TryGetProperty("scope", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task Disabled_user_cannot_log_in_and_its_tokens_stop_working()
    {
        var partner = await app.CreatePartnerAsync();
        var id = await app.CreateUserAsync(partner, "leaver18", 3);
        var tokens = await app.LoginAsync("leaver18");

        await app.Services.GetRequiredService<Worktime.Api.Accounts.UserAccounts>().DisableAsync(id);

        using var client = app.ClientFrom("10.0.18.1");
        using var login = await client.PasswordGrantAsync("leaver18");
        await login.ShouldBeErrorAsync(400, "invalid_grant", OAuthResults.InvalidGrantDescription);
        using var refresh = await client.RefreshGrantAsync(tokens.GetProperty("refresh_token").GetString()!);
        await refresh.ShouldBeErrorAsync(400, "invalid_grant");
        using var me = await app.BearerClient(tokens.GetProperty("access_token").GetString()!).GetAsync("/me");
        await me.ShouldBeErrorAsync(401, "invalid_token");
    }

    [Fact]
    public async Task Hashes_RunOnTheHashersOwnThreads_NotOnTheThreadPool()
    {
        // A hash holds its thread for tens of milliseconds; on the thread pool, one per core would leave the requests
        // (the logins' own database work included) without a thread until the pool grows.
        var (ran, onPool) = await Hasher.RunGatedAsync(() => Thread.CurrentThread.IsThreadPoolThread, CancellationToken.None);
        ran.ShouldBeTrue();
        onPool.ShouldBeFalse();

        // A failing hash reaches its caller and frees its slot: more failures than slots, then one that runs.
        for (var i = 0; i <= Hasher.Concurrency; i++)
        {
            var failure = await Should.ThrowAsync<InvalidOperationException>(
                () => Hasher.RunGatedAsync<int>(() => throw new InvalidOperationException("inside the slot"), CancellationToken.None));
            failure.Message.ShouldBe("inside the slot");
        }
        (await Hasher.RunGatedAsync(() => 1, CancellationToken.None)).ShouldBe((true, 1));
    }

    [Fact]
    public async Task HashQueue_WhenEverySlotIsBusyPastTheTimeout_Answers429TemporarilyUnavailable()
    {
        await using var busy = await WorktimeApplication.StartAsync(o => { o.Settings["Auth:HashConcurrency"] = "1"; o.Settings["Auth:HashQueueTimeout"] = "00:00:00.200"; });
        await busy.CreateUserAsync(await busy.CreatePartnerAsync(), "queued", 1);
        var hasher = busy.Services.GetRequiredService<PasswordHasher>();
        using var counters = new AuthCounters(busy);
        using var release = new ManualResetEventSlim();
        var holding = new TaskCompletionSource();
        var holder = Task.Run(() => hasher.RunGatedAsync(() => { holding.SetResult(); release.Wait(); return 0; }, CancellationToken.None));
        await holding.Task;

        using var refused = await busy.CreateClient().PasswordGrantAsync("queued");
        release.Set();
        await holder;
        using var accepted = await busy.CreateClient().PasswordGrantAsync("queued");

        await refused.ShouldBeErrorAsync(429, "temporarily_unavailable");
        refused.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(1));
        accepted.StatusCode.ShouldBe(HttpStatusCode.OK);
        counters.PeakConcurrency.ShouldBe(1);
    }

    [Fact]
    public async Task UnknownUser_AndWrongPassword_CostExactlyOneHashEach()
    {
        await app.CreateUserAsync(await app.CreatePartnerAsync(), "costed", 1);
        using var client = app.ClientFrom("10.0.12.9");

        using var counters = new AuthCounters(app);
        var before = counters.Hashes;
        using var unknown = await client.PasswordGrantAsync("nobody-at-all");
        var afterUnknown = counters.Hashes;
        using var wrong = await client.PasswordGrantAsync("costed", "wrong-password");
        var afterWrong = counters.Hashes;

        (afterUnknown - before).ShouldBe(1);
        (afterWrong - afterUnknown).ShouldBe(1);
        (await unknown.Content.ReadAsStringAsync()).ShouldBe(await wrong.Content.ReadAsStringAsync());
    }
}
