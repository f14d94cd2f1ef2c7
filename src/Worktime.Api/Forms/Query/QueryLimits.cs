using System.Globalization;
using Worktime.Api.Http;

namespace Worktime.Api.Forms.Query;

/// <summary>
/// The documented bounds of a findAll request (docs/forms.md, "Query limits"), checked on the raw parameters
/// before any SQL is built, so a hostile query is a 400 <c>invalid_filter</c> naming the parameter and the limit —
/// never a database error, an expression-depth overflow or minutes of CPU.
/// </summary>
internal static class QueryLimits
{
    /// <summary>Values one parameter may list, commas and <c>||</c> together (ids, users, dates...).</summary>
    public const int MaxValues = 1000;

    /// <summary><c>||</c> alternatives of one parameter; each may be a range or <c>(empty)</c>, so each is its own condition.</summary>
    public const int MaxAlternatives = 100;

    /// <summary>Distinct parameters of one request (a form has at most a few dozen filters plus paging and sideloads).</summary>
    public const int MaxParameters = 100;

    /// <summary>Body of <c>POST /service/postFindAll</c>.</summary>
    public const int MaxPostFindAllBodyBytes = 64 * 1024;

    public static ApiError? CheckParameterCount(int count) =>
        count > MaxParameters
            ? ApiError.InvalidFilter("(parameters)", $"are too many: at most {MaxParameters.ToString(CultureInfo.InvariantCulture)} parameters per request")
            : null;

    /// <summary>Counts alternatives and values of one raw value; <paramref name="commaIsList"/> when <c>,</c> separates values too.</summary>
    public static ApiError? CheckValue(string parameter, string value, bool commaIsList)
    {
        var alternatives = Count(value, "||");
        if (alternatives > MaxAlternatives)
        {
            return ApiError.InvalidFilter(parameter,
                $"has {alternatives.ToString(CultureInfo.InvariantCulture)} alternatives (||); the limit is {MaxAlternatives.ToString(CultureInfo.InvariantCulture)}");
        }
        var values = commaIsList ? alternatives + Count(value, ",") - 1 : alternatives;
        return values > MaxValues
            ? ApiError.InvalidFilter(parameter,
                $"lists more than {MaxValues.ToString(CultureInfo.InvariantCulture)} values; the limit is {MaxValues.ToString(CultureInfo.InvariantCulture)} per parameter")
            : null;
    }

    /// <summary>How many pieces <paramref name="separator"/> cuts <paramref name="text"/> into (1 when absent), without splitting.</summary>
    private static int Count(string text, string separator)
    {
        var pieces = 1;
        for (var at = text.IndexOf(separator, StringComparison.Ordinal); at >= 0; at = text.IndexOf(separator, at + separator.Length, StringComparison.Ordinal))
        {
            pieces++;
        }
        return pieces;
    }
}
