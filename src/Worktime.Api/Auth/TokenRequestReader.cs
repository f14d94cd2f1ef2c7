using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Worktime.Api.Http;

namespace Worktime.Api.Auth;

/// <summary>The parameters of a token or revocation request, each present at most once.</summary>
internal sealed record TokenRequest(IReadOnlyDictionary<string, string> Values)
{
    public string? this[string name] => Values.GetValueOrDefault(name);
}

/// <summary>
/// Reads a token-endpoint body (form-urlencoded, multipart or JSON) strictly: bounded size,
/// no parameter twice, well-formed percent-encoding and UTF-8, no NUL characters, nothing
/// from the query string. Returns an error description instead of throwing.
/// </summary>
internal static class TokenRequestReader
{
    /// <summary>Far above any real token request, far below the 1 MiB a hostile password would need.</summary>
    public const int MaxBodyBytes = 16 * 1024;

    private static readonly string[] QueryRefused = ["grant_type", "username", "password", "refresh_token", "client_id", "token"];
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly JsonDocumentOptions JsonOptions = new() { AllowDuplicateProperties = false, MaxDepth = 4 };

    public static async Task<(TokenRequest? Request, string? Error)> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        if (QueryRefused.Any(request.Query.ContainsKey))
        {
            return (null, "Credentials are not accepted in the query string; send them in the request body.");
        }
        var body = await BoundedBody.ReadAsync(request, MaxBodyBytes, ct);
        if (body is null)
        {
            return (null, "The request body is too large.");
        }
        var mediaType = MediaTypeHeaderValue.TryParse(request.ContentType, out var parsed) ? parsed.MediaType.Value?.ToLowerInvariant() : null;
        var pairs = new List<KeyValuePair<string, string>>();
        try
        {
            var ok = mediaType switch
            {
                null when body.Length == 0 => true,
                "application/x-www-form-urlencoded" => ParseUrlEncoded(body, pairs),
                "multipart/form-data" => await ParseMultipartAsync(body, parsed!, pairs, ct),
                "application/json" or "text/json" => ParseJson(body, pairs),
                _ => false,
            };
            if (!ok)
            {
                return (null, "The request body must be form-urlencoded, multipart/form-data or a JSON object of string values.");
            }
        }
        catch (Exception e) when (e is DecoderFallbackException or EncoderFallbackException or JsonException or FormatException
                                      or InvalidDataException or InvalidOperationException or ArgumentException or IOException)
        {
            return (null, "The request body could not be read: malformed encoding.");
        }
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in pairs)
        {
            if (!values.TryAdd(name, value))
            {
                return (null, $"The parameter '{Printable(name)}' is given more than once.");
            }
            // NUL nowhere; the username's own rules (after trimming) are the grant's business.
            if (value.Contains('\0', StringComparison.Ordinal))
            {
                return (null, $"The parameter '{Printable(name)}' contains a NUL character.");
            }
            StrictUtf8.GetByteCount(value); // throws on lone surrogates (from JSON escapes)
        }
        return (new TokenRequest(values), null);
    }

    private static bool ParseUrlEncoded(byte[] body, List<KeyValuePair<string, string>> pairs)
    {
        if (FormUrlEncoding.Parse(body) is not { } parsed)
        {
            return false;
        }
        pairs.AddRange(parsed);
        return true;
    }

    private static async Task<bool> ParseMultipartAsync(byte[] body, MediaTypeHeaderValue contentType,
        List<KeyValuePair<string, string>> pairs, CancellationToken ct)
    {
        var boundary = HeaderUtilities.RemoveQuotes(contentType.Boundary).Value;
        if (string.IsNullOrEmpty(boundary) || boundary.Length > 200)
        {
            return false;
        }
        var reader = new MultipartReader(boundary, new MemoryStream(body)) { HeadersCountLimit = 8, BodyLengthLimit = MaxBodyBytes };
        while (await reader.ReadNextSectionAsync(ct) is { } section)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                || !disposition.IsFormDisposition() || disposition.IsFileDisposition() || disposition.Name.Value is not { Length: > 0 })
            {
                return false;
            }
            using var value = new MemoryStream();
            await section.Body.CopyToAsync(value, ct);
            pairs.Add(new(HeaderUtilities.RemoveQuotes(disposition.Name).Value!, StrictUtf8.GetString(value.ToArray())));
        }
        return true;
    }

    private static bool ParseJson(byte[] body, List<KeyValuePair<string, string>> pairs)
    {
        using var document = JsonDocument.Parse(body, JsonOptions);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            return false;
        }
        foreach (var property in document.RootElement.EnumerateObject())
        {
            switch (property.Value.ValueKind)
            {
                case JsonValueKind.String:
                    pairs.Add(new(property.Name, property.Value.GetString()!));
                    break;
                case JsonValueKind.Number:
                    pairs.Add(new(property.Name, property.Value.GetRawText()));
                    break;
                case JsonValueKind.Null:
                    break; // an absent value, as in a form without the field
                default:
                    return false;
            }
        }
        return true;
    }

    private static string Printable(string name) =>
        name.Length <= 40 && name.All(c => c is > ' ' and < (char)0x7f) ? name : "(unprintable)";
}
