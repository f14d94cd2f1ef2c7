using System.Globalization;

namespace Worktime.Api.Accounts.Argon2;

/// <summary>
/// An Argon2id hash in the PHC string format (https://github.com/P-H-C/phc-string-format):
/// <c>$argon2id$v=19$m=&lt;KiB&gt;,t=&lt;passes&gt;,p=&lt;lanes&gt;$&lt;salt&gt;$&lt;hash&gt;</c>, salt and hash in base64
/// without padding. Parsing is strict (the form libsodium and the reference implementation write, parameters in this
/// order, no leading zeros) and bounded, so a stored string cannot ask for more work than a configured hash may cost;
/// salt (8-64 bytes) and hash (16-64 bytes) lengths are the ones both implementations accept.
/// </summary>
internal sealed record PhcString(uint MemoryKiB, uint Iterations, uint Lanes, byte[] Salt, byte[] Hash)
{
    public const uint Version = 0x13;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"$argon2id$v=19$m={MemoryKiB},t={Iterations},p={Lanes}${Unpadded(Salt)}${Unpadded(Hash)}");

    public static bool TryParse(string encoded, out PhcString? phc)
    {
        phc = null;
        var parts = encoded.Split('$');
        if (parts is not ["", "argon2id", "v=19", var parameters, var salt64, var hash64])
        {
            return false;
        }
        var values = parameters.Split(',');
        if (values is not [var m, var t, var p]
            || !TryNumber(m, "m=", 8, 4 * 1024 * 1024, out var memory)
            || !TryNumber(t, "t=", 1, 100, out var iterations)
            || !TryNumber(p, "p=", 1, 16, out var lanes)
            || memory < 8 * lanes
            || !TryBase64(salt64, 8, 64, out var salt)
            || !TryBase64(hash64, 16, 64, out var hash))
        {
            return false;
        }
        phc = new PhcString(memory, iterations, lanes, salt, hash);
        return true;
    }

    private static bool TryNumber(string text, string prefix, uint min, uint max, out uint value)
    {
        value = 0;
        var digits = text.AsSpan();
        return digits.StartsWith(prefix, StringComparison.Ordinal)
            && (digits = digits[prefix.Length..]).Length is > 0 and <= 10
            && digits[0] != '0'
            && uint.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out value)
            && value >= min && value <= max;
    }

    private static string Unpadded(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=');

    private static bool TryBase64(string text, int minBytes, int maxBytes, out byte[] bytes)
    {
        bytes = [];
        // Only the base64 alphabet (Convert would also skip white space); the unpadded length must leave 0, 2 or 3 characters.
        if (text.Length % 4 == 1 || !text.All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '/'))
        {
            return false;
        }
        var padded = text + new string('=', (4 - text.Length % 4) % 4);
        var buffer = new byte[padded.Length / 4 * 3];
        if (!Convert.TryFromBase64String(padded, buffer, out var written) || written < minBytes || written > maxBytes)
        {
            return false;
        }
        bytes = buffer[..written];
        return Unpadded(bytes) == text; // canonical: no stray bits in the last character
    }
}
