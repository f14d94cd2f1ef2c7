using System.Globalization;
using System.Text.Json.Serialization;

namespace Worktime.Api.Http;

/// <summary>
/// The one error of the whole server, from the engine to the wire: an expected failure is this value — returned by
/// the forms engine, the account services, time accounting, the exports — and the same value is what a route
/// writes, <c>{"error":"snake_code","error_description":"One sentence.","fields":{…}}</c> with its status and, on a
/// 429 or a 503, <c>Retry-After</c> in whole seconds (at least 1; RFC 9110 section 10.2.3). The web app's pages read
/// the same value to put <see cref="Fields"/> beside their inputs; the command line prints <see cref="Description"/>.
/// <c>DependencyDirectionTests</c> fails on any other error type.
/// </summary>
/// <param name="Status">The HTTP status the route answers (400, 401, 403, 404, 409, 413, 429, 503, ...); not in the body.</param>
/// <param name="Code">The body's <c>error</c>: a stable snake_case code clients branch on.</param>
/// <param name="Description">The body's <c>error_description</c>: one sentence for a person.</param>
/// <param name="Fields">Per-field messages (a <c>validation_failed</c> answer, an account rule), keyed by the input's name; omitted when null.</param>
internal sealed record ApiError(
    [property: JsonIgnore] int Status,
    [property: JsonPropertyName("error")] string Code,
    [property: JsonPropertyName("error_description")] string Description,
    [property: JsonPropertyName("fields")]
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    IReadOnlyDictionary<string, string>? Fields = null)
{
    /// <summary>Seconds a 429 or 503 asks the client to wait; a 429 without it says 1 (every 429 carries <c>Retry-After</c>).</summary>
    [JsonIgnore]
    public long? RetryAfterSeconds { get; init; }

    public static ApiError InvalidRequest(string description) => new(400, "invalid_request", description);

    public static ApiError InvalidFilter(string parameter, string problem) =>
        new(400, "invalid_filter", $"Query parameter '{Shorten(parameter)}' {problem}.");

    public static ApiError Validation(IReadOnlyDictionary<string, string> fields, string? rowPrefix = null) =>
        new(400, "validation_failed", $"{rowPrefix}One or more fields are invalid: {string.Join(", ", fields.Keys)}.", fields);

    /// <summary>One input breaks a rule: the message is both the description and the field's message.</summary>
    public static ApiError Invalid(string field, string message) => new(400, "validation_failed", message, new Dictionary<string, string> { [field] = message });

    public static ApiError Forbidden(string description) => new(403, "forbidden", description);

    /// <summary>What one input names does not exist (a partner, a user): the message is both the description and the field's message.</summary>
    public static ApiError Missing(string field, string message) => new(404, "not_found", message, new Dictionary<string, string> { [field] = message });

    public static ApiError NotFound(string description = "The resource does not exist.") => new(404, "not_found", description);

    /// <summary>"The {thing} does not exist." (a form's row, a user).</summary>
    public static ApiError NoSuch(string thing) => NotFound($"The {thing} does not exist.");

    /// <summary>A 429 <c>temporarily_unavailable</c> with <c>Retry-After: 1</c>: every password hashing slot stayed busy (as a busy login answers).</summary>
    public static ApiError Busy(string description) => new(429, "temporarily_unavailable", description) { RetryAfterSeconds = 1 };

    /// <summary>The answer of a route: status, body and <c>Retry-After</c>; a page reads the value back (<c>IValueHttpResult</c>).</summary>
    public IResult ToResult() => new Answer(this);

    /// <summary>Writes the answer directly, for middleware that runs outside endpoint results.</summary>
    public Task WriteAsync(HttpContext context)
    {
        if (WaitSeconds() is { } seconds)
        {
            SetRetryAfter(context, seconds);
        }
        context.Response.StatusCode = Status;
        return context.Response.WriteAsJsonAsync(this);
    }

    public static IResult Result(int status, string error, string description,
        IReadOnlyDictionary<string, string>? fields = null, long? retryAfterSeconds = null) =>
        new ApiError(status, error, description, fields) { RetryAfterSeconds = retryAfterSeconds }.ToResult();

    public static Task WriteAsync(HttpContext context, int status, string error, string description, long? retryAfterSeconds = null) =>
        new ApiError(status, error, description) { RetryAfterSeconds = retryAfterSeconds }.WriteAsync(context);

    /// <summary>Whole seconds a client waits before retrying, rounded up and at least 1.</summary>
    public static long SecondsToWait(TimeSpan wait) => Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds));

    /// <summary>Parameter names are echoed to help the caller, but never at length.</summary>
    private static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "…";

    private long? WaitSeconds() => Status == StatusCodes.Status429TooManyRequests ? RetryAfterSeconds ?? 1 : RetryAfterSeconds;

    private static void SetRetryAfter(HttpContext context, long seconds) =>
        context.Response.Headers.RetryAfter = Math.Max(1, seconds).ToString(CultureInfo.InvariantCulture);

    private sealed class Answer(ApiError error) : IResult, IStatusCodeHttpResult, IValueHttpResult, IValueHttpResult<ApiError>
    {
        public int? StatusCode => error.Status;

        public ApiError Value => error;

        object IValueHttpResult.Value => error;

        public Task ExecuteAsync(HttpContext httpContext) => error.WriteAsync(httpContext);
    }
}

/// <summary>A value or the <see cref="ApiError"/> that prevented it (a struct: a success allocates nothing more).</summary>
internal readonly record struct Outcome<T>(T? Value, ApiError? Error)
{
    public static implicit operator Outcome<T>(T value) => new(value, null);

    public static implicit operator Outcome<T>(ApiError error) => new(default, error);
}
