using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Worktime.Api.Accounts;
using Worktime.Api.Auth;
using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.Auth;

/// <summary>docs/security.md, requirement 4 and docs/auth.md: keys in the database, rotation, JWKS, discovery, encryption at rest.</summary>
[VariesWith(Vary.Backend)]
public sealed class SigningKeyTests
{
    private static async Task<JsonElement[]> JwksAsync(WorktimeApplication app) =>
        JsonDocument.Parse(await app.CreateClient().GetStringAsync("/.well-known/jwks.json")).RootElement.GetProperty("keys").EnumerateArray().ToArray();

    private static string Kid(string token) => TokenForge.Header(token).GetProperty("kid").GetString()!;

    [Fact]
    public async Task Rotation_NewTokensUseTheNewKey_OldTokensKeepValidating_UntilTheRetiredKeyExpires()
    {
        // Keys generated as the server does (the other tests here take the test run's pre-made keys).
        await using var app = await WorktimeApplication.StartAsync(o => { o.FakeClock = true; o.GeneratedSigningKeys = true; });
        await app.CreateUserAsync(await app.CreatePartnerAsync(), "keyholder", 1);
        var before = (await app.LoginAsync("keyholder")).GetProperty("access_token").GetString()!;

        var newKid = await app.Services.GetRequiredService<SigningKeyStore>().RotateAsync(CancellationToken.None);
        app.Clock.Advance(TimeSpan.FromMinutes(1)); // Auth:KeyRefreshInterval
        var after = (await app.LoginAsync("keyholder")).GetProperty("access_token").GetString()!;
        var keys = await JwksAsync(app);
        using var oldStillValid = await app.BearerClient(before).GetAsync("/me");

        Kid(after).ShouldBe(newKid);
        Kid(before).ShouldNotBe(newKid);
        keys.Select(k => k.GetProperty("kid").GetString()).ShouldBe([newKid, Kid(before)]);
        oldStillValid.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await app.Services.GetRequiredService<AuditLog>().QueryAsync(0, null, 100)).ShouldContain(r => r.Event == AuditEvents.KeyRotated && r.Detail!.Contains(newKid));

        app.Clock.Advance(TimeSpan.FromDays(30));
        (await JwksAsync(app)).Select(k => k.GetProperty("kid").GetString()).ShouldBe([newKid]);
        app.Services.GetRequiredService<SigningKeyRing>().Resolve(Kid(before)).ShouldBeEmpty();
    }

    [Fact]
    public async Task AnotherNode_PicksUpARotation_AfterTheKeyRefreshInterval()
    {
        await using var nodeA = await WorktimeApplication.StartAsync(o => { o.FakeClock = true; o.Settings["Auth:KeyRefreshInterval"] = "00:00:30"; });
        nodeA.KeepDatabase = true;
        await nodeA.CreateUserAsync(await nodeA.CreatePartnerAsync(), "roamer", 1);
        await using var nodeB = await WorktimeApplication.StartAsync(o => { o.FakeClock = true; o.Database = nodeA.ConnectionString; o.Settings["Auth:KeyRefreshInterval"] = "00:00:30"; });
        var oldKid = Kid((await nodeB.LoginAsync("roamer")).GetProperty("access_token").GetString()!);

        var newKid = await nodeA.Services.GetRequiredService<SigningKeyStore>().RotateAsync(CancellationToken.None);
        await nodeA.Services.GetRequiredService<SigningKeyRing>().ReloadAsync();
        var fromA = (await nodeA.LoginAsync("roamer")).GetProperty("access_token").GetString()!;
        var staleOnB = Kid((await nodeB.LoginAsync("roamer")).GetProperty("access_token").GetString()!);
        nodeB.Clock.Advance(TimeSpan.FromSeconds(30));
        var freshOnB = Kid((await nodeB.LoginAsync("roamer")).GetProperty("access_token").GetString()!);
        using var aTokenOnB = await nodeB.BearerClient(fromA).GetAsync("/me");

        Kid(fromA).ShouldBe(newKid);
        staleOnB.ShouldBe(oldKid);
        freshOnB.ShouldBe(newKid);
        aTokenOnB.StatusCode.ShouldBe(HttpStatusCode.OK);
        nodeA.KeepDatabase = false;
    }

    [Fact]
    public async Task WithAKeyEncryptionKey_PrivateKeysAreEncryptedAtRest_AndARestartWithTheSameKeySignsOn()
    {
        var kek = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        await using var first = await WorktimeApplication.StartAsync(o => o.Settings["Auth:KeyEncryptionKey"] = kek);
        first.KeepDatabase = true;
        var stored = await first.ScalarAsync<string>("SELECT private_key FROM signing_keys");
        using var publicKey = RSA.Create();
        publicKey.ImportSubjectPublicKeyInfo(Convert.FromBase64String(await first.ScalarAsync<string>("SELECT public_key FROM signing_keys")), out _);
        var modulus = publicKey.ExportParameters(false).Modulus!;
        var kid = await first.ScalarAsync<string>("SELECT kid FROM signing_keys");
        await first.DisposeAsync();

        await using var second = await WorktimeApplication.StartAsync(o => { o.Database = first.ConnectionString; o.Settings["Auth:KeyEncryptionKey"] = kek; });
        await second.CreateUserAsync(await second.CreatePartnerAsync(), "vault", 1);
        var token = (await second.LoginAsync("vault")).GetProperty("access_token").GetString()!;

        stored.ShouldStartWith(KeyEncryption.Prefix);
        Convert.FromBase64String(stored[KeyEncryption.Prefix.Length..]).AsSpan().IndexOf(modulus).ShouldBe(-1); // PKCS#8 would carry it in the clear
        KeyEncryption.TryParseKey(kek, out var kekBytes).ShouldBeTrue();
        using var decrypted = RSA.Create();
        decrypted.ImportPkcs8PrivateKey(KeyEncryption.Unprotect(stored, kekBytes, kid), out _);
        decrypted.ExportParameters(false).Modulus.ShouldBe(modulus);
        Kid(token).ShouldBe(kid);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong")]
    public async Task EncryptedKeys_WithoutTheRightKeyEncryptionKey_FailStartUp_NamingTheSetting(string? kekCase)
    {
        await using var first = await WorktimeApplication.StartAsync(o => o.Settings["Auth:KeyEncryptionKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        first.KeepDatabase = true;
        await first.DisposeAsync();
        var settings = new WorktimeApplicationOptions().Settings;
        if (kekCase == "wrong")
        {
            settings["Auth:KeyEncryptionKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        }

        var error = await StartupProbe.FailureAsync(first.ConnectionString, settings);

        error.ShouldContain("Auth:KeyEncryptionKey");
        await TestBackend.DropDatabaseAsync(first.ConnectionString);
    }

    internal static string Flatten(Exception e) =>
        e is AggregateException a ? string.Join(" | ", a.InnerExceptions.Select(Flatten)) : e.Message + (e.InnerException is null ? "" : " | " + Flatten(e.InnerException));

    [Fact]
    public async Task OnlyTheFirstStart_CreatesAKey()
    {
        await using var first = await WorktimeApplication.StartAsync(o => o.GeneratedSigningKeys = true);
        first.KeepDatabase = true;
        await first.DisposeAsync();
        await using var second = await WorktimeApplication.StartAsync(o => o.Database = first.ConnectionString);

        (await second.ScalarAsync<long>("SELECT COUNT(*) FROM signing_keys")).ShouldBe(1);
        (await JwksAsync(second)).Length.ShouldBe(1);
    }

    [Fact]
    public async Task NodesStartingTogetherOnAnEmptyDatabase_CreateExactlyOneFirstKey()
    {
        // Each node's start runs this step on its own connection; eight at once stand in for nodes started together
        // (two real processes doing so are MultiNode/TwoNodes, where a second key made node B refuse node A's tokens).
        await using var app = await WorktimeApplication.StartAsync();
        await app.ExecuteAsync("DELETE FROM signing_keys");
        var store = app.Service<SigningKeyStore>();

        var created = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => store.EnsureCurrentAsync(CancellationToken.None))));

        created.Count(c => c).ShouldBe(1);
        (await app.ScalarAsync<long>("SELECT COUNT(*) FROM signing_keys")).ShouldBe(1);
    }

    [Fact]
    public async Task AuthorizationServerMetadata_FollowsRfc8414()
    {
        await using var app = await WorktimeApplication.StartAsync();

        using var response = await app.CreateClient().GetAsync("/1.1/.well-known/oauth-authorization-server");
        var body = await response.JsonAsync();

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        body.GetProperty("issuer").GetString().ShouldBe("http://worktime.test");
        body.GetProperty("token_endpoint").GetString().ShouldBe("http://worktime.test/login");
        body.GetProperty("jwks_uri").GetString().ShouldBe("http://worktime.test/.well-known/jwks.json");
        body.GetProperty("revocation_endpoint").GetString().ShouldBe("http://worktime.test/logout");
        body.GetProperty("grant_types_supported").EnumerateArray().Select(g => g.GetString()).ShouldBe(["password", "refresh_token", "authorization_code", "urn:ietf:params:oauth:grant-type:device_code"]);
        body.GetProperty("token_endpoint_auth_methods_supported").EnumerateArray().Select(g => g.GetString()).ShouldBe(["none"]);
    }
}
