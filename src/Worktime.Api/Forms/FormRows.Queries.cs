using System.Runtime.CompilerServices;
using Microsoft.Extensions.Primitives;
using Worktime.Api.Auth;
using Worktime.Api.Forms.Definitions;
using Worktime.Api.Forms.Query;
using Worktime.Api.Forms.Storage;
using Worktime.Api.Http;

namespace Worktime.Api.Forms;

/// <summary>Reads beyond one page: every matching row (listed or streamed), sums per group, counts per month.</summary>
internal sealed partial class FormRows
{
    /// <summary>
    /// The rows <c>GET /&lt;forms&gt;</c> with these parameters would match, as <paramref name="caller"/> (partner, read
    /// scope, <c>row_info.status</c>, the implicit current month of a date-indexed form): the reports' and exports' start.
    /// Bad parameters are the findAll's own 400s. Paging parameters only matter to <see cref="FindAllAsync"/>.
    /// </summary>
    public Outcome<FormQuery> Query(FormDefinition form, CurrentUser caller, IEnumerable<KeyValuePair<string, StringValues>> parameters)
    {
        var compiled = QueryCompiler.Compile(form, parameters, caller, registry, reader.Dialect, Today());
        return compiled.Error is not null ? compiled.Error : new FormQuery(compiled.Value!, caller.PartnerId, reader.Dialect);
    }

    /// <summary>
    /// Every live row of <paramref name="partnerId"/>, whoever may read it: for a feature that computes from rows and
    /// decides itself what its caller may see of the result (time accounting's balance inputs).
    /// </summary>
    public FormQuery PartnerQuery(FormDefinition form, long partnerId) => new(form, partnerId, reader.Dialect);

    /// <summary>Every matching row in the query's order. For sets known to be small; stream anything else.</summary>
    public async Task<List<StoredRow>> ListAsync(FormQuery query, CancellationToken ct)
    {
        var rows = new List<StoredRow>();
        await foreach (var row in reader.StreamAsync(query.Compile(), ct))
        {
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>Every matching row, one at a time while the caller consumes them (an export of a year holds one row).</summary>
    public async IAsyncEnumerable<StoredRow> StreamAsync(FormQuery query, [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var row in reader.StreamAsync(query.Compile(), ct))
        {
            yield return row;
        }
    }

    /// <summary>
    /// The sums of <paramref name="sum"/> (stored numeric fields: minutes, <c>work_hours</c>, numbers) per group of
    /// <paramref name="groupBy"/> (stored fields, or <c>&lt;date field&gt;:month</c> for the month <c>YYYY-MM</c>), in
    /// group order, summed by the database. No grouping: one group of every matching row.
    /// </summary>
    public async Task<List<FormGroup>> SumAsync(FormQuery query, IReadOnlyList<string> groupBy, IReadOnlyList<string> sum, CancellationToken ct)
    {
        var form = query.Form;
        var groups = groupBy.Select(g => GroupExpression(query, g)).ToList();
        var sums = sum.Select(name => form.Field(name) is { Type: FieldType.Number or FieldType.Minutes or FieldType.Computed }
                ? query.Column(name)
                : throw new InvalidOperationException($"{form.Name}.{name} is not a stored number to sum."))
            .ToList();
        var rows = await reader.GroupsAsync(query.Compile(), groups, sums, ct);
        return rows.Select(r => new FormGroup(
                groupBy.Select((name, i) => KeyValuePair.Create(name, r.Keys[i])).ToDictionary(StringComparer.Ordinal),
                r.Count,
                sum.Select((name, i) => KeyValuePair.Create(name, r.Sums[i])).ToDictionary(StringComparer.Ordinal)))
            .ToList();
    }

    /// <summary>
    /// How many matching rows each month of the form's date field holds, months without rows left out. A form that
    /// keeps its counts (<see cref="FormDefinition.MonthCounts"/>) answers whole months of an unrestricted caller
    /// from them without counting rows.
    /// </summary>
    public async Task<List<MonthCount>> CountPerMonthAsync(FormQuery query, CancellationToken ct)
    {
        var form = query.Form;
        var dateField = form.DateField ?? throw new InvalidOperationException($"{form.Name} has no date field.");
        var compiled = query.Compile();
        if (form.MonthCounts is not null && query.WholeMonths is { } months)
        {
            return (await reader.KeptMonthCountsAsync(compiled, query.PartnerId, months, ct)).Select(m => new MonthCount(m.Month, m.Count)).ToList();
        }
        var month = GroupExpression(query, dateField + MonthSuffix);
        return (await reader.GroupsAsync(compiled with { Where = $"{compiled.Where} AND {query.Column(dateField)} IS NOT NULL" }, [month], [], ct))
            .Select(r => new MonthCount((string)r.Keys[0]!, r.Count))
            .ToList();
    }

    private const string MonthSuffix = ":month";

    private static string GroupExpression(FormQuery query, string grouping)
    {
        if (!grouping.EndsWith(MonthSuffix, StringComparison.Ordinal))
        {
            return query.Column(grouping);
        }
        var field = grouping[..^MonthSuffix.Length];
        return query.Form.Field(field)?.Type == FieldType.Date
            ? $"substr({query.Column(field)}, 1, 7)"
            : throw new InvalidOperationException($"{query.Form.Name}.{field} is not a date to group by month.");
    }
}
