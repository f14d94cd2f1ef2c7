using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Worktime.Api.Tests.MultiNode;

/// <summary>The token endpoint as a client uses it, against one node.</summary>
public static class TokenClient
{
    /// <summary>The password grant; <paramref name="forwardedFor"/> plays the reverse proxy's X-Forwarded-For.</summary>
    public static Task<HttpResponseMessage> PasswordAsync(ServerProcess node, string username, string password, string? forwardedFor = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "password",
                ["username"] = username,
                ["password"] = password,
                ["client_id"] = "openapi",
            }),
        };
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }
        return node.Client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> RefreshAsync(ServerProcess node, string refreshToken) =>
        node.Client.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = refreshToken,
            ["client_id"] = "openapi",
        }));

    /// <summary>Logs in and returns the token response; fails the test unless it is a 200.</summary>
    public static async Task<Tokens> LoginAsync(ServerProcess node, string username, string password)
    {
        var response = await PasswordAsync(node, username, password);
        return await ReadTokensAsync(response);
    }

    public static async Task<Tokens> ReadTokensAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        var body = JsonSerializer.Deserialize<JsonElement>(text);
        return new Tokens(body.GetProperty("access_token").GetString()!, body.GetProperty("refresh_token").GetString()!);
    }

    public static async Task<string> ErrorOfAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString()!;

    public static Task<HttpResponseMessage> MeAsync(ServerProcess node, string accessToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/me");
        request.Headers.Authorization = new("Bearer", accessToken);
        return node.Client.SendAsync(request);
    }

    /// <summary>The key ids a node publishes.</summary>
    public static async Task<HashSet<string>> JwksKidsAsync(ServerProcess node)
    {
        var jwks = await node.Client.GetFromJsonAsync<JsonElement>("/.well-known/jwks.json");
        return jwks.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()!).ToHashSet();
    }
}

public sealed record Tokens(string Access, string Refresh)
{
    public string AccessKid => new JsonWebToken(Access).Kid;

    public string RefreshJti => new JsonWebToken(Refresh).Id;
}
