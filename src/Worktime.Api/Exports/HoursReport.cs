using System.Globalization;
using Worktime.Api.Auth;
using Worktime.Api.Forms;
using Worktime.Api.Forms.Definitions;
using Worktime.Api.Http;

namespace Worktime.Api.Exports;

/// <summary>One row of a report: its key per dimension (an id, or a date <c>YYYY-MM-DD</c>), the names, the minutes.</summary>
internal sealed record ReportRow(IReadOnlyList<object?> Keys, IReadOnlyList<string?> Names, long Minutes);

/// <summary>A report: the dimensions it is grouped by, its rows in order, and the total of every matching worktime.</summary>
internal sealed record ReportResult(IReadOnlyList<string> Dimensions, IReadOnlyList<ReportRow> Rows, long TotalMinutes);

/// <summary>
/// <c>GET /reports/hours</c>: the worked minutes of the caller's worktimes summed by the database per group of
/// <c>group_by</c> (docs/exports.md). The total is summed the same way, so it equals the sum of the rows'
/// <c>work_hours</c> that <c>GET /worktimes</c> answers for the same filters.
/// </summary>
internal sealed class HoursReport(FormRows forms, WorktimeSource source)
{
    /// <summary>What a report groups by, in the order they are documented.</summary>
    public static readonly string[] Dimensions = ["user", "project", "task", "worktype", "customer", "date"];

    private const string Minutes = "work_hours";

    /// <summary>Reads <c>group_by=user,project</c>: known dimensions, each once; none is one row of everything.</summary>
    public static Outcome<IReadOnlyList<string>> ParseGroupBy(string? text)
    {
        var dimensions = new List<string>();
        foreach (var name in (text ?? "").Split(',').Select(t => t.Trim()).Where(t => t.Length > 0))
        {
            if (!Dimensions.Contains(name))
            {
                return ApiError.InvalidFilter("group_by", $"names '{Shorten(name)}', which is not one of {string.Join(", ", Dimensions)}");
            }
            if (dimensions.Contains(name))
            {
                return ApiError.InvalidFilter("group_by", $"names {name} twice");
            }
            dimensions.Add(name);
        }
        return dimensions;
    }

    public async Task<Outcome<ReportResult>> RunAsync(CurrentUser caller, ExportRequest request, IReadOnlyList<string> dimensions, CancellationToken ct)
    {
        var query = await source.QueryAsync(caller, request, ct);
        if (query.Error is not null)
        {
            return query.Error;
        }
        // A customer is the project's: the database groups by project, the projects are then folded into customers.
        var stored = dimensions.Select(d => d == "customer" ? "project" : d).Distinct().ToList();
        var groups = await forms.SumAsync(query.Value!, stored, [Minutes], ct);
        var total = groups.Sum(g => g.SumLong(Minutes));
        var customerOf = dimensions.Contains("customer")
            ? await source.CustomersOfAsync(caller, groups.Select(g => g.KeyLong("project")).OfType<long>().Distinct().ToList(), ct)
            : [];

        var sums = new Dictionary<string, (object?[] Keys, long Minutes)>(StringComparer.Ordinal);
        foreach (var group in groups.Where(g => g.Count > 0))
        {
            var keys = dimensions.Select(d => d switch
            {
                "customer" => group.KeyLong("project") is { } project ? customerOf.GetValueOrDefault(project) : null,
                "date" => (object?)group.KeyText("date"),
                _ => group.KeyLong(d),
            }).ToArray();
            var key = string.Join('\u001f', keys.Select(k => Convert.ToString(k, CultureInfo.InvariantCulture)));
            sums[key] = sums.TryGetValue(key, out var sum) ? (keys, sum.Minutes + group.SumLong(Minutes)) : (keys, group.SumLong(Minutes));
        }

        var names = new Dictionary<string, Dictionary<long, string>>(StringComparer.Ordinal);
        for (var i = 0; i < dimensions.Count; i++)
        {
            if (dimensions[i] == "date")
            {
                continue;
            }
            var ids = sums.Values.Select(s => s.Keys[i]).OfType<long>().Distinct().ToList();
            names[dimensions[i]] = dimensions[i] == "customer"
                ? await source.NamesAsync(BuiltInForms.Project, "customer", caller, ids, ct)
                : await source.NamesAsync(BuiltInForms.Worktime, dimensions[i], caller, ids, ct);
        }

        var rows = sums.Values
            .Select(s => new ReportRow(s.Keys, dimensions.Select((d, i) => d == "date" || s.Keys[i] is not long id ? null : names[d].GetValueOrDefault(id)).ToList(), s.Minutes))
            .ToList();
        rows.Sort(CompareRows);
        return new ReportResult(dimensions, rows, total);
    }

    /// <summary>Dimension by dimension: by name (then id), dates in order; rows without a value last.</summary>
    private static int CompareRows(ReportRow a, ReportRow b)
    {
        for (var i = 0; i < a.Keys.Count; i++)
        {
            var (x, y) = (a.Keys[i], b.Keys[i]);
            if (x is null || y is null)
            {
                if (x is null != y is null)
                {
                    return x is null ? 1 : -1;
                }
                continue;
            }
            var byName = StringComparer.OrdinalIgnoreCase.Compare(a.Names[i] ?? "", b.Names[i] ?? "");
            if (byName != 0)
            {
                return byName;
            }
            var byKey = x is long l ? l.CompareTo((long)y) : string.CompareOrdinal((string)x, (string)y);
            if (byKey != 0)
            {
                return byKey;
            }
        }
        return 0;
    }

    /// <summary>Minutes as <c>h:mm</c> (<c>125:05</c> for 125 hours 5 minutes).</summary>
    public static string HoursText(long minutes)
    {
        var sign = minutes < 0 ? "-" : "";
        var abs = Math.Abs(minutes);
        return string.Create(CultureInfo.InvariantCulture, $"{sign}{abs / 60}:{abs % 60:00}");
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
