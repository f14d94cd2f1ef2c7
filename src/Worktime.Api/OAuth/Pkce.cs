using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace Worktime.Api.OAuth;

/// <summary>
/// Proof Key for Code Exchange (RFC 7636) with <c>S256</c> only: <c>plain</c> would hand the verifier to whoever sees the
/// authorization request, which is what PKCE is there to prevent (RFC 9700 section 2.1.1).
/// </summary>
internal static class Pkce
{
    public const string S256 = "S256";

    /// <summary>A S256 challenge is BASE64URL(SHA-256(verifier)) without padding: exactly 43 characters.</summary>
    public static bool IsChallenge(string? value) => value is { Length: 43 } && value.All(IsBase64Url);

    /// <summary>RFC 7636 section 4.1: 43 to 128 unreserved characters.</summary>
    public static bool IsVerifier(string? value) =>
        value is { Length: >= 43 and <= 128 } && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~');

    /// <summary>Whether the verifier hashes to the challenge (compared in constant time).</summary>
    public static bool Matches(string verifier, string challenge)
    {
        var computed = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(computed), Encoding.ASCII.GetBytes(challenge));
    }

    private static bool IsBase64Url(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_';
}
