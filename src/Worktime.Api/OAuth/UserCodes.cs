using System.Security.Cryptography;

namespace Worktime.Api.OAuth;

/// <summary>
/// The code a person types on <c>/app/device</c> (RFC 8628 section 6.1): 8 characters from 20 consonants — no vowels, so
/// no words, and no 0/O/1/I to mistake for each other — shown as <c>XXXX-XXXX</c>. 20^8 is about 2.6 × 10^10 codes;
/// with at most a few thousand waiting at once and wrong guesses throttled, guessing one is hopeless.
/// </summary>
internal static class UserCodes
{
    public const string Alphabet = "BCDFGHJKLMNPQRSTVWXZ";

    public const int Length = 8;

    public static string New() => RandomNumberGenerator.GetString(Alphabet, Length);

    /// <summary>XXXX-XXXX, as the device shows it and the page prints it.</summary>
    public static string Format(string code) => code[..4] + "-" + code[4..];

    /// <summary>What a person typed, case-insensitive, spaces and dashes ignored; null when it cannot be a code.</summary>
    public static string? Normalize(string? typed)
    {
        if (typed is null || typed.Length > 32)
        {
            return null;
        }
        var code = new string(typed.Where(c => c is not (' ' or '-')).Select(char.ToUpperInvariant).ToArray());
        return code.Length == Length && code.All(c => Alphabet.Contains(c, StringComparison.Ordinal)) ? code : null;
    }
}
