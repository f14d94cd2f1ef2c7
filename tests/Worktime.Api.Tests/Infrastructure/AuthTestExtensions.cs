using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Worktime.Api.Data;
using Worktime.Api.Accounts;
using Worktime.Api.Http;

namespace Worktime.Api.Tests.Infrastructure;

/// <summary>Partners, users and logged-in clients for any test class, made through the app's own services and POST /login.</summary>
public static class AuthTestExtensions
{
    public const string DefaultPassword = "pw-correct-horse";
    public const string DefaultClient = "openapi";

    public static async Task<long> CreatePartnerAsync(this WorktimeApplication app, string name = "Acme", string country = "fi") =>
        (await app.Services.GetRequiredService<PartnerStore>().AddAsync(name, country)).OrThrow();

    public static async Task<long> CreateUserAsync(this WorktimeApplication app, long partnerId, string username, int level, string password = DefaultPassword) =>
        (await app.Services.GetRequiredService<UserAccounts>().CreateAsync(partnerId, username, level, password)).OrThrow();

    /// <summary>The value of an accounts outcome a test expects to succeed.</summary>
    internal static T OrThrow<T>(this Outcome<T> outcome) =>
        outcome.Error is { } error ? throw new InvalidOperationException(error.Description) : outcome.Value!;

    /// <summary>POST /login with the password grant; asserts 200 and returns the token response.</summary>
    public static async Task<JsonElement> LoginAsync(this WorktimeApplication app, string username, string password = DefaultPassword,
        string clientId = DefaultClient)
    {
        using var client = app.CreateClient();
        using var response = await client.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["username"] = username,
            ["password"] = password,
            ["client_id"] = clientId,
        }));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Login of '{username}' failed: {(int)response.StatusCode} {body}");
        }
        return body;
    }

    /// <summary>An HttpClient carrying a real access token of <paramref name="username"/>.</summary>
    public static async Task<HttpClient> LoginClientAsync(this WorktimeApplication app, string username, string password = DefaultPassword)
    {
        var tokens = await app.LoginAsync(username, password);
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.GetProperty("access_token").GetString());
        return client;
    }
}
