using System.Globalization;
using Microsoft.Extensions.Primitives;
using Worktime.Api.Forms;
using Worktime.Api.Http;

namespace Worktime.Api.TimeAccounting;

/// <summary>
/// The query parameters of one /ttapi route: only the route's own names (a typo is a 400, as on findAll), each at
/// most once, <c>_</c> (jQuery's cache buster) ignored. Dates are <c>YYYY-MM-DD</c>; ranges <c>from_to</c>.
/// </summary>
internal sealed class TtapiParameters
{
    /// <summary>The longest range a day-by-day route answers (ten years): bounds the work one request can ask for.</summary>
    public const int MaxRangeDays = 3660;

    /// <summary>Values one list-like parameter may hold (the split's <c>order</c>, the sideloads): findAll's limit (docs/forms.md).</summary>
    public const int MaxValues = 1000;

    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    private int _sideloadValues;

    private TtapiParameters()
    {
    }

    public List<KeyValuePair<string, string>> Sideloads { get; } = [];

    public static Outcome<TtapiParameters> Parse(IQueryCollection query, IReadOnlyCollection<string> allowed, bool sideloads = false)
    {
        var parameters = new TtapiParameters();
        foreach (var (key, values) in query)
        {
            if (key == "_")
            {
                continue;
            }
            if (sideloads && key.StartsWith("sideload", StringComparison.Ordinal))
            {
                parameters.Sideloads.AddRange(values.Select(v => KeyValuePair.Create(key, v ?? "")));
                parameters._sideloadValues += values.Sum(v => (v ?? "").Count(c => c == ',') + 1);
                if (parameters._sideloadValues > MaxValues)
                {
                    return ApiError.InvalidFilter("sideload", string.Create(CultureInfo.InvariantCulture,
                        $"lists more than {MaxValues} values; the limit is {MaxValues} per request"));
                }
                continue;
            }
            if (!allowed.Contains(key))
            {
                return ApiError.InvalidFilter(key, $"is not a parameter of this route (use {string.Join(", ", allowed)})");
            }
            if (values.Count != 1)
            {
                return ApiError.InvalidFilter(key, "is given more than once");
            }
            parameters._values[key] = values.ToString();
        }
        return parameters;
    }

    public string? this[string name] => _values.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

    public Outcome<DateOnly?> Date(string name)
    {
        if (this[name] is not { } text)
        {
            return new Outcome<DateOnly?>(null, null);
        }
        return ParseDate(text) is { } date ? date : ApiError.InvalidFilter(name, "must be a date YYYY-MM-DD");
    }

    /// <summary>A required range <c>from_to</c> (or one date) of at most <see cref="MaxRangeDays"/> days.</summary>
    public Outcome<(DateOnly From, DateOnly To)> Range(string name)
    {
        if (this[name] is not { } text)
        {
            return ApiError.InvalidFilter(name, "is required: a date YYYY-MM-DD or a range from_to");
        }
        var parts = text.Split('_');
        if (parts.Length > 2 || ParseDate(parts[0]) is not { } from || ParseDate(parts[^1]) is not { } to)
        {
            return ApiError.InvalidFilter(name, "must be a date YYYY-MM-DD or a range from_to");
        }
        return Checked(name, from, to);
    }

    public static Outcome<(DateOnly From, DateOnly To)> Checked(string name, DateOnly from, DateOnly to)
    {
        if (to < from)
        {
            return ApiError.InvalidFilter(name, "ends before it starts");
        }
        if (to.DayNumber - from.DayNumber >= MaxRangeDays)
        {
            return ApiError.InvalidFilter(name, $"spans more than {MaxRangeDays} days");
        }
        return (from, to);
    }

    /// <summary>A row id, or <c>self</c> when <paramref name="selfAllowed"/>; null when absent.</summary>
    public Outcome<long?> Id(string name, long self, bool selfAllowed = false)
    {
        if (this[name] is not { } text)
        {
            return new Outcome<long?>(null, null);
        }
        if (selfAllowed && text == "self")
        {
            return self;
        }
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0
            ? id
            : ApiError.InvalidFilter(name, selfAllowed ? "must be a row id or self" : "must be a row id");
    }

    private static DateOnly? ParseDate(string text) =>
        DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;
}
