using System.Text;

namespace Worktime.Api.Http;

/// <summary>
/// Strict <c>application/x-www-form-urlencoded</c> decoding (WHATWG URL "urlencoded parser", but refusing instead of
/// repairing): the body is split and percent-decoded as <em>bytes</em>, and only then decoded as UTF-8 that must be
/// valid. Raw non-ASCII bytes (clients that send UTF-8 unescaped) and <c>%XX</c> escapes both work; invalid UTF-8,
/// a lone <c>%</c> or bad hex make the whole body invalid. No lossy step ever happens, so a credential is compared
/// only as the bytes the client sent (a replacement <c>?</c> or U+FFFD never stands in for a character).
/// </summary>
internal static class FormUrlEncoding
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The name/value pairs in body order; null when the body is not valid strict form encoding.</summary>
    public static List<KeyValuePair<string, string>>? Parse(ReadOnlySpan<byte> body)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        while (!body.IsEmpty)
        {
            var amp = body.IndexOf((byte)'&');
            var piece = amp < 0 ? body : body[..amp];
            body = amp < 0 ? [] : body[(amp + 1)..];
            if (piece.IsEmpty)
            {
                continue;
            }
            var eq = piece.IndexOf((byte)'=');
            var name = Decode(eq < 0 ? piece : piece[..eq]);
            var value = eq < 0 ? "" : Decode(piece[(eq + 1)..]);
            if (name is null || value is null)
            {
                return null;
            }
            pairs.Add(new(name, value));
        }
        return pairs;
    }

    private static string? Decode(ReadOnlySpan<byte> text)
    {
        var bytes = new byte[text.Length];
        var length = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var b = text[i];
            if (b == 0x7f)
            {
                return null;
            }
            if (b == '+')
            {
                bytes[length++] = (byte)' ';
            }
            else if (b == '%')
            {
                if (i + 2 >= text.Length || !IsHex(text[i + 1]) || !IsHex(text[i + 2]))
                {
                    return null;
                }
                bytes[length++] = (byte)((HexValue(text[i + 1]) << 4) | HexValue(text[i + 2]));
                i += 2;
            }
            else
            {
                bytes[length++] = b; // raw bytes >= 0x80 are UTF-8 sent unescaped; validated below
            }
        }
        try
        {
            return StrictUtf8.GetString(bytes, 0, length);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    private static bool IsHex(byte b) => char.IsAsciiHexDigit((char)b);

    private static int HexValue(byte b) => b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;
}
