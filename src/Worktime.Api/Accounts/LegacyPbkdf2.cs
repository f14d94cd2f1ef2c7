using System.Globalization;
using System.Security.Cryptography;

namespace Worktime.Api.Accounts;

/// <summary>
/// Verifies imported PBKDF2-HMAC-SHA256 hashes in the passlib format
/// <c>$pbkdf2-sha256$&lt;iterations&gt;$&lt;salt&gt;$&lt;hash&gt;</c> (adapted base64: '.' for '+', no padding).
/// They verify once and are re-hashed with Argon2id on that login (docs/security.md, requirement 1).
/// </summary>
internal static class LegacyPbkdf2
{
    public const string Prefix = "$pbkdf2-sha256$";

    public static bool Verify(string encoded, byte[] password)
    {
        var parts = encoded[Prefix.Length..].Split('$');
        if (parts.Length != 3
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations)
            || iterations is < 1000 or > 10_000_000
            || !TryDecode(parts[1], out var salt)
            || !TryDecode(parts[2], out var expected)
            || expected.Length is < 16 or > 64)
        {
            return false;
        }
        var actual = Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    /// <summary>Encodes a hash in the same format (used by tests to plant an imported hash).</summary>
    public static string Encode(byte[] password, byte[] salt, int iterations)
    {
        var hash = Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA256, 32);
        return string.Create(CultureInfo.InvariantCulture, $"{Prefix}{iterations}${Encode(salt)}${Encode(hash)}");
    }

    private static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '.');

    private static bool TryDecode(string text, out byte[] bytes)
    {
        var s = text.Replace('.', '+');
        s = s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '=');
        bytes = new byte[s.Length];
        if (!Convert.TryFromBase64String(s, bytes, out var written))
        {
            return false;
        }
        bytes = bytes[..written];
        return true;
    }
}
