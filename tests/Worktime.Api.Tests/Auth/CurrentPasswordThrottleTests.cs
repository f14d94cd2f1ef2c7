using System.Net;
using System.Net.Http.Headers;
using Worktime.Api.Accounts;
using Worktime.Api.Auth;
using Worktime.Api.Tests.Forms;
using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.Auth;

/// <summary>
/// The users form's <c>current_password</c> (changing one's own password) is a password guess like a login: with a
/// stolen token it must not be an unthrottled oracle. It counts on the login's counters from the request's address,
/// is refused with the login's 429 <c>slow_down</c> and <c>Retry-After</c> (also for the right password while
/// refused, before any hashing), leaves the login's audit records, and a correct one clears the username's counters
/// as a correct login does (docs/auth.md, "Users form"). Fake clock: refusal windows end at an exact second.
/// </summary>
[VariesWith(Vary.Backend)]
public sealed class CurrentPasswordThrottleTests(FakeClockFixture fixture) : IClassFixture<FakeClockFixture>
{
    private readonly WorktimeApplication app = fixture.App;

    [Fact]
    public async Task Wrong_current_passwords_count_as_failed_logins_and_end_in_the_logins_429_for_the_right_one_too()
    {
        var (id, username, key) = await CreateUserAsync();
        const string address = "203.0.113.61";
        using var owner = await BearerFromAsync(username, address);
        using var counters = new AuthCounters(app);
        using (var failedLogin = await app.ClientFrom("198.51.100.61").PasswordGrantAsync(username, "not-it"))
        {
            await failedLogin.ShouldBeErrorAsync(400, "invalid_grant");
        }
        var loginRecord = (await AuditAsync(key)).Single(r => r.Event == AuditEvents.LoginFailed);

        for (var i = 0; i < 5; i++)
        {
            using var wrong = await ChangeAsync(owner, id, "guess-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await wrong.ShouldBeErrorAsync(403, "forbidden");
        }
        var hashesBeforeRefusal = counters.Hashes;
        using var rightButRefused = await ChangeAsync(owner, id, AuthTestExtensions.DefaultPassword);
        using var loginRefused = await app.ClientFrom(address).PasswordGrantAsync(username);

        await rightButRefused.ShouldBeErrorAsync(429, "slow_down");
        rightButRefused.Headers.RetryAfter!.Delta!.Value.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1));
        await loginRefused.ShouldBeErrorAsync(429, "slow_down"); // one throttle: the login from that address is refused too
        counters.Hashes.ShouldBe(hashesBeforeRefusal); // refused before hashing, as a refused login is
        var records = await AuditAsync(key);
        var guesses = records.Where(r => r.Event == AuditEvents.LoginFailed && r.Ip == address).ToList();
        guesses.Count.ShouldBe(5);
        foreach (var guess in guesses)
        {
            (guess.PartnerId, guess.UserId, guess.Username, guess.Detail)
                .ShouldBe((loginRecord.PartnerId, loginRecord.UserId, loginRecord.Username, loginRecord.Detail));
        }
        loginRecord.UserId.ShouldBe(id);
        records.Count(r => r.Event == AuditEvents.LoginThrottled && r.Ip == address).ShouldBe(2);
        (await FailuresAsync(LoginThrottle.UserIpKey(key, address))).ShouldBe(7);

        app.Clock.Advance(TimeSpan.FromMinutes(1)); // past the doubled windows (1, 2, 4 s)
        using var changed = await ChangeAsync(owner, id, AuthTestExtensions.DefaultPassword, "pw-after-the-wait");

        changed.StatusCode.ShouldBe(HttpStatusCode.OK, await changed.Content.ReadAsStringAsync());
        (await app.LoginAsync(username, "pw-after-the-wait")).GetProperty("user_id").GetInt64().ShouldBe(id);
    }

    [Fact]
    public async Task A_right_current_password_clears_the_username_counters_like_a_login_and_keeps_the_address_counter()
    {
        var (id, username, key) = await CreateUserAsync();
        const string address = "203.0.113.62";
        using var owner = await BearerFromAsync(username, address);
        var attacker = app.ClientFrom(address);
        for (var i = 0; i < 4; i++)
        {
            using var failed = await attacker.PasswordGrantAsync(username, "wrong");
            await failed.ShouldBeErrorAsync(400, "invalid_grant");
        }
        (await FailuresAsync(LoginThrottle.UserIpKey(key, address))).ShouldBe(4);

        using var changed = await ChangeAsync(owner, id, AuthTestExtensions.DefaultPassword, "pw-reset-counters");

        changed.StatusCode.ShouldBe(HttpStatusCode.OK, await changed.Content.ReadAsStringAsync());
        (await FailuresAsync(LoginThrottle.UserIpKey(key, address))).ShouldBe(0);
        (await FailuresAsync(LoginThrottle.UserKey(key))).ShouldBe(0);
        (await FailuresAsync(LoginThrottle.IpKey(address))).ShouldBe(4);
        // Cleared, not merely unchanged: five more wrong guesses are needed before the pair is refused again.
        using var owner2 = await BearerFromAsync(username, address, "pw-reset-counters");
        for (var i = 0; i < 4; i++)
        {
            using var wrong = await ChangeAsync(owner2, id, "guess");
            await wrong.ShouldBeErrorAsync(403, "forbidden");
        }
        using var stillAllowed = await ChangeAsync(owner2, id, "pw-reset-counters", "pw-third");
        stillAllowed.StatusCode.ShouldBe(HttpStatusCode.OK);
        attacker.Dispose();
    }

    private async Task<(long Id, string Username, string Key)> CreateUserAsync()
    {
        var partner = await app.CreatePartnerAsync();
        var username = "cp" + Guid.NewGuid().ToString("N")[..10];
        var id = await app.CreateUserAsync(partner, username, 1);
        var key = await app.ScalarAsync<string>("SELECT username_norm FROM users WHERE id = @id", new { id });
        return (id, username, key!);
    }

    /// <summary>A client with the user's token that also comes from <paramref name="address"/>, as a thief's would.</summary>
    private async Task<HttpClient> BearerFromAsync(string username, string address, string password = AuthTestExtensions.DefaultPassword)
    {
        using var login = app.ClientFrom("192.0.2.200");
        using var response = await login.PasswordGrantAsync(username, password);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var token = (await response.JsonAsync()).GetProperty("access_token").GetString();
        var client = app.ClientFrom(address);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static Task<HttpResponseMessage> ChangeAsync(HttpClient client, long id, string current, string next = "pw-new-one") =>
        client.PutJsonAsync($"/users/{id}", new { user = new { password = next, current_password = current } });

    private async Task<IReadOnlyList<AuditRecord>> AuditAsync(string key) => await app.Service<AuditLog>().QueryAsync(0, key, 100);

    private Task<long> FailuresAsync(string key) => app.Service<LoginThrottle>().FailuresAsync(key);
}
