using System.Text.Json.Serialization;
using Worktime.Api.Http;

namespace Worktime.Api.Auth;

/// <summary>The token endpoint's success body, keys in the documented order (docs/auth.md).</summary>
internal sealed record TokenResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("expires_in")] long ExpiresIn,
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("scope")] string? Scope,
    [property: JsonPropertyName("refresh_token")] string RefreshToken,
    [property: JsonPropertyName("user_id")] long UserId)
{
    /// <summary>For a client in <c>Auth:StrictClients</c>: members whose value is null are left out (docs/auth.md).</summary>
    [JsonIgnore]
    public bool OmitNulls { get; init; }
}

/// <summary>RFC 6749 §5.2 answers of the token endpoint (status 400 as the public API does).</summary>
internal static class OAuthResults
{
    public const string InvalidGrantDescription = "Invalid username and password combination";

    public static IResult Error(string error, string description, int status = 400) => ApiError.Result(status, error, description);

    public static IResult InvalidRequest(string description) => Error("invalid_request", description);

    public static IResult InvalidGrant(string description = InvalidGrantDescription) => Error("invalid_grant", description);

    public static IResult SlowDown(TimeSpan retryAfter) =>
        ApiError.Result(429, "slow_down", "Too many failed attempts; wait before trying again.", retryAfterSeconds: ApiError.SecondsToWait(retryAfter));

    /// <summary>
    /// All password hashing slots stayed busy: 429 <c>temporarily_unavailable</c> with <c>Retry-After: 1</c>, not 503 —
    /// a login never answers 5xx (docs/security.md), and "come back in a second" is exactly what 429 says. Every other
    /// password check that finds the slots busy answers the same status, code and header (<c>UserAccounts.Busy</c>).
    /// </summary>
    public static IResult Busy() =>
        ApiError.Result(429, "temporarily_unavailable", "The server is busy checking other logins; try again in a moment.", retryAfterSeconds: 1);

    // RFC 6749 §5.1 makes scope optional; strict parsers such as openid-client v6 refuse "scope": null.
    private static readonly System.Text.Json.JsonSerializerOptions WithoutNulls = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static IResult Success(TokenResponse response) =>
        response.OmitNulls ? Results.Json(response, WithoutNulls) : Results.Json(response);

    /// <summary>Every token-endpoint response, whatever produces it (even the exception handler), is not cacheable.</summary>
    public static void NoStore(HttpContext http) =>
        http.Response.OnStarting(() =>
        {
            http.Response.Headers.CacheControl = "no-store";
            http.Response.Headers.Pragma = "no-cache";
            return Task.CompletedTask;
        });
}
