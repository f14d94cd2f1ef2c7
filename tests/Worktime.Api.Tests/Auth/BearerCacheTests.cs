using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Worktime.Api.Accounts;
using Worktime.Api.Auth;
using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.Auth;

/// <summary>
/// docs/auth.md "Bearer validation cache": a token string validated once is reused until it expires, and that
/// changes nothing about which tokens are refused — expiry, the user's revocation, a tampered copy and a key
/// removed from the ring are all still 401. Each test first uses the token so it is served from the cache.
/// </summary>
/// <remarks>
/// One app for the class (fake clock): each test makes its own user and logs in afresh, so moving the clock forward
/// or replacing the signing key in one test never touches a token another test uses.
/// </remarks>
[VariesWith(Vary.Backend)]
public sealed class BearerCacheTests(FakeClockFixture fixture) : IClassFixture<FakeClockFixture>
{
    private const string InvalidToken = "Bearer realm=\"api\", error=\"invalid_token\"";

    private static async Task<HttpStatusCode> MeAsync(WorktimeApplication app, string token)
    {
        using var response = await app.BearerClient(token).GetAsync("/me");
        return response.StatusCode;
    }

    private static async Task ShouldBeInvalidTokenAsync(WorktimeApplication app, string token, string? description = null)
    {
        using var response = await app.BearerClient(token).GetAsync("/me");
        await response.ShouldBeErrorAsync(401, "invalid_token", description);
        response.Headers.WwwAuthenticate.ToString().ShouldBe(InvalidToken);
    }

    private async Task<(WorktimeApplication App, long UserId, string Token)> StartWithUserAsync(string username)
    {
        var app = fixture.App;
        var id = await app.CreateUserAsync(await app.CreatePartnerAsync(), username, 1);
        var token = (await app.LoginAsync(username)).GetProperty("access_token").GetString()!;
        return (app, id, token);
    }

    [Fact]
    public async Task ATokenIsValidatedOnce_TheSameStringAgainIsServedFromTheCache_AFailureIsNeverCached()
    {
        var (app, _, token) = await StartWithUserAsync("cached-once");
        var cache = app.Services.GetRequiredService<BearerTokenCache>();
        var before = cache.Count;

        (await MeAsync(app, token)).ShouldBe(HttpStatusCode.OK);
        (await MeAsync(app, token)).ShouldBe(HttpStatusCode.OK);
        var afterTwo = cache.Count;
        await ShouldBeInvalidTokenAsync(app, token[..^2] + (token[^2] == 'A' ? "BA" : "AA"));

        afterTwo.ShouldBe(before + 1);
        cache.Count.ShouldBe(afterTwo);
    }

    [Fact]
    public async Task ACachedToken_ExpiresAtTheSameSecondAsWithoutTheCache()
    {
        var (app, _, token) = await StartWithUserAsync("cached-expiry");
        (await MeAsync(app, token)).ShouldBe(HttpStatusCode.OK);

        app.Clock.Advance(TimeSpan.FromSeconds(3600 + 60)); // lifetime + the 60 s skew: still accepted
        var insideSkew = await MeAsync(app, token);
        app.Clock.Advance(TimeSpan.FromSeconds(1));

        insideSkew.ShouldBe(HttpStatusCode.OK);
        await ShouldBeInvalidTokenAsync(app, token, "expired token");
    }

    [Fact]
    public async Task ACachedToken_IsRefused_OnceThePasswordChanges()
    {
        var (app, id, token) = await StartWithUserAsync("cached-revoked");
        (await MeAsync(app, token)).ShouldBe(HttpStatusCode.OK);
        (await MeAsync(app, token)).ShouldBe(HttpStatusCode.OK);
        app.Clock.Advance(TimeSpan.FromSeconds(1));

        await app.Services.GetRequiredService<UserAccounts>().SetPasswordAsync(id, "another-password");

        await ShouldBeInvalidTokenAsync(app, token);
    }

    [Theory]
    [InlineData("payload")]
    [InlineData("signature")]
    public async Task ATamperedCopyOfACachedToken_IsRefused_AndTheOriginalStillWorks(string part)
    {
        var (app, _, token) = await StartWithUserAsync("cached-tampered-" + part);
        (await MeAsync(app, token)).ShouldBe(HttpStatusCode.OK);
        var parts = token.Split('.');
        var tampered = part == "payload"
            ? parts[0] + "." + TokenForge.B64(TokenForge.Decode(parts[1]).Replace("cached-tampered-payload", "admin", StringComparison.Ordinal)) + "." + parts[2]
            : parts[0] + "." + parts[1] + "." + parts[2][..^5] + (parts[2][^5..^1] == "AAAA" ? "BBBB" : "AAAA") + parts[2][^1];

        tampered.ShouldNotBe(token);
        await ShouldBeInvalidTokenAsync(app, tampered);
        (await MeAsync(app, token)).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task ACachedToken_IsRefused_OnceItsSigningKeyLeavesTheRing()
    {
        var (app, _, token) = await StartWithUserAsync("cached-key-gone");
        (await MeAsync(app, token)).ShouldBe(HttpStatusCode.OK);

        // An operator removing a compromised key: rotate, delete the old key's row, and the ring reloads.
        await app.Services.GetRequiredService<SigningKeyStore>().RotateAsync(CancellationToken.None);
        await app.ExecuteAsync("DELETE FROM signing_keys WHERE kid = @kid", new { kid = TokenForge.Header(token).GetProperty("kid").GetString() });
        await app.Services.GetRequiredService<SigningKeyRing>().ReloadAsync();

        await ShouldBeInvalidTokenAsync(app, token);
    }
}
