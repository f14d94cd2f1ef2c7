using System.Net.Http.Headers;
using System.Text;

namespace Worktime.Api.Auth;

/// <summary>
/// Where a token request names its client: <c>client_id</c> in the body, or HTTP Basic with an empty password
/// (RFC 6749 §2.3.1), which requests-oauthlib and authlib send by default. Every client here is public, so a Basic
/// password other than empty is refused rather than silently ignored (docs/auth.md).
/// </summary>
internal static class ClientCredentials
{
    /// <summary>The client id, or the OAuth error code and description to answer with.</summary>
    public static (string? ClientId, string? Error, string? Description) Resolve(HttpRequest request, string? bodyClientId)
    {
        if (!AuthenticationHeaderValue.TryParse(request.Headers.Authorization.ToString(), out var header)
            || !header.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            return (bodyClientId, null, null);
        }
        string decoded;
        try
        {
            decoded = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Convert.FromBase64String(header.Parameter ?? ""));
        }
        catch (Exception e) when (e is FormatException or DecoderFallbackException)
        {
            return (null, "invalid_client", "The Basic credentials are not valid base64 of UTF-8 text.");
        }
        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return (null, "invalid_client", "The Basic credentials must be client_id:secret.");
        }
        // Both halves are form-urlencoded (RFC 6749 §2.3.1).
        var clientId = Uri.UnescapeDataString(decoded[..colon].Replace('+', ' '));
        if (decoded.Length > colon + 1)
        {
            return (null, "invalid_client", "This client is public and has no secret: send an empty password.");
        }
        if (bodyClientId is not null && bodyClientId != clientId)
        {
            return (null, "invalid_request", "The client_id in the body and in the Authorization header differ.");
        }
        return (clientId, null, null);
    }
}
