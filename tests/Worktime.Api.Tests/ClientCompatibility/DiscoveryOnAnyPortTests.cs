using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Worktime.Api.Tests.Forms;
using Worktime.Api.Tests.Infrastructure;
using Worktime.Api.Tests.MultiNode;
using Worktime.Api.Tests.Resilience;

namespace Worktime.Api.Tests.ClientCompatibility;

/// <summary>
/// RFC 8414 discovery out of the box: a real <c>worktime serve</c> on a random port with no Auth:Issuer publishes its
/// own listening URL, and what openid-client (issuer must equal the URL it asked) or PyJWT's PyJWKClient (follows
/// <c>jwks_uri</c>) do next works against it.
/// </summary>
[VariesWith(Vary.Nothing)]
public sealed class DiscoveryOnAnyPortTests
{
    [Fact]
    public async Task RealServer_WithoutIssuerSettings_PublishesAndAcceptsItsOwnListeningUrl()
    {
        var connectionString = await TestBackend.CreateDatabaseAsync();
        try
        {
            await using var node = ServerProcess.Start(new Dictionary<string, string>
            {
                ["ConnectionStrings__Worktime"] = connectionString,
                ["Auth__Argon2__MemoryKiB"] = "8192",
                ["Auth__Argon2__Iterations"] = "1",
                ["Logging__LogLevel__Default"] = "Information",
                ["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning",
            });
            await node.WaitReadyAsync();
            var own = $"http://127.0.0.1:{node.Port}";
            await using var tools = WorktimeApplication.OnDatabase(connectionString);
            var username = $"disco{Guid.NewGuid():N}"[..20];
            await tools.CreateUserAsync(await tools.CreatePartnerAsync("Disco"), username, 3);

            // openid-client: discovery at the issuer's well-known path; the metadata's issuer must be that issuer.
            using var outside = new HttpClient(); // absolute URLs only, as a library following the metadata
            var metadata = await outside.GetFromJsonAsync<JsonElement>($"{own}/.well-known/oauth-authorization-server");
            metadata.GetProperty("issuer").GetString().ShouldBe(own);
            metadata.GetProperty("token_endpoint").GetString().ShouldBe($"{own}/login");
            // PyJWKClient: fetches jwks_uri as published.
            var jwks = await outside.GetFromJsonAsync<JsonElement>(metadata.GetProperty("jwks_uri").GetString());
            jwks.GetProperty("keys").GetArrayLength().ShouldBeGreaterThan(0);

            using var login = await outside.PostAsync(metadata.GetProperty("token_endpoint").GetString(), new FormUrlEncodedContent(
                new Dictionary<string, string>
                {
                    ["grant_type"] = "password", ["client_id"] = "openapi",
                    ["username"] = username, ["password"] = AuthTestExtensions.DefaultPassword,
                }));
            var token = (await login.ShouldBeJsonAsync(200)).GetProperty("access_token").GetString()!;
            var claims = Payload(token);
            claims.GetProperty("iss").GetString().ShouldBe(own);
            claims.GetProperty("aud").GetString().ShouldBe(own);
            using var me = new HttpRequestMessage(HttpMethod.Get, $"{own}/me") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", token) } };
            using var meResponse = await outside.SendAsync(me);
            (await meResponse.ShouldBeJsonAsync(200)).GetProperty("username").GetString().ShouldBe(username);

            node.Output.ShouldContain($"Token issuer {own}, audience {own}");
        }
        finally
        {
            await TestBackend.DropDatabaseAsync(connectionString);
        }
    }

    internal static JsonElement Payload(string jwt)
    {
        var part = jwt.Split('.')[1].Replace('-', '+').Replace('_', '/');
        part = part.PadRight(part.Length + ((4 - (part.Length % 4)) % 4), '=');
        return JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(part))).RootElement.Clone();
    }
}
