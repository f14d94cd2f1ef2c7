using System.Globalization;
using Microsoft.Extensions.Primitives;
using Worktime.Api.Auth;
using Worktime.Api.Forms;
using Worktime.Api.Forms.Definitions;
using Worktime.Api.Http;

namespace Worktime.Api.Exports;

/// <summary>
/// The query string of a report or a worktime export (docs/exports.md): <c>from</c> and <c>to</c> (both required,
/// inclusive), the route's own parameters, <c>customer</c>, and every other parameter handed to the worktimes' findAll
/// unchanged, so the rows are exactly those <c>GET /worktimes?date=from_to&amp;…</c> answers. Paging, sorting,
/// sideloads and <c>date</c> itself belong to findAll's pages and are refused with a reason.
/// </summary>
internal sealed class ExportRequest
{
    /// <summary>The longest range a per-row export covers: a year, leap day included.</summary>
    public const int MaxRowExportDays = 366;

    /// <summary>The longest range a report sums (ten years, as the balance routes).</summary>
    public const int MaxReportDays = 3660;

    private static readonly string[] PageParameters = ["date", "limit", "offset", "order", "sort"];

    private readonly Dictionary<string, string> _own = new(StringComparer.Ordinal);

    private ExportRequest(DateOnly from, DateOnly to, List<KeyValuePair<string, StringValues>> filters, IReadOnlyList<long>? customers)
    {
        From = from;
        To = to;
        Filters = filters;
        Customers = customers;
    }

    public DateOnly From { get; }

    public DateOnly To { get; }

    /// <summary>The findAll parameters of the worktimes, <c>date=from_to</c> included.</summary>
    public IReadOnlyList<KeyValuePair<string, StringValues>> Filters { get; }

    /// <summary>Customers whose projects' worktimes to take (<c>customer=1,2</c>); null: any.</summary>
    public IReadOnlyList<long>? Customers { get; }

    /// <summary>A route parameter's value (<c>group_by</c>, <c>format</c>, <c>bom</c>); null when absent or empty.</summary>
    public string? this[string name] => _own.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

    /// <summary>The range as it appears in file names: <c>2026-11-01_2026-11-30</c>.</summary>
    public string RangeText => $"{Text(From)}_{Text(To)}";

    public static Outcome<ExportRequest> Parse(
        IQueryCollection query, CurrentUser caller, IReadOnlyCollection<string> ownParameters, int maxDays)
    {
        var own = new Dictionary<string, string>(StringComparer.Ordinal);
        var filters = new List<KeyValuePair<string, StringValues>>();
        IReadOnlyList<long>? customers = null;
        foreach (var (key, values) in query)
        {
            if (key is "from" or "to" or "customer" || ownParameters.Contains(key))
            {
                if (values.Count != 1)
                {
                    return ApiError.InvalidFilter(key, "is given more than once");
                }
                own[key] = values.ToString().Trim();
                continue;
            }
            if (PageParameters.Contains(key) || key.StartsWith("sideload", StringComparison.Ordinal))
            {
                return ApiError.InvalidFilter(key, key == "date"
                    ? "is not a parameter of this route: give the range as from and to"
                    : "is not a parameter of this route: a report or an export covers every matching row");
            }
            filters.Add(KeyValuePair.Create(key, values));
        }
        var fromDate = Date(own, "from", "the first day");
        if (fromDate.Error is not null)
        {
            return fromDate.Error;
        }
        var toDate = Date(own, "to", "the last day (inclusive)");
        if (toDate.Error is not null)
        {
            return toDate.Error;
        }
        var (from, to) = (fromDate.Value, toDate.Value);
        if (to < from)
        {
            return ApiError.InvalidFilter("to", $"({Text(to)}) is before from ({Text(from)})");
        }
        var days = to.DayNumber - from.DayNumber + 1;
        if (days > maxDays)
        {
            return ApiError.InvalidFilter("to", maxDays == MaxRowExportDays
                ? $"makes the range {days.ToString(CultureInfo.InvariantCulture)} days long; a per-row export covers at most {maxDays.ToString(CultureInfo.InvariantCulture)} days (export a year at a time, or sum longer ranges with /reports/hours)"
                : $"makes the range {days.ToString(CultureInfo.InvariantCulture)} days long; the limit is {maxDays.ToString(CultureInfo.InvariantCulture)} days");
        }
        if (own.TryGetValue("customer", out var customerText) && customerText.Length > 0)
        {
            var ids = new List<long>();
            foreach (var token in customerText.Split(',').Select(t => t.Trim()).Where(t => t.Length > 0))
            {
                if (!long.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id <= 0)
                {
                    return ApiError.InvalidFilter("customer", "must be customer ids (1,2,3)");
                }
                ids.Add(id);
            }
            customers = ids;
        }
        if (OthersNamed(filters, caller) is { } forbidden)
        {
            return forbidden;
        }
        filters.Add(KeyValuePair.Create("date", new StringValues($"{Text(from)}_{Text(to)}")));
        var request = new ExportRequest(from, to, filters, customers);
        foreach (var (key, value) in own)
        {
            request._own[key] = value;
        }
        return request;
    }

    /// <summary>
    /// A caller who reads only their own worktimes (a worker) and names someone else in <c>user</c> is refused (403),
    /// whether that person exists or not, so the answer tells nothing about other people's ids.
    /// </summary>
    private static ApiError? OthersNamed(List<KeyValuePair<string, StringValues>> filters, CurrentUser caller)
    {
        if (caller.UserLevel >= BuiltInForms.Worktime.Access.ReadAllLevel)
        {
            return null;
        }
        var self = caller.UserId.ToString(CultureInfo.InvariantCulture);
        var named = filters.Where(f => f.Key == "user")
            .SelectMany(f => f.Value.SelectMany(v => (v ?? "").Split("||").SelectMany(a => a.Split(','))))
            .Select(t => t.Trim())
            .Where(t => t.Length > 0 && t != "self" && t != self && t != "(empty)");
        return named.Any() ? ApiError.Forbidden("You may only read your own worktimes: leave out user, or name yourself.") : null;
    }

    private static Outcome<DateOnly> Date(Dictionary<string, string> own, string name, string meaning)
    {
        if (!own.TryGetValue(name, out var text) || text.Length == 0)
        {
            return ApiError.InvalidFilter(name, $"is required: {meaning}, a date YYYY-MM-DD");
        }
        return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : ApiError.InvalidFilter(name, $"must be {meaning} as a date YYYY-MM-DD");
    }

    public static string Text(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
