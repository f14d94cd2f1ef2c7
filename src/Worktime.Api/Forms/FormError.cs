using Worktime.Api.Http;

namespace Worktime.Api.Forms;

/// <summary>An expected failure of a forms call (400/403/404/409/429), returned as a value and written as the API error shape.</summary>
internal sealed record FormError(int Status, string Code, string Description, IReadOnlyDictionary<string, string>? Fields = null)
{
    public static FormError InvalidFilter(string parameter, string problem) =>
        new(400, "invalid_filter", $"Query parameter '{Shorten(parameter)}' {problem}.");

    public static FormError InvalidRequest(string description) => new(400, "invalid_request", description);

    public static FormError NotFound(string formName) => new(404, "not_found", $"The {formName} does not exist.");

    public static FormError Forbidden(string description) => new(403, "forbidden", description);

    public static FormError Validation(IReadOnlyDictionary<string, string> fields, string? rowPrefix = null) =>
        new(400, "validation_failed", $"{rowPrefix}One or more fields are invalid: {string.Join(", ", fields.Keys)}.", fields);

    /// <summary>Seconds a 429 asks the client to wait (every 429 carries <c>Retry-After</c>, RFC 9110 §10.2.3).</summary>
    public int? RetryAfterSeconds { get; init; }

    /// <summary>The wire answer, written where every error is (<see cref="ApiError"/>).</summary>
    public IResult ToResult() => ApiError.Result(Status, Code, Description, Fields,
        Status == StatusCodes.Status429TooManyRequests ? RetryAfterSeconds ?? 1 : null);

    /// <summary>Parameter names are echoed to help the caller, but never at length.</summary>
    private static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "…";
}

/// <summary>A value or the <see cref="FormError"/> that prevented it.</summary>
internal readonly record struct Outcome<T>(T? Value, FormError? Error)
{
    public static implicit operator Outcome<T>(T value) => new(value, null);

    public static implicit operator Outcome<T>(FormError error) => new(default, error);
}
