using System.Text.Json.Serialization;

namespace Worktime.Api.Http;

/// <summary>The one error shape of the whole API: <c>{"error":"snake_code","error_description":"One sentence."}</c>.</summary>
internal sealed record ApiErrorBody(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("error_description")] string ErrorDescription)
{
    /// <summary>Per-field messages of a <c>validation_failed</c> answer; omitted otherwise.</summary>
    [JsonPropertyName("fields")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string>? Fields { get; init; }
}

internal static class ApiError
{
    public static IResult Result(int status, string error, string description) =>
        Results.Json(new ApiErrorBody(error, description), statusCode: status);

    public static IResult NotFound(string description = "The resource does not exist.") =>
        Result(404, "not_found", description);

    /// <summary>Writes the error directly, for middleware that runs outside endpoint results.</summary>
    public static Task WriteAsync(HttpContext context, int status, string error, string description)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new ApiErrorBody(error, description));
    }
}
