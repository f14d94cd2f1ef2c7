using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Worktime.Api.Accounts;
using Worktime.Api.Auth;
using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.Auth;

/// <summary>docs/security.md, requirement 3: rotation, grace, reuse detection, revocation. Fake clock.</summary>
/// <remarks>One app per class (its clock only moves forward); each test has its own user. Restart tests get their own app.</remarks>
[VariesWith(Vary.Backend)]
public sealed class RefreshGrantTests(FakeClockFixture fixture) : IClassFixture<FakeClockFixture>, IAsyncLifetime
{
    private static int _users;
    private WorktimeApplication _app = fixture.App;
    private bool _ownsApp;
    private long _userId;
    private string _username = "";

    public async Task InitializeAsync()
    {
        _username = $"rotator{Interlocked.Increment(ref _users)}";
        _userId = await _app.CreateUserAsync(await _app.CreatePartnerAsync(), _username, 2);
    }

    public async Task DisposeAsync()
    {
        if (_ownsApp)
        {
            await _app.DisposeAsync();
        }
    }

    /// <summary>For restart tests: a private app this test may dispose and start again on the same database.</summary>
    private async Task UsePrivateAppAsync()
    {
        _app = await WorktimeApplication.StartAsync(o => o.FakeClock = true);
        _ownsApp = true;
        await InitializeAsync();
    }

    private async Task<(string Access, string Refresh)> LoginAsync(string clientId = "openapi")
    {
        var tokens = await _app.LoginAsync(_username, clientId: clientId);
        return (tokens.GetProperty("access_token").GetString()!, tokens.GetProperty("refresh_token").GetString()!);
    }

    private async Task<string> RotateAsync(string refresh)
    {
        using var response = await _app.CreateClient().RefreshGrantAsync(refresh);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.JsonAsync()).GetProperty("refresh_token").GetString()!;
    }

    private async Task ShouldBeRefusedAsync(string refresh, string clientId = "openapi")
    {
        using var response = await _app.CreateClient().RefreshGrantAsync(refresh, clientId);
        await response.ShouldBeErrorAsync(400, "invalid_grant");
    }

    [Fact]
    public async Task RefreshGrant_Success_HasTheLoginShape_WithANewRefreshToken()
    {
        var (_, refresh) = await LoginAsync();
        _app.Clock.Advance(TimeSpan.FromMinutes(5));

        using var response = await _app.CreateClient().RefreshGrantAsync(refresh);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.CacheControl!.NoStore.ShouldBeTrue();
        var body = await response.JsonAsync();
        body.EnumerateObject().Select(p => p.Name).ShouldBe(["access_token", "expires_in", "token_type", "scope", "refresh_token", "user_id"]);
        body.GetProperty("user_id").GetInt64().ShouldBe(_userId);
        body.GetProperty("refresh_token").GetString().ShouldNotBe(refresh);
        using var me = await _app.BearerClient(body.GetProperty("access_token").GetString()!).GetAsync("/me");
        me.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Refresh_with_another_client_id_is_invalid_grant()
    {
        var (_, refresh) = await LoginAsync("ember_app");

        await ShouldBeRefusedAsync(refresh, "openapi");
        await RotateWithClientAsync(refresh, "ember_app"); // the refusal did not burn it for its own client
    }

    private async Task<string> RotateWithClientAsync(string refresh, string clientId)
    {
        using var response = await _app.CreateClient().RefreshGrantAsync(refresh, clientId);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var next = (await response.JsonAsync()).GetProperty("refresh_token").GetString()!;
        TokenForge.Payload(next).GetProperty("client_id").GetString().ShouldBe(clientId);
        return next;
    }

    [Fact]
    public async Task Expired_refresh_token_is_refused_at_the_exact_second()
    {
        var (_, a) = await LoginAsync();
        var (_, b) = await LoginAsync();

        _app.Clock.Advance(TimeSpan.FromDays(30) - TimeSpan.FromSeconds(1));
        await RotateAsync(a);
        _app.Clock.Advance(TimeSpan.FromSeconds(1));
        await ShouldBeRefusedAsync(b);
    }

    [Fact]
    public async Task Refresh_reuse_after_grace_revokes_the_family()
    {
        var (_, first) = await LoginAsync();
        var second = await RotateAsync(first);
        var third = await RotateAsync(second);
        _app.Clock.Advance(TimeSpan.FromSeconds(31));

        await ShouldBeRefusedAsync(second);
        await ShouldBeRefusedAsync(third);

        var audit = await _app.Services.GetRequiredService<AuditLog>().QueryAsync(0, _username, 100);
        audit.ShouldContain(r => r.Event == AuditEvents.RefreshReuseDetected && r.UserId == _userId);
        audit.ShouldContain(r => r.Event == AuditEvents.FamilyRevoked && r.Detail!.Contains("reason=reuse"));
    }

    [Fact]
    public async Task Parallel_refreshes_of_one_token_rotate_it_once()
    {
        var (_, refresh) = await LoginAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => _app.CreateClient().RefreshGrantAsync(refresh)));

        var successors = new HashSet<string>();
        foreach (var response in responses)
        {
            response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
            successors.Add((await response.JsonAsync()).GetProperty("refresh_token").GetString()!);
        }
        successors.Count.ShouldBe(1);
        var family = await _app.ScalarAsync<string>("SELECT family_id FROM refresh_tokens WHERE id_hash = @h",
            new { h = TokenFactory.HashJti(TokenForge.Payload(refresh).GetProperty("jti").GetString()!) });
        (await _app.ScalarAsync<long>("SELECT COUNT(*) FROM refresh_tokens WHERE family_id = @family", new { family })).ShouldBe(2);
        await RotateAsync(successors.Single());
    }

    [Fact]
    public async Task Retry_inside_the_grace_window_returns_the_same_successor()
    {
        var (_, refresh) = await LoginAsync();
        var successor = await RotateAsync(refresh);

        _app.Clock.Advance(TimeSpan.FromSeconds(30));
        var retried = await RotateAsync(refresh);

        retried.ShouldBe(successor);
        await RotateAsync(successor); // the successor is still the family's live token
    }

    [Fact]
    public async Task Nothing_survives_a_logout_that_races_a_refresh()
    {
        for (var round = 0; round < 5; round++)
        {
            var (_, refresh) = await LoginAsync();
            var refreshTask = _app.CreateClient().RefreshGrantAsync(refresh);
            var logoutTask = _app.CreateClient().PostFormAsync("/logout", ("token", refresh), ("client_id", "openapi"));
            await Task.WhenAll(refreshTask, logoutTask);
            using var refreshed = await refreshTask;
            using var logout = await logoutTask;

            logout.StatusCode.ShouldBe(HttpStatusCode.OK);
            ((int)refreshed.StatusCode).ShouldBeOneOf(200, 400);
            await ShouldBeRefusedAsync(refresh);
            if (refreshed.StatusCode == HttpStatusCode.OK)
            {
                await ShouldBeRefusedAsync((await refreshed.JsonAsync()).GetProperty("refresh_token").GetString()!);
            }
        }
    }

    [Fact]
    public async Task Replay_of_an_older_token_is_refused_even_within_one_second()
    {
        var (_, first) = await LoginAsync();
        var second = await RotateAsync(first);
        var third = await RotateAsync(second);

        await ShouldBeRefusedAsync(first); // inside the grace window by time, but its successor already moved on
        await ShouldBeRefusedAsync(third); // and the replay revoked the family
    }

    [Fact]
    public async Task Replay_after_a_restart_is_still_refused()
    {
        await UsePrivateAppAsync();
        var (_, first) = await LoginAsync();
        var second = await RotateAsync(first);
        await RestartAsync(TimeSpan.FromSeconds(31));

        await ShouldBeRefusedAsync(first);
        await ShouldBeRefusedAsync(second);
    }

    [Fact]
    public async Task Restart_keeps_the_live_token_and_its_grace_retry()
    {
        await UsePrivateAppAsync();
        var (_, first) = await LoginAsync();
        var second = await RotateAsync(first);
        await RestartAsync(TimeSpan.FromSeconds(5));

        (await RotateAsync(first)).ShouldBe(second);
        await RotateAsync(second);
    }

    [Fact]
    public async Task Access_token_sent_as_refresh_token_is_invalid_grant()
    {
        var (access, _) = await LoginAsync();

        await ShouldBeRefusedAsync(access);
    }

    [Fact]
    public async Task Refresh_token_of_a_retired_key_is_accepted_and_its_successor_uses_the_new_key()
    {
        var (_, refresh) = await LoginAsync();
        var oldKid = TokenForge.Header(refresh).GetProperty("kid").GetString();
        var newKid = await _app.Services.GetRequiredService<SigningKeyStore>().RotateAsync(CancellationToken.None);
        await _app.Services.GetRequiredService<SigningKeyRing>().ReloadAsync();

        var successor = await RotateAsync(refresh);

        newKid.ShouldNotBe(oldKid);
        TokenForge.Header(successor).GetProperty("kid").GetString().ShouldBe(newKid);
    }

    [Fact]
    public async Task Refresh_token_of_an_unknown_key_is_invalid_grant()
    {
        var (_, refresh) = await LoginAsync();
        var payload = TokenForge.Decode(refresh.Split('.')[1]);
        using var stranger = RSA.Create(2048);
        var kid = TokenForge.Header(refresh).GetProperty("kid").GetString();

        await ShouldBeRefusedAsync(TokenForge.SignRs256($$"""{"alg":"RS256","typ":"JWT","kid":"unknown-kid"}""", payload, stranger));
        await ShouldBeRefusedAsync(TokenForge.SignRs256($$"""{"alg":"RS256","typ":"JWT","kid":"{{kid}}"}""", payload, stranger));
        await RotateAsync(refresh); // the genuine token was never touched
    }

    [Theory]
    [InlineData("flip-payload-bit")]
    [InlineData("strip-signature")]
    [InlineData("empty-signature")]
    [InlineData("alg-none")]
    [InlineData("alg-HS256")]
    [InlineData("alg-RS512")]
    public async Task Tampered_refresh_token_is_invalid_grant(string tampering)
    {
        var (_, refresh) = await LoginAsync();
        var parts = refresh.Split('.');
        var header = TokenForge.Decode(parts[0]);
        var tampered = tampering switch
        {
            "flip-payload-bit" => parts[0] + "." + FlipBit(parts[1]) + "." + parts[2],
            "strip-signature" => parts[0] + "." + parts[1],
            "empty-signature" => parts[0] + "." + parts[1] + ".",
            "alg-none" => TokenForge.B64(header.Replace("RS256", "none", StringComparison.Ordinal)) + "." + parts[1] + ".",
            "alg-HS256" => TokenForge.B64(header.Replace("RS256", "HS256", StringComparison.Ordinal)) + "." + parts[1] + "." + parts[2],
            _ => TokenForge.B64(header.Replace("RS256", "RS512", StringComparison.Ordinal)) + "." + parts[1] + "." + parts[2],
        };

        await ShouldBeRefusedAsync(tampered);
        await RotateAsync(refresh);
    }

    private static string FlipBit(string segment)
    {
        var bytes = System.Buffers.Text.Base64Url.DecodeFromChars(segment);
        bytes[bytes.Length / 2] ^= 0x04;
        return TokenForge.B64(bytes);
    }

    [Fact]
    public async Task Refresh_after_a_password_change_is_invalid_grant()
    {
        var (_, refresh) = await LoginAsync();
        var rotated = await RotateAsync(refresh);

        await _app.Services.GetRequiredService<UserAccounts>().SetPasswordAsync(_userId, "a-new-password");

        await ShouldBeRefusedAsync(rotated);
        (await _app.LoginAsync(_username, "a-new-password")).GetProperty("user_id").GetInt64().ShouldBe(_userId);
    }

    [Fact]
    public async Task Logout_RevokesTheWholeFamily_AndAlwaysAnswers200()
    {
        var (_, first) = await LoginAsync();
        var second = await RotateAsync(first);
        var (_, other) = await LoginAsync();

        using var logout = await _app.CreateClient().PostFormAsync("/logout", ("token", first));
        using var garbage = await _app.CreateClient().PostFormAsync("/logout", ("token", "not-a-token"));
        using var empty = await _app.CreateClient().PostAsync("/1.1/logout", new StringContent(""));

        foreach (var response in new[] { logout, garbage, empty })
        {
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            response.Headers.CacheControl!.NoStore.ShouldBeTrue();
            (await response.JsonAsync()).ValueKind.ShouldBe(JsonValueKind.Object);
        }
        await ShouldBeRefusedAsync(second);
        await RotateAsync(other); // another login's family is untouched
    }

    [Fact]
    public async Task RefreshTokens_AreStoredOnlyAsHashes()
    {
        var (_, refresh) = await LoginAsync();
        var jti = TokenForge.Payload(refresh).GetProperty("jti").GetString()!;

        (await _app.ScalarAsync<long>("SELECT COUNT(*) FROM refresh_tokens WHERE id_hash = @jti", new { jti })).ShouldBe(0);
        (await _app.ScalarAsync<long>("SELECT COUNT(*) FROM refresh_tokens WHERE id_hash = @h", new { h = TokenFactory.HashJti(jti) })).ShouldBe(1);
    }

    /// <summary>Stops the app and starts a new one on the same database, its clock <paramref name="later"/> on.</summary>
    private async Task RestartAsync(TimeSpan later)
    {
        _app.KeepDatabase = true;
        var now = _app.Clock.GetUtcNow();
        await _app.DisposeAsync();
        _app = await WorktimeApplication.StartAsync(o => { o.FakeClock = true; o.Database = _app.ConnectionString; });
        _app.Clock.SetUtcNow(now + later);
    }
}
