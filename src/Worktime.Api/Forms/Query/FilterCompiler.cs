using System.Globalization;
using Worktime.Api.Auth;
using Worktime.Api.Data;
using Worktime.Api.Forms.Definitions;
using Worktime.Api.Forms.Storage;
using Worktime.Api.Http;

namespace Worktime.Api.Forms.Query;

/// <summary>
/// One filter value → one SQL condition on one whitelisted column (docs/forms.md): <c>a,b</c> and <c>a||b</c>
/// alternatives, <c>(empty)</c>, date ranges <c>from_to</c>, <c>CURRENT</c>, <c>self</c>. Values are always bound.
/// </summary>
internal static class FilterCompiler
{
    public const string Empty = "(empty)";

    public static Outcome<string> Field(
        string param, FieldDefinition field, string raw, SqlArgs args, DbDialect dialect, CurrentUser caller, DateOnly today)
    {
        var column = Sql.Id(field.Column!);
        var equals = new List<object>();
        var parts = new List<string>();
        foreach (var token in Tokens(field, raw))
        {
            if (token == Empty)
            {
                parts.Add(field.Type is FieldType.Text or FieldType.Date or FieldType.Time or FieldType.Dropdown
                    ? $"({column} IS NULL OR {column} = '')"
                    : $"{column} IS NULL");
            }
            else if (field.Type == FieldType.Date && DateRange(token, today) is { } range)
            {
                if (range.From is null)
                {
                    return ApiError.InvalidFilter(param, "must be a date YYYY-MM-DD, a range from_to or CURRENT");
                }
                parts.Add($"({column} >= {args.Add(range.From)} AND {column} <= {args.Add(range.To)})");
            }
            else if (field.Type == FieldType.Database && field.Target == "user" && token == "self")
            {
                equals.Add(caller.UserId);
            }
            else if (FieldValues.TryParseText(field, token, out var value, out var problem) && value is not null)
            {
                equals.Add(value is bool b ? (b ? 1L : 0L) : value);
            }
            else
            {
                return ApiError.InvalidFilter(param, problem ?? "has an empty value");
            }
        }
        if (equals.Count > 0)
        {
            parts.Add(equals.Count == 1 ? $"{column} = {args.Add(equals[0])}" : $"{column} {args.In(dialect, equals)}");
        }
        if (parts.Count == 0)
        {
            return ApiError.InvalidFilter(param, "has no value");
        }
        var condition = "(" + string.Join(" OR ", parts) + ")";
        return field.Type == FieldType.Database ? dialect.Selective(condition) : condition; // rows of other forms: few of the partner's
    }

    /// <summary>Row ids: <c>1,2,3</c> or <c>1||2</c>.</summary>
    public static Outcome<IReadOnlyList<object>> Ids(string param, string raw)
    {
        var ids = new List<object>();
        foreach (var token in raw.Split("||").SelectMany(a => a.Split(',')).Select(t => t.Trim()).Where(t => t.Length > 0))
        {
            if (!long.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id <= 0)
            {
                return ApiError.InvalidFilter(param, "must be row ids");
            }
            ids.Add(id);
        }
        return ids.Count == 0 ? ApiError.InvalidFilter(param, "has no value") : ids;
    }

    /// <summary>The first and last day of the month of <paramref name="today"/> (UTC).</summary>
    public static (string From, string To) Month(DateOnly today)
    {
        var first = new DateOnly(today.Year, today.Month, 1);
        return (Format(first), Format(new DateOnly(today.Year, today.Month, DateTime.DaysInMonth(today.Year, today.Month))));
    }

    private static IEnumerable<string> Tokens(FieldDefinition field, string raw)
    {
        var alternatives = raw.Split("||");
        var tokens = field.Type.CommaIsList() ? alternatives.SelectMany(a => a.Split(',')) : alternatives;
        return tokens.Select(t => field.Type == FieldType.Text && t != Empty ? t : t.Trim()).Where(t => t.Length > 0);
    }

    /// <summary>Null when the token is not a range at all; (null, null) when it is a malformed one.</summary>
    private static (string? From, string? To)? DateRange(string token, DateOnly today)
    {
        if (string.Equals(token, "CURRENT", StringComparison.OrdinalIgnoreCase))
        {
            var (from, to) = Month(today);
            return (from, to);
        }
        if (!token.Contains('_', StringComparison.Ordinal))
        {
            return FieldValues.ParseDate(token) is null ? (null, null) : null;
        }
        var ends = token.Split('_');
        var start = ends.Length == 2 ? FieldValues.ParseDate(ends[0].Trim()) : null;
        var end = ends.Length == 2 ? FieldValues.ParseDate(ends[1].Trim()) : null;
        return start is not null && end is not null && string.CompareOrdinal(start, end) <= 0 ? (start, end) : (null, null);
    }

    private static string Format(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
