using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.Auth;

/// <summary>Raw calls to the token endpoint, for tests that look at every status, header and body.</summary>
internal static class LoginRequests
{
    public static Task<HttpResponseMessage> PostFormAsync(this HttpClient client, string path, params (string Name, string Value)[] fields) =>
        client.PostAsync(path, new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))));

    public static Task<HttpResponseMessage> PasswordGrantAsync(this HttpClient client, string username, string password = AuthTestExtensions.DefaultPassword,
        string clientId = AuthTestExtensions.DefaultClient) =>
        client.PostFormAsync("/login", ("grant_type", "password"), ("username", username), ("password", password), ("client_id", clientId));

    public static Task<HttpResponseMessage> RefreshGrantAsync(this HttpClient client, string refreshToken, string clientId = AuthTestExtensions.DefaultClient) =>
        client.PostFormAsync("/login", ("grant_type", "refresh_token"), ("refresh_token", refreshToken), ("client_id", clientId));

    public static HttpClient ClientFrom(this WorktimeApplication app, string ip)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Add(WorktimeApplication.RemoteIpHeader, ip);
        return client;
    }

    public static HttpClient BearerClient(this WorktimeApplication app, string token, string scheme = "Bearer")
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(scheme, token);
        return client;
    }

    /// <summary>Asserts a JSON error answer: status, error code, and (when given) the exact description.</summary>
    public static async Task<JsonElement> ShouldBeErrorAsync(this HttpResponseMessage response, int status, string error, string? description = null)
    {
        var body = await response.Content.ReadAsStringAsync();
        ((int)response.StatusCode).ShouldBe(status, body);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        var json = JsonDocument.Parse(body).RootElement;
        json.GetProperty("error").GetString().ShouldBe(error, body);
        json.GetProperty("error_description").GetString().ShouldNotBeNullOrWhiteSpace();
        if (description is not null)
        {
            json.GetProperty("error_description").GetString().ShouldBe(description);
        }
        return json;
    }
}
