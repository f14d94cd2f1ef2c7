using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Primitives;
using Worktime.Api.Forms.Definitions;
using Worktime.Api.Http;

namespace Worktime.Api.Forms.Endpoints;

/// <summary>The row object of a create/update body and the <c>validation</c> switch beside it.</summary>
internal sealed record FormBody(JsonElement Fields, bool ValidationOff);

/// <summary>
/// Request bodies of the forms API. POST/PUT bodies are JSON whatever the Content-Type says (the official PHP
/// client sends JSON as form-urlencoded); size and depth are capped before parsing; every failure is a 4xx.
/// </summary>
internal static class FormBodyReader
{
    public static async Task<Outcome<FormBody>> ReadRowAsync(HttpRequest request, FormDefinition form, CancellationToken ct)
    {
        var bytes = await ReadBytesAsync(request, ct);
        if (bytes.Error is not null)
        {
            return bytes.Error;
        }
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(bytes.Value, HttpLimits.JsonBodyOptions);
            root = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return ApiError.InvalidRequest("The request body is not valid JSON (or is nested too deeply).");
        }
        if (!IsValidText(root))
        {
            return InvalidText;
        }
        var shape = $"The request body must be a JSON object {{\"{form.Key}\":{{...fields}}}}.";
        if (root.ValueKind != JsonValueKind.Object)
        {
            return ApiError.InvalidRequest(shape);
        }
        var fields = root.EnumerateObject().FirstOrDefault(p => p.Name == form.Key || p.Name == form.Name);
        if (fields.Value.ValueKind != JsonValueKind.Object)
        {
            return ApiError.InvalidRequest(shape);
        }
        var validationOff = root.TryGetProperty("validation", out var v) && v.ValueKind == JsonValueKind.String && v.GetString() == "off";
        return new FormBody(fields.Value, validationOff);
    }

    /// <summary>findAll parameters sent in a body (<c>POST /service/postFindAll</c>): form-encoded, or a flat JSON object.</summary>
    public static async Task<Outcome<Dictionary<string, StringValues>>> ReadParametersAsync(
        HttpRequest request, int maxBytes, CancellationToken ct)
    {
        var bytes = await ReadBytesAsync(request, ct, maxBytes);
        if (bytes.Error is not null)
        {
            return bytes.Error.Status == StatusCodes.Status413PayloadTooLarge
                ? ApiError.InvalidFilter("(body)", string.Create(CultureInfo.InvariantCulture, $"is larger than {maxBytes / 1024} KiB, the limit of a postFindAll body"))
                : bytes.Error;
        }
        var body = bytes.Value!.AsSpan().Trim(" \t\r\n"u8);
        if (body.IsEmpty || body[0] != (byte)'{')
        {
            // Strict UTF-8, percent-decoded as bytes: never a lossy conversion (docs/forms.md).
            return FormUrlEncoding.Parse(body) is { } pairs
                ? pairs.GroupBy(p => p.Key, StringComparer.Ordinal)
                    .ToDictionary(g => g.Key, g => new StringValues(g.Select(p => p.Value).ToArray()), StringComparer.Ordinal)
                : ApiError.InvalidRequest("The request body is not valid form encoding in UTF-8.");
        }
        try
        {
            using var document = JsonDocument.Parse(bytes.Value!, HttpLimits.JsonBodyOptions);
            if (document.RootElement.ValueKind != JsonValueKind.Object || !IsValidText(document.RootElement))
            {
                return InvalidText;
            }
            var result = new Dictionary<string, StringValues>();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                var items = property.Value.ValueKind == JsonValueKind.Array ? property.Value.EnumerateArray().ToArray() : [property.Value];
                result[property.Name] = new StringValues(items.Select(Scalar).ToArray());
            }
            return result;
        }
        catch (JsonException)
        {
            return ApiError.InvalidRequest("The request body is neither form-encoded parameters nor a valid JSON object.");
        }
    }

    private static string Scalar(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString()!,
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => e.GetRawText(),
        JsonValueKind.Null => "",
        _ => throw new JsonException("Nested values are not parameters."),
    };

    private static async Task<Outcome<byte[]>> ReadBytesAsync(HttpRequest request, CancellationToken ct, long max = HttpLimits.MaxRequestBodyBytes) =>
        await BoundedBody.ReadAsync(request, max, ct) is { } bytes ? bytes : TooLarge;

    /// <summary>
    /// JSON may escape unpaired surrogates and NUL (<c>"\ud800"</c>, <c>"\u0000"</c>); reading such a string throws and
    /// PostgreSQL cannot store it, so the whole body is checked once, up front, and refused with a 400.
    /// </summary>
    private static bool IsValidText(JsonElement element)
    {
        try
        {
            return element.ValueKind switch
            {
                JsonValueKind.Object => element.EnumerateObject().All(p => Storage.FieldValues.IsSafeText(p.Name) && IsValidText(p.Value)),
                JsonValueKind.Array => element.EnumerateArray().All(IsValidText),
                JsonValueKind.String => Storage.FieldValues.IsSafeText(element.GetString()!),
                _ => true,
            };
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static readonly ApiError InvalidText =
        ApiError.InvalidRequest("The request body contains text that is not valid Unicode (or a NUL character).");

    private static readonly ApiError TooLarge =
        new(StatusCodes.Status413PayloadTooLarge, "request_too_large", "The request body is larger than the server accepts.");
}
