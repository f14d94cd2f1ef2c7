using System.Security.Cryptography;
using System.Text;

namespace Worktime.Api.Auth;

/// <summary>
/// At-rest protection of private signing keys (docs/security.md, requirement 4): AES-256-GCM with the key from
/// <c>Auth:KeyEncryptionKey</c>, the key id as associated data so a ciphertext cannot be moved to another row.
/// Stored form: <c>aesgcm:</c> + base64(nonce | tag | ciphertext).
/// </summary>
internal static class KeyEncryption
{
    public const string Prefix = "aesgcm:";
    private const int NonceSize = 12;
    private const int TagSize = 16;

    public static bool TryParseKey(string value, out byte[] key)
    {
        key = [];
        var buffer = new byte[64];
        if (!Convert.TryFromBase64String(value.Trim(), buffer, out var written) || written != 32)
        {
            return false;
        }
        key = buffer[..32];
        return true;
    }

    public static string Protect(byte[] plaintext, byte[] key, string kid)
    {
        var output = new byte[NonceSize + TagSize + plaintext.Length];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, plaintext, output.AsSpan(NonceSize + TagSize), output.AsSpan(NonceSize, TagSize), Encoding.UTF8.GetBytes(kid));
        return Prefix + Convert.ToBase64String(output);
    }

    public static byte[] Unprotect(string stored, byte[] key, string kid)
    {
        var input = Convert.FromBase64String(stored[Prefix.Length..]);
        var plaintext = new byte[input.Length - NonceSize - TagSize];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(input.AsSpan(0, NonceSize), input.AsSpan(NonceSize + TagSize), input.AsSpan(NonceSize, TagSize), plaintext, Encoding.UTF8.GetBytes(kid));
        return plaintext;
    }
}
