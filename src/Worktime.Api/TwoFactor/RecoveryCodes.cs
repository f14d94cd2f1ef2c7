using System.Security.Cryptography;
using System.Text;

namespace Worktime.Api.TwoFactor;

/// <summary>
/// Ten one-time recovery codes, for the day the phone is lost: 12 characters of an alphabet without look-alikes
/// (31 symbols, about 59 random bits each), shown as <c>xxxx-xxxx-xxxx</c>, stored only as SHA-256 of the normalised code. Such codes
/// need no slow hash: guessing is throttled with the password's counters, and 2^59 is out of reach offline too.
/// </summary>
internal static class RecoveryCodes
{
    public const int Count = 10;
    public const int Length = 12;

    // Lower-case letters and digits without the look-alikes 0/o, 1/l/i.
    private const string Alphabet = "abcdefghjkmnpqrstuvwxyz23456789";

    public static IReadOnlyList<string> New()
    {
        var codes = new List<string>(Count);
        while (codes.Count < Count)
        {
            var code = RandomNumberGenerator.GetString(Alphabet, Length);
            if (!codes.Contains(code, StringComparer.Ordinal))
            {
                codes.Add(code);
            }
        }
        return codes;
    }

    /// <summary>How a code is shown: three groups of four.</summary>
    public static string Display(string code) => $"{code[..4]}-{code[4..8]}-{code[8..]}";

    /// <summary>True when a normalised input has the shape of a recovery code (not of an authenticator code).</summary>
    public static bool LooksLikeRecoveryCode(string normalized) =>
        normalized.Length == Length && normalized.All(c => Alphabet.Contains(c, StringComparison.Ordinal));

    public static string Hash(string normalized) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalized)));
}
