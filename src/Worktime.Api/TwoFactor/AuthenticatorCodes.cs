using OtpNet;

namespace Worktime.Api.TwoFactor;

/// <summary>
/// Authenticator-app codes after RFC 6238 (TOTP) with the parameters every authenticator app defaults to: HMAC-SHA-1,
/// 6 digits, 30-second steps, a 160-bit secret (RFC 4226 section 4 recommends at least 160 bits). One step either side
/// of the server's clock is accepted (RFC 6238 section 5.2: a phone's clock drifts, and typing takes time).
/// </summary>
internal static class AuthenticatorCodes
{
    public const int Digits = 6;
    public const int StepSeconds = 30;
    public const int SecretBytes = 20;

    private static readonly VerificationWindow Window = new(previous: 1, future: 1);

    public static byte[] NewSecret() => KeyGeneration.GenerateRandomKey(SecretBytes);

    /// <summary>The secret as authenticator apps take it typed in: RFC 4648 base32, without padding.</summary>
    public static string Base32(byte[] secret) => Base32Encoding.ToString(secret).TrimEnd('=');

    /// <summary>True when <paramref name="code"/> has the shape of a code: exactly six ASCII digits (after <see cref="Normalize"/>).</summary>
    public static bool LooksLikeCode(string code) => code.Length == Digits && code.All(char.IsAsciiDigit);

    /// <summary>What a person typed, without the spaces and dashes apps and people put in the middle, lower-case.</summary>
    public static string Normalize(string? typed) =>
        new string((typed ?? "").Where(c => c is not (' ' or '-' or '\u00A0')).ToArray()).ToLowerInvariant();

    /// <summary>The time step (seconds since 1970 / 30) whose code <paramref name="code"/> is, within ±1 step of <paramref name="now"/>; else null.</summary>
    public static long? MatchingStep(byte[] secret, string code, DateTimeOffset now)
    {
        if (!LooksLikeCode(code))
        {
            return null;
        }
        var totp = new Totp(secret, StepSeconds, OtpHashMode.Sha1, Digits);
        return totp.VerifyTotp(now.UtcDateTime, code, out var step, Window) ? step : null;
    }

    /// <summary>
    /// The <c>otpauth://</c> address the QR code carries (the Key Uri Format every authenticator app reads):
    /// <c>otpauth://totp/Issuer:account?secret=…&amp;issuer=Issuer&amp;algorithm=SHA1&amp;digits=6&amp;period=30</c>.
    /// </summary>
    public static string OtpAuthUri(string issuer, string account, byte[] secret)
    {
        var label = Uri.EscapeDataString(issuer) + ":" + Uri.EscapeDataString(account);
        return $"otpauth://totp/{label}?secret={Base32(secret)}&issuer={Uri.EscapeDataString(issuer)}&algorithm=SHA1&digits={Digits}&period={StepSeconds}";
    }
}
