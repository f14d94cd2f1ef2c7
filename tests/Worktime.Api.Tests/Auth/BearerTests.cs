using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using Worktime.Api.Auth;
using Worktime.Api.Tests.Infrastructure;
using Worktime.Api.Accounts;

namespace Worktime.Api.Tests.Auth;

/// <summary>docs/security.md: what a bearer-protected route accepts (docs/auth.md). Probed on GET /me.</summary>
/// <remarks>
/// Two apps for the class: one on the system clock, and one on the fake clock for the tests that move time (each
/// with its own user and a fresh login, so a moved clock touches no other test's token).
/// </remarks>
[VariesWith(Vary.Backend)]
public sealed class BearerTests(WorktimeApplication app, FakeClockFixture fakeClock) : IClassFixture<WorktimeApplication>, IClassFixture<FakeClockFixture>
{
    private const string InvalidToken = "Bearer realm=\"api\", error=\"invalid_token\"";

    private async Task<HttpResponseMessage> MeAsync(string token, string scheme = "Bearer") =>
        await app.BearerClient(token, scheme).GetAsync("/me");

    private static async Task ShouldBeInvalidTokenAsync(HttpResponseMessage response, string? description = null)
    {
        await response.ShouldBeErrorAsync(401, "invalid_token", description);
        response.Headers.WwwAuthenticate.ToString().ShouldBe(InvalidToken);
    }

    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    private async Task<string> AccessTokenAsync() => (await app.LoginAsync("admin", await AdminPasswordAsync())).GetProperty("access_token").GetString()!;

    /// <summary>The fixture's bootstrap admin gets a known password once, so forged tokens naming user 1 match a real user.</summary>
    private async Task<string> AdminPasswordAsync()
    {
        const string password = "bearer-tests-admin";
        var accounts = app.Services.GetRequiredService<UserAccounts>();
        if (!_adminReady)
        {
            (await accounts.SetPasswordAsync((await accounts.FindIdAsync("admin")).OrThrow(), password)).ShouldBeNull();
            _adminReady = true;
        }
        return password;
    }

    private static bool _adminReady;

    [Fact]
    public async Task ForgedTokenSignedWithOurKey_IsAccepted_SoTheRefusalsBelowAreAboutTheirFlaw()
    {
        await AdminPasswordAsync();
        var (key, kid) = await app.CurrentKeyAsync();
        var token = TokenForge.SignRs256($$"""{"alg":"RS256","typ":"JWT","kid":"{{kid}}"}""", TokenForge.AccessPayload(Now + 1), key);

        using var response = await MeAsync(token);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("None")]
    [InlineData("NONE")]
    public async Task Alg_none_with_an_empty_signature_is_401(string alg)
    {
        var token = TokenForge.B64($$"""{"alg":"{{alg}}","typ":"JWT"}""") + "." + TokenForge.B64(TokenForge.AccessPayload(Now)) + ".";

        using var response = await MeAsync(token);

        await ShouldBeInvalidTokenAsync(response);
    }

    [Theory]
    [InlineData("pem")]
    [InlineData("der")]
    [InlineData("jwk")]
    public async Task Hs256_signed_with_our_public_key_as_secret_is_401(string form)
    {
        var (key, kid) = await app.CurrentKeyAsync();
        var secret = form switch
        {
            "pem" => Encoding.ASCII.GetBytes(key.ExportSubjectPublicKeyInfoPem()),
            "der" => key.ExportSubjectPublicKeyInfo(),
            _ => Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(
                JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(key.ExportParameters(false))))),
        };
        var token = TokenForge.SignHs256($$"""{"alg":"HS256","typ":"JWT","kid":"{{kid}}"}""", TokenForge.AccessPayload(Now), secret);

        using var response = await MeAsync(token);

        await ShouldBeInvalidTokenAsync(response);
    }

    [Theory]
    [InlineData("unknown-kid")]
    [InlineData("../../dev/null")]
    [InlineData("' OR 1=1--")]
    [InlineData("LONG")]
    public async Task Unknown_or_hostile_kid_is_401_without_any_lookup(string kid)
    {
        var (key, _) = await app.CurrentKeyAsync();
        kid = kid == "LONG" ? new string('k', 10 * 1024) : kid;
        var header = System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string> { ["alg"] = "RS256", ["typ"] = "JWT", ["kid"] = kid });
        var token = TokenForge.SignRs256(header, TokenForge.AccessPayload(Now), key);
        using var counters = new AuthCounters(app);

        using var response = await MeAsync(token);

        await ShouldBeInvalidTokenAsync(response);
        counters.KeyLoads.ShouldBe(0);
    }

    [Theory]
    [InlineData("jku")]
    [InlineData("x5u")]
    [InlineData("jwk")]
    [InlineData("jwk-with-our-kid")]
    public async Task Key_references_in_the_header_are_ignored(string member)
    {
        using var attacker = RSA.Create(2048);
        var (_, kid) = await app.CurrentKeyAsync();
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(attacker.ExportParameters(false)));
        var header = member switch
        {
            "jku" => """{"alg":"RS256","typ":"JWT","kid":"attacker","jku":"http://127.0.0.1:9/jwks.json"}""",
            "x5u" => """{"alg":"RS256","typ":"JWT","kid":"attacker","x5u":"http://127.0.0.1:9/cert.pem"}""",
            "jwk" => $$$"""{"alg":"RS256","typ":"JWT","jwk":{"kty":"RSA","n":"{{{jwk.N}}}","e":"{{{jwk.E}}}"}}""",
            _ => $$$"""{"alg":"RS256","typ":"JWT","kid":"{{{kid}}}","jwk":{"kty":"RSA","kid":"{{{kid}}}","n":"{{{jwk.N}}}","e":"{{{jwk.E}}}"}}""",
        };

        using var response = await MeAsync(TokenForge.SignRs256(header, TokenForge.AccessPayload(Now), attacker));

        await ShouldBeInvalidTokenAsync(response);
    }

    [Fact]
    public async Task Expired_beyond_the_skew_is_401_and_inside_the_skew_still_accepted()
    {
        var clocked = fakeClock.App;
        await clocked.CreateUserAsync(await clocked.CreatePartnerAsync(), "clocked", 1);
        var token = (await clocked.LoginAsync("clocked")).GetProperty("access_token").GetString()!;

        clocked.Clock.Advance(TimeSpan.FromSeconds(3600 + 60));
        using var insideSkew = await clocked.BearerClient(token).GetAsync("/me");
        clocked.Clock.Advance(TimeSpan.FromSeconds(1));
        using var expired = await clocked.BearerClient(token).GetAsync("/me");

        insideSkew.StatusCode.ShouldBe(HttpStatusCode.OK);
        await ShouldBeInvalidTokenAsync(expired, "expired token");
    }

    [Theory]
    [InlineData("nbf-in-future")]
    [InlineData("no-exp")]
    [InlineData("exp-as-string")]
    public async Task Not_yet_valid_or_never_expiring_token_is_401(string flaw)
    {
        var (key, kid) = await app.CurrentKeyAsync();
        var overrides = flaw switch
        {
            "nbf-in-future" => new Dictionary<string, object?> { ["nbf"] = Now + 3600 },
            "no-exp" => new Dictionary<string, object?> { ["exp"] = null },
            _ => new Dictionary<string, object?> { ["exp"] = "9999999999" },
        };
        var token = TokenForge.SignRs256($$"""{"alg":"RS256","typ":"JWT","kid":"{{kid}}"}""", TokenForge.AccessPayload(Now, overrides), key);

        using var response = await MeAsync(token);

        await ShouldBeInvalidTokenAsync(response);
    }

    [Theory]
    [InlineData("iss", "http://evil.test")]
    [InlineData("aud", "http://evil.test")]
    [InlineData("userid", null)]
    [InlineData("partnerid", null)]
    [InlineData("userlevel", null)]
    [InlineData("username", null)]
    [InlineData("userid", "abc")]
    [InlineData("userid", "999999")]
    public async Task Wrong_issuer_audience_or_missing_identity_is_401(string claim, string? value)
    {
        var (key, kid) = await app.CurrentKeyAsync();
        var payload = TokenForge.AccessPayload(Now, new Dictionary<string, object?> { [claim] = value });

        using var response = await MeAsync(TokenForge.SignRs256($$"""{"alg":"RS256","typ":"JWT","kid":"{{kid}}"}""", payload, key));

        await ShouldBeInvalidTokenAsync(response);
    }

    [Fact]
    public async Task Refresh_token_as_bearer_is_401()
    {
        var tokens = await app.LoginAsync("admin", await AdminPasswordAsync());

        using var response = await MeAsync(tokens.GetProperty("refresh_token").GetString()!);

        await ShouldBeInvalidTokenAsync(response);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(5)]
    public async Task Wrong_segment_count_is_401_without_decryption(int segments)
    {
        var parts = (await AccessTokenAsync()).Split('.').ToList();
        while (parts.Count < segments)
        {
            parts.Add(parts[1]);
        }
        var token = string.Join('.', parts.Take(segments));

        using var response = await MeAsync(token);

        await ShouldBeInvalidTokenAsync(response);
    }

    /// <remarks>
    /// "Cheap" without a stopwatch: the size bound (docs/auth.md) refuses the token before any decoding, parsing or
    /// signature work. A token that passes every other check proves it: signed with our key for a real user, it is
    /// accepted just under the bound and refused over it, so nothing but its size can have refused it.
    /// </remarks>
    [Fact]
    public async Task Hundred_kilobyte_token_is_refused_by_the_size_bound_alone()
    {
        var garbage = TokenForge.B64("""{"alg":"RS256","typ":"JWT"}""") + "." + new string('A', 100 * 1024) + ".sig";
        using (var response = await MeAsync(garbage))
        {
            await ShouldBeInvalidTokenAsync(response);
        }

        await AdminPasswordAsync();
        var (key, kid) = await app.CurrentKeyAsync();
        string Padded(int padding) => TokenForge.SignRs256($$"""{"alg":"RS256","typ":"JWT","kid":"{{kid}}"}""",
            TokenForge.AccessPayload(Now + 1, new Dictionary<string, object?> { ["padding"] = new string('p', padding) }), key);
        var underBound = Padded(4 * 1024);
        var hundredKilobytes = Padded(75 * 1024);
        underBound.Length.ShouldBeLessThan(TokenFormat.MaxTokenLength);
        hundredKilobytes.Length.ShouldBeGreaterThan(100 * 1000);

        using (var response = await MeAsync(underBound))
        {
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
        }
        using (var response = await MeAsync(hundredKilobytes))
        {
            await ShouldBeInvalidTokenAsync(response);
        }
    }

    [Theory]
    [InlineData("padding")]
    [InlineData("plus-slash")]
    [InlineData("inner-space")]
    [InlineData("duplicate-header-key")]
    [InlineData("duplicate-payload-key")]
    public async Task Non_canonical_segments_or_duplicate_keys_are_401(string flaw)
    {
        var (key, kid) = await app.CurrentKeyAsync();
        var valid = await AccessTokenAsync();
        var parts = valid.Split('.');
        var token = flaw switch
        {
            "padding" => parts[0] + "==." + parts[1] + "." + parts[2],
            "plus-slash" => parts[0] + "." + parts[1] + "." + parts[2].Replace('-', '+').Replace('_', '/') + "+/",
            "inner-space" => parts[0] + "." + parts[1][..10] + " " + parts[1][10..] + "." + parts[2],
            "duplicate-header-key" => TokenForge.SignRs256($$"""{"alg":"RS256","typ":"JWT","kid":"{{kid}}","kid":"{{kid}}"}""", TokenForge.AccessPayload(Now), key),
            _ => TokenForge.SignRs256($$"""{"alg":"RS256","typ":"JWT","kid":"{{kid}}"}""",
                TokenForge.AccessPayload(Now).Replace("\"userlevel\":\"5\"", "\"userlevel\":\"1\",\"userlevel\":\"5\"", StringComparison.Ordinal), key),
        };

        using var response = await MeAsync(token);

        await ShouldBeInvalidTokenAsync(response);
    }

    [Theory]
    [InlineData("bearer")]
    [InlineData("BEARER")]
    [InlineData("Bearer")]
    public async Task Bearer_scheme_name_is_case_insensitive(string scheme)
    {
        using var response = await MeAsync(await AccessTokenAsync(), scheme);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("access_token")]
    [InlineData("token")]
    public async Task Token_in_the_query_string_only_is_401(string parameter)
    {
        using var response = await app.CreateClient().GetAsync($"/me?{parameter}={await AccessTokenAsync()}");

        await response.ShouldBeErrorAsync(401, "invalid_request");
        response.Headers.WwwAuthenticate.ToString().ShouldBe("Bearer realm=\"api\"");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Basic YWRtaW46YWRtaW4=")]
    public async Task No_credentials_is_401_with_a_challenge(string? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/1.1/me");
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await app.CreateClient().SendAsync(request);

        await response.ShouldBeErrorAsync(401, "invalid_request");
        response.Headers.WwwAuthenticate.ToString().ShouldBe("Bearer realm=\"api\"");
        response.Headers.Contains("Set-Cookie").ShouldBeFalse();
    }

    [Theory]
    [InlineData("removed")]
    [InlineData("inactive")]
    public async Task Token_of_a_deleted_or_deactivated_user_is_401(string how)
    {
        var id = await app.CreateUserAsync(await app.CreatePartnerAsync(), "gone44-" + how, 2);
        var token = (await app.LoginAsync("gone44-" + how)).GetProperty("access_token").GetString()!;
        using (var before = await MeAsync(token))
        {
            before.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        // What the forms API does when a user row is removed or set inactive.
        await app.ExecuteAsync(how == "removed" ? "UPDATE users SET row_status = 'removed' WHERE id = @id" : "UPDATE users SET status = 'inactive' WHERE id = @id", new { id });
        await app.Services.GetRequiredService<IUserSessions>().EndAllAsync(id, "test", CancellationToken.None);

        using var after = await MeAsync(token);
        await ShouldBeInvalidTokenAsync(after);
    }

    [Fact]
    public async Task PasswordChange_VoidsAccessTokensIssuedBeforeIt()
    {
        var clocked = fakeClock.App;
        var id = await clocked.CreateUserAsync(await clocked.CreatePartnerAsync(), "changer", 1);
        var old = (await clocked.LoginAsync("changer")).GetProperty("access_token").GetString()!;
        clocked.Clock.Advance(TimeSpan.FromSeconds(1));

        await clocked.Services.GetRequiredService<UserAccounts>().SetPasswordAsync(id, "another-password");
        var fresh = (await clocked.LoginAsync("changer", "another-password")).GetProperty("access_token").GetString()!;

        using var oldResponse = await clocked.BearerClient(old).GetAsync("/me");
        using var freshResponse = await clocked.BearerClient(fresh).GetAsync("/me");
        await ShouldBeInvalidTokenAsync(oldResponse);
        freshResponse.StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
