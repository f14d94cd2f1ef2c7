using Worktime.Api.Accounts;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.Auth;

/// <summary>docs/auth.md: decoded tokens, claim by claim, with JSON types; verified independently with the JWKS document.</summary>
/// <remarks>
/// One app for the class (its tests only log the same user in and read what they get): fake clock (it never moves
/// here), a trusted country header, and signing keys generated as the server does (the JWKS test checks their size).
/// </remarks>
[VariesWith(Vary.Backend)]
public sealed class TokenContentTests(TokenContentFixture fixture) : IClassFixture<TokenContentFixture>
{
    private readonly WorktimeApplication _app = fixture.App;
    private readonly long _partnerId = fixture.PartnerId;
    private readonly long _userId = fixture.UserId;

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    private long Now => _app.Clock.GetUtcNow().ToUnixTimeSeconds();

    [Fact]
    public async Task AccessToken_HasExactlyTheDocumentedClaims_InOrder_WithTheirJsonTypes()
    {
        var tokens = await _app.LoginAsync("claire.claims", clientId: "ember_app");
        var access = tokens.GetProperty("access_token").GetString()!;

        var header = TokenForge.Header(access);
        header.GetProperty("alg").GetString().ShouldBe("RS256");
        header.GetProperty("typ").GetString().ShouldBe("JWT");
        header.GetProperty("kid").GetString().ShouldNotBeNullOrEmpty();
        var claims = TokenForge.Payload(access);
        claims.EnumerateObject().Select(c => c.Name).ShouldBe(
            ["iss", "aud", "exp", "iat", "username", "userid", "partnerid", "client_id", "userlevel", "country", "jti",
             "security_version"]); // the contract's claims unchanged, then ours (docs/auth.md)
        AssertString(claims, "iss", "http://worktime.test");
        AssertString(claims, "aud", "http://worktime.test");
        claims.GetProperty("iat").ValueKind.ShouldBe(JsonValueKind.Number);
        claims.GetProperty("iat").GetInt64().ShouldBe(Now);
        claims.GetProperty("exp").ValueKind.ShouldBe(JsonValueKind.Number);
        (claims.GetProperty("exp").GetInt64() - claims.GetProperty("iat").GetInt64()).ShouldBe(3600);
        AssertString(claims, "username", "Claire.Claims");
        AssertString(claims, "userid", Id(_userId));
        AssertString(claims, "partnerid", Id(_partnerId));
        AssertString(claims, "client_id", "ember_app");
        AssertString(claims, "userlevel", "4");
        AssertString(claims, "country", "se");
        claims.GetProperty("jti").GetString()!.Length.ShouldBeGreaterThanOrEqualTo(20);
        claims.GetProperty("security_version").ValueKind.ShouldBe(JsonValueKind.Number);
    }

    [Fact]
    public async Task RefreshToken_HasTheDocumentedClaims_PlusJtiAndMarker_AndLivesThirtyDays()
    {
        var refresh = (await _app.LoginAsync("claire.claims")).GetProperty("refresh_token").GetString()!;

        TokenForge.Header(refresh).GetProperty("alg").GetString().ShouldBe("RS256");
        var claims = TokenForge.Payload(refresh);
        claims.EnumerateObject().Select(c => c.Name).ShouldBe(
            ["iss", "aud", "exp", "iat", "username", "userid", "partnerid", "client_id", "jti", "token_use", "security_version"]);
        (claims.GetProperty("exp").GetInt64() - claims.GetProperty("iat").GetInt64()).ShouldBe(30L * 24 * 3600);
        AssertString(claims, "userid", Id(_userId));
        AssertString(claims, "partnerid", Id(_partnerId));
        AssertString(claims, "client_id", "openapi");
        AssertString(claims, "token_use", "refresh");
    }

    [Fact]
    public async Task EachLogin_GetsUniqueTokenIds()
    {
        var a = await _app.LoginAsync("claire.claims");
        var b = await _app.LoginAsync("claire.claims");

        var ids = new[] { a, b }.SelectMany(t => new[] { t.GetProperty("access_token"), t.GetProperty("refresh_token") })
            .Select(t => TokenForge.Payload(t.GetString()!).GetProperty("jti").GetString()).ToList();
        ids.Distinct().Count().ShouldBe(4);
    }

    [Fact]
    public async Task Tokens_VerifyWithTheJwksDocument_InAnIndependentJwtLibrary()
    {
        var tokens = await _app.LoginAsync("claire.claims");
        var jwks = new JsonWebKeySet(await _app.CreateClient().GetStringAsync("/.well-known/jwks.json"));
        var handler = new JsonWebTokenHandler();
        var parameters = new TokenValidationParameters
        {
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ValidIssuer = "http://worktime.test",
            ValidAudience = "http://worktime.test",
            ValidAlgorithms = ["RS256"],
#pragma warning disable CA5404 // the fake clock is far from the machine's; expiry has its own tests (BearerTests)
            ValidateLifetime = false,
#pragma warning restore CA5404
        };

        foreach (var name in new[] { "access_token", "refresh_token" })
        {
            var result = await handler.ValidateTokenAsync(tokens.GetProperty(name).GetString(), parameters);
            result.IsValid.ShouldBeTrue(result.Exception?.Message);
        }
        var key = jwks.Keys.Single();
        key.Kty.ShouldBe("RSA");
        key.Use.ShouldBe("sig");
        key.Alg.ShouldBe("RS256");
        key.Kid.ShouldBe(TokenForge.Header(tokens.GetProperty("access_token").GetString()!).GetProperty("kid").GetString());
        (Base64UrlEncoder.DecodeBytes(key.N).Length * 8).ShouldBeGreaterThanOrEqualTo(2048);
        key.D.ShouldBeNull();
    }

    [Theory]
    [InlineData("SE", "se")]
    [InlineData("us", "us")]
    [InlineData("XYZ", "se")]
    [InlineData("1A", "se")]
    [InlineData(null, "se")]
    public async Task Country_ComesFromTheTrustedHeader_ElseThePartner(string? header, string expected)
    {
        using var client = _app.CreateClient();
        if (header is not null)
        {
            client.DefaultRequestHeaders.Add("CF-IPCountry", header);
        }

        using var response = await client.PasswordGrantAsync("claire.claims");

        var claims = TokenForge.Payload((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!);
        claims.GetProperty("country").GetString().ShouldBe(expected);
    }

    [Fact]
    public async Task Me_ReturnsTheUserRowWithoutPasswordMaterial_AndThePartner()
    {
        using var client = await _app.LoginClientAsync("claire.claims");

        using var response = await client.GetAsync("/me");
        var text = await response.Content.ReadAsStringAsync();

        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
        var body = JsonDocument.Parse(text).RootElement;
        var user = body.GetProperty("user");
        user.EnumerateObject().Select(p => p.Name).ShouldBe(
            ["row_info", "id", "firstname", "lastname", "username", "email", "phone", "userlevel", "worktimegroup", "status", "saldo_start", "saldo_initial", "employee_number"]);
        user.GetProperty("id").GetInt64().ShouldBe(_userId);
        user.GetProperty("row_info").GetProperty("partnerid").GetString().ShouldBe(Id(_partnerId));
        user.GetProperty("userlevel").GetInt32().ShouldBe(4);
        user.GetProperty("status").GetString().ShouldBe("active");
        body.GetProperty("partner").GetProperty("name").GetString().ShouldBe("Claims Oy");
        text.ShouldNotContain("argon2");
        text.ShouldNotContain("password");
        text.ShouldNotContain("security_stamp");
    }

    private static void AssertString(JsonElement claims, string name, string value)
    {
        claims.GetProperty(name).ValueKind.ShouldBe(JsonValueKind.String, name);
        claims.GetProperty(name).GetString().ShouldBe(value, name);
    }
}
