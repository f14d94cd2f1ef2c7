using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Worktime.Api.OAuth;

/// <summary>The random secrets handed to apps (authorization and device codes) and the hash that is stored instead.</summary>
internal static class Secrets
{
    /// <summary>256 random bits, base64url without padding (43 characters).</summary>
    public static string New() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>Hex SHA-256: what the database keeps, so a copy of it redeems nothing.</summary>
    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Only something <see cref="New"/> could have made is looked up (no query for junk).</summary>
    public static bool CouldBeOurs(string? value) =>
        value is { Length: 43 } && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
