using Worktime.Api.Accounts;
using Worktime.Api.Tests.Auth;
using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.Hardening;

/// <summary>
/// <c>Http:TrustedProxies</c> (docs/deploy.md, "Behind a proxy"): <c>X-Forwarded-For</c> is believed only from a
/// configured proxy. A forged header from anyone else changes nothing — the login throttle keeps counting the real
/// peer and the audit records name it — and with nothing configured, not even loopback is believed. From a trusted
/// proxy the forwarded client is the address everything uses, walked back only to the first untrusted hop. The peer
/// is the test server's stand-in remote address (<see cref="WorktimeApplication.RemoteIpHeader"/>); a real
/// proxy in front of real processes is <c>MultiNode</c>'s (<c>TwoNodes</c> trusts 127.0.0.1).
/// </summary>
[VariesWith(Vary.Nothing)]
public sealed class TrustedProxiesTests
{
    [Fact]
    public async Task Without_trusted_proxies_a_forged_forwarded_address_changes_nothing_even_from_loopback()
    {
        await using var app = await WorktimeApplication.StartAsync(o => o.FakeClock = true);
        var username = await CreateUserAsync(app);
        const string peer = "203.0.113.81";

        for (var i = 0; i < 5; i++)
        {
            using var guess = await LoginAsync(app, peer, "198.51.100." + (10 + i).ToString(System.Globalization.CultureInfo.InvariantCulture), username, "wrong");
            await guess.ShouldBeErrorAsync(400, "invalid_grant");
        }
        using var rotated = await LoginAsync(app, peer, "198.51.100.99", username, AuthTestExtensions.DefaultPassword);
        using var fromLoopback = await LoginAsync(app, "127.0.0.1", "198.51.100.98", username, "wrong");

        await rotated.ShouldBeErrorAsync(429, "slow_down"); // a new X-Forwarded-For each time does not escape the throttle
        await fromLoopback.ShouldBeErrorAsync(400, "invalid_grant");
        var addresses = await LoginAddressesAsync(app, username);
        addresses.Count.ShouldBe(7);
        addresses.Count(ip => ip == peer).ShouldBe(6);
        addresses.Count(ip => ip == "127.0.0.1").ShouldBe(1);
    }

    [Fact]
    public async Task A_trusted_proxys_forwarded_address_is_the_client_and_anyone_elses_is_ignored()
    {
        await using var app = await WorktimeApplication.StartAsync(o =>
        {
            o.FakeClock = true;
            o.Settings["Http:TrustedProxies:0"] = "127.0.0.1";
            o.Settings["Http:TrustedProxies:1"] = "10.20.0.0/16";
        });
        var username = await CreateUserAsync(app);
        const string client = "198.51.100.82";

        for (var i = 0; i < 5; i++)
        {
            // Alternating proxies of the configured list: the same client behind either counts on one counter.
            using var guess = await LoginAsync(app, i % 2 == 0 ? "127.0.0.1" : "10.20.3.4", client, username, "wrong");
            await guess.ShouldBeErrorAsync(400, "invalid_grant");
        }
        using var sameClient = await LoginAsync(app, "127.0.0.1", client, username, AuthTestExtensions.DefaultPassword);
        using var otherClient = await LoginAsync(app, "127.0.0.1", "198.51.100.83", username, "wrong");
        // A client-supplied entry left of the one our proxy appended is not believed: the proxy vouches only for its peer.
        using var forgedChain = await LoginAsync(app, "127.0.0.1", "192.0.2.1, 198.51.100.84", username, "wrong");
        using var untrustedPeer = await LoginAsync(app, "203.0.113.85", client, username, "wrong");

        await sameClient.ShouldBeErrorAsync(429, "slow_down");
        await otherClient.ShouldBeErrorAsync(400, "invalid_grant"); // keyed by the forwarded client, not by the proxy
        await forgedChain.ShouldBeErrorAsync(400, "invalid_grant");
        await untrustedPeer.ShouldBeErrorAsync(400, "invalid_grant"); // its X-Forwarded-For names the throttled client: ignored
        var addresses = await LoginAddressesAsync(app, username);
        addresses.Count(ip => ip == client).ShouldBe(6);
        addresses.ShouldContain("198.51.100.83");
        addresses.ShouldContain("198.51.100.84");
        addresses.ShouldContain("203.0.113.85");
        addresses.ShouldNotContain("127.0.0.1");
        addresses.ShouldNotContain("10.20.3.4");
        addresses.ShouldNotContain("192.0.2.1");
    }

    [Theory]
    [InlineData("proxy.example.com")]
    [InlineData("10.0.0.0/33")]
    public async Task An_entry_that_is_neither_an_address_nor_a_network_stops_the_start_naming_the_key(string entry)
    {
        var settings = new WorktimeApplicationOptions().Settings;
        settings["Http:TrustedProxies:0"] = entry;
        var database = await TestBackend.CreateDatabaseAsync();

        var error = await StartupProbe.FailureAsync(database, settings);

        error.ShouldContain("Http:TrustedProxies");
        error.ShouldContain(entry);
        await TestBackend.DropDatabaseAsync(database);
    }

    /// <summary>The addresses of the login audit records of <paramref name="username"/>.</summary>
    private static async Task<List<string?>> LoginAddressesAsync(WorktimeApplication app, string username) =>
        (await app.Service<AuditLog>().QueryAsync(0, username, 100))
            .Where(r => r.Event is AuditEvents.LoginFailed or AuditEvents.LoginThrottled or AuditEvents.LoginSucceeded)
            .Select(r => r.Ip).ToList();

    private static async Task<string> CreateUserAsync(WorktimeApplication app)
    {
        var username = "tp" + Guid.NewGuid().ToString("N")[..10];
        await app.CreateUserAsync(await app.CreatePartnerAsync(), username, 1);
        return username;
    }

    private static async Task<HttpResponseMessage> LoginAsync(WorktimeApplication app, string peer, string forwardedFor, string username, string password)
    {
        using var client = app.ClientFrom(peer);
        client.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        return await client.PasswordGrantAsync(username, password);
    }
}
