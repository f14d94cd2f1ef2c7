using System.Globalization;
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

/// <summary>
/// Where every JSON error answer is written: the status, the body of <see cref="ApiErrorBody"/> and, on a 429 or a
/// 503, <c>Retry-After</c> in whole seconds (at least 1; RFC 9110 section 10.2.3). The features' error values (the
/// forms engine's <c>FormError</c>, the token endpoint's results, the quota's 429, ...) are mapped here, so every
/// 4xx/429/503 has the same shape.
/// </summary>
internal static class ApiError
{
    public static IResult Result(int status, string error, string description,
        IReadOnlyDictionary<string, string>? fields = null, long? retryAfterSeconds = null)
    {
        var json = Results.Json(new ApiErrorBody(error, description) { Fields = fields }, statusCode: status);
        return retryAfterSeconds is { } seconds ? new RetryAfterResult(json, seconds) : json;
    }

    public static IResult NotFound(string description = "The resource does not exist.") =>
        Result(404, "not_found", description);

    /// <summary>Writes the error directly, for middleware that runs outside endpoint results.</summary>
    public static Task WriteAsync(HttpContext context, int status, string error, string description, long? retryAfterSeconds = null)
    {
        if (retryAfterSeconds is { } seconds)
        {
            SetRetryAfter(context, seconds);
        }
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new ApiErrorBody(error, description));
    }

    /// <summary>Whole seconds a client waits before retrying, rounded up and at least 1.</summary>
    public static long RetryAfterSeconds(TimeSpan wait) => Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds));

    private static void SetRetryAfter(HttpContext context, long seconds) =>
        context.Response.Headers.RetryAfter = Math.Max(1, seconds).ToString(CultureInfo.InvariantCulture);

    private sealed class RetryAfterResult(IResult inner, long seconds) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            SetRetryAfter(httpContext, seconds);
            return inner.ExecuteAsync(httpContext);
        }
    }
}
