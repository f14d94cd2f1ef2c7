using System.Buffers.Text;
using System.Text.Json;

namespace Worktime.Api.Auth;

/// <summary>
/// Cheap structural checks before any signature work: exactly three non-empty base64url
/// segments (no padding, no '+', '/', whitespace), a bounded size, and a header that is one JSON object without
/// duplicate members, and a payload whose dates are numbers. Anything else is refused without parsing further — JWE (5 segments) is never decrypted.
/// </summary>
internal static class TokenFormat
{
    public const int MaxTokenLength = 8 * 1024;

    private static readonly JsonDocumentOptions Strict = new() { AllowDuplicateProperties = false, MaxDepth = 8 };

    public static bool IsWellFormed(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > MaxTokenLength)
        {
            return false;
        }
        var segments = token.Split('.');
        if (segments.Length != 3 || segments.Any(s => s.Length == 0 || !s.All(IsBase64UrlChar)))
        {
            return false;
        }
        return IsJsonObject(segments[0], HasNoCriticalExtensions) && IsJsonObject(segments[1], HasNumericDates);
    }

    /// <summary>RFC 7519 NumericDate: <c>exp</c> required, and it, <c>iat</c> and <c>nbf</c> are JSON numbers, never strings.</summary>
    private static bool HasNumericDates(JsonElement payload) =>
        payload.TryGetProperty("exp", out var exp) && exp.ValueKind == JsonValueKind.Number
        && (!payload.TryGetProperty("iat", out var iat) || iat.ValueKind == JsonValueKind.Number)
        && (!payload.TryGetProperty("nbf", out var nbf) || nbf.ValueKind == JsonValueKind.Number);

    /// <summary>
    /// RFC 7515 §4.1.11: a recipient must refuse a token whose <c>crit</c> header names an extension it does not
    /// understand. We understand none, so any <c>crit</c> header is refused.
    /// </summary>
    private static bool HasNoCriticalExtensions(JsonElement header) => !header.TryGetProperty("crit", out _);

    private static bool IsBase64UrlChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_';

    private static bool IsJsonObject(string segment, Func<JsonElement, bool> rule)
    {
        if (segment.Length % 4 == 1)
        {
            return false;
        }
        try
        {
            var bytes = Base64Url.DecodeFromChars(segment);
            using var document = JsonDocument.Parse(bytes, Strict);
            return document.RootElement.ValueKind == JsonValueKind.Object && rule(document.RootElement);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return false;
        }
    }
}
