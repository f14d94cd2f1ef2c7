using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Worktime.Api.Tests.Forms;
using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.ClientCompatibility;

/// <summary>
/// Replays the habits of standard OAuth/JWT libraries (docs/clients.md): openid-client (discovery, issuer equality,
/// client_id in the body, refuses <c>"scope": null</c>), requests-oauthlib and authlib (client_id as HTTP Basic with an
/// empty password), PyJWT's PyJWKClient and jose's remote JWK set (JWKS from <c>jwks_uri</c>, key chosen by <c>kid</c>).
/// Each test runs on its own app, set up as an operator does for a strict OAuth library: one more client, listed in
/// Auth:StrictClients.
/// </summary>
[VariesWith(Vary.Nothing)]
public sealed class OAuthLibraryTests : IAsyncLifetime
{
    private const string StrictClient = "oidc_app";

    private WorktimeApplication app = null!;

    public async Task InitializeAsync() => app = await WorktimeApplication.StartAsync(o =>
    {
        o.Settings["Auth:Clients:0"] = "openapi";
        o.Settings["Auth:Clients:1"] = "ember_app";
        o.Settings["Auth:Clients:2"] = StrictClient;
        o.Settings["Auth:StrictClients:0"] = StrictClient;
    });

    public Task DisposeAsync() => app.DisposeAsync().AsTask();

    private const string Issuer = "http://worktime.test";

    [Fact]
    public async Task OpenIdClient_DiscoversLogsInAndRefreshes_AsAStrictClient_WithoutNullMembers()
    {
        var username = await UserAsync();
        using var http = app.CreateClient();

        var metadata = await http.GetFromJsonAsync<JsonElement>("/.well-known/oauth-authorization-server");
        metadata.GetProperty("issuer").GetString().ShouldBe(Issuer); // must equal the issuer it was told
        var tokenPath = new Uri(metadata.GetProperty("token_endpoint").GetString()!).AbsolutePath;
        metadata.GetProperty("grant_types_supported").EnumerateArray().Select(g => g.GetString()).ShouldContain("password");

        var login = await TokenAsync(http, tokenPath, new() { ["grant_type"] = "password", ["username"] = username,
            ["password"] = AuthTestExtensions.DefaultPassword, ["client_id"] = StrictClient });
        var refreshed = await TokenAsync(http, tokenPath, new() { ["grant_type"] = "refresh_token",
            ["refresh_token"] = login.GetProperty("refresh_token").GetString()!, ["client_id"] = StrictClient });

        foreach (var answer in new[] { login, refreshed })
        {
            answer.Keys().ShouldBe(["access_token", "expires_in", "token_type", "refresh_token", "user_id"]);
            answer.EnumerateObject().ShouldAllBe(p => p.Value.ValueKind != JsonValueKind.Null);
            answer.GetProperty("token_type").GetString().ShouldBe("Bearer");
            answer.GetProperty("expires_in").GetInt64().ShouldBeGreaterThan(0);
        }
    }

    [Theory]
    [InlineData("openapi")]
    [InlineData("ember_app")]
    public async Task TheSeedsClients_KeepTheirShape_WithScopeNull(string clientId)
    {
        var username = await UserAsync();
        using var http = app.CreateClient();

        var login = await TokenAsync(http, "/login", new() { ["grant_type"] = "password", ["username"] = username,
            ["password"] = AuthTestExtensions.DefaultPassword, ["client_id"] = clientId });

        login.Keys().ShouldBe(["access_token", "expires_in", "token_type", "scope", "refresh_token", "user_id"]);
        login.GetProperty("scope").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task RequestsOAuthlib_ClientIdAsBasicWithAnEmptyPassword_LogsIn()
    {
        var username = await UserAsync();
        using var http = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "password", ["username"] = username, ["password"] = AuthTestExtensions.DefaultPassword,
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("openapi:")));

        using var response = await http.SendAsync(request);

        var body = await response.ShouldBeJsonAsync(200);
        DiscoveryOnAnyPortTests.Payload(body.GetProperty("access_token").GetString()!).GetProperty("client_id").GetString().ShouldBe("openapi");
    }

    [Theory]
    [InlineData("openapi:secret", null, "invalid_client")] // public clients have no secret
    [InlineData("nosuch:", null, "invalid_client")]
    [InlineData("openapi:", "ember_app", "invalid_request")] // two different client ids
    [InlineData("not base64!", null, "invalid_client")]
    public async Task BasicClientCredentials_ThatDoNotFit_AreRefused(string credentials, string? bodyClientId, string error)
    {
        using var http = app.CreateClient();
        var form = new Dictionary<string, string> { ["grant_type"] = "password", ["username"] = "nobody", ["password"] = "x" };
        if (bodyClientId is not null)
        {
            form["client_id"] = bodyClientId;
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, "/login") { Content = new FormUrlEncodedContent(form) };
        var encoded = credentials.Contains(' ', StringComparison.Ordinal) ? credentials : Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials));
        request.Headers.TryAddWithoutValidation("Authorization", "Basic " + encoded);

        using var response = await http.SendAsync(request);

        await response.ShouldBeErrorAsync(400, error);
    }

    [Fact]
    public async Task PyJwtAndJose_VerifyTheAccessToken_WithTheKeyFromJwksUri()
    {
        var username = await UserAsync();
        using var http = app.CreateClient();
        var metadata = await http.GetFromJsonAsync<JsonElement>("/.well-known/oauth-authorization-server");
        var jwks = new JsonWebKeySet(await http.GetStringAsync(new Uri(metadata.GetProperty("jwks_uri").GetString()!).AbsolutePath));
        var token = (await app.LoginAsync(username)).GetProperty("access_token").GetString()!;
        var kid = new JsonWebToken(token).Kid;

        // PyJWKClient.get_signing_key_from_jwt: the key whose kid matches the token's header
        var key = jwks.Keys.Single(k => k.Kid == kid);
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            IssuerSigningKey = key,
            ValidIssuer = metadata.GetProperty("issuer").GetString(),
            ValidAudience = Issuer,
            ValidAlgorithms = [key.Alg],
        });

        result.IsValid.ShouldBeTrue(result.Exception?.Message);
        result.Claims["userid"].ShouldBeOfType<string>();
    }

    private async Task<string> UserAsync()
    {
        var username = $"lib{Guid.NewGuid():N}"[..20];
        await app.CreateUserAsync(await app.CreatePartnerAsync("Libraries"), username, 2);
        return username;
    }

    private static async Task<JsonElement> TokenAsync(HttpClient http, string path, Dictionary<string, string> form)
    {
        using var response = await http.PostAsync(path, new FormUrlEncodedContent(form));
        return await response.ShouldBeJsonAsync(200);
    }
}
