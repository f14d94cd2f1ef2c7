using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Primitives;
using Worktime.Api.Http;

namespace Worktime.Api.WebApp;

/// <summary>
/// Pages ask the very handlers the REST routes run (the same parameters, privileges and validation), and read
/// their answer as a value instead of sending it: "no UI capability without an API equivalent" holds because the
/// page has no other way in (docs/webapp.md).
/// </summary>
internal static class ApiAnswer
{
    /// <summary>A query string as a route would receive it.</summary>
    public static IQueryCollection Query(params (string Name, string? Value)[] parameters) =>
        new QueryCollection(parameters.Where(p => p.Value is not null)
            .ToDictionary(p => p.Name, p => new StringValues(p.Value), StringComparer.Ordinal));

    /// <summary>The value of a successful answer, or the API's error (status, code, description, fields).</summary>
    public static (T? Value, ApiError? Error, int Status) Read<T>(IResult result) where T : class => result switch
    {
        JsonHttpResult<T> ok when (ok.StatusCode ?? 200) < 400 => (ok.Value, null, ok.StatusCode ?? 200),
        IValueHttpResult<ApiError> { Value: { } error } => (null, error, error.Status),
        _ => throw new InvalidOperationException($"Unexpected answer {result.GetType().Name} where {typeof(T).Name} was expected."),
    };
}
