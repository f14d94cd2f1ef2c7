using System.Globalization;
using Worktime.Api.Forms;
using Worktime.Api.Forms.Definitions;

namespace Worktime.Api.Exports;

/// <summary>
/// One line of the payroll CSV: a person's minutes in the month under one wage type. <see cref="Code"/> is null when
/// no wage type maps those hours: the line is still written, so no hours silently go missing from payroll.
/// </summary>
internal sealed record PayrollLine(PayrollPerson Person, string? Code, string Name, long Minutes);

/// <summary>A wage type as configured (the <c>wagetype</c> form).</summary>
internal sealed record WageType(long Id, string Code, string? Name, string Kind, long? Worktype, long? AbsenceType)
{
    public string Label(string fallback) => Name is { Length: > 0 } name ? name : fallback;
}

/// <summary>
/// Turns payroll months into wage-type lines (docs/exports.md, "Payroll CSV"): hours worked per worktype, overtime
/// (each day's minutes worked beyond its expected minutes), and absences per type, each under the code the
/// partner's wage types give it. A line per person and code; codes mapped from several sources are summed.
/// </summary>
internal sealed class PayrollWages(FormRows forms)
{
    private const string Minutes = "work_hours";

    public async Task<List<PayrollLine>> LinesAsync(long partner, IReadOnlyList<PayrollPerson> people, DateOnly month, CancellationToken ct)
    {
        if (people.Count == 0)
        {
            return [];
        }
        var first = new DateOnly(month.Year, month.Month, 1);
        var last = first.AddMonths(1).AddDays(-1);
        var types = (await forms.ListAsync(forms.PartnerQuery(BuiltInForms.Wagetype, partner).OrderBy("id"), ct))
            .Select(r => new WageType(r.Id, r.Text("code") ?? "", r.Text("name"), r.Text("kind") ?? WageKinds.Worked, r.Long("worktype"), r.Long("abcensetype")))
            .ToList();
        var worked = await forms.SumAsync(
            forms.PartnerQuery(BuiltInForms.Worktime, partner).In("user", people.Select(p => p.Id).ToList()).Between("date", first, last),
            ["user", "worktype"], [Minutes], ct);
        var worktypeIds = worked.Select(g => g.KeyLong("worktype")).OfType<long>().Distinct().ToList();
        var worktypeNames = worktypeIds.Count == 0 ? [] : (await forms.ListAsync(forms.PartnerQuery(BuiltInForms.Worktype, partner).AnyStatus().In("id", worktypeIds), ct))
            .ToDictionary(t => t.Id, t => t.Text("name") ?? t.Id.ToString(CultureInfo.InvariantCulture));
        var workedByUser = worked.ToLookup(g => g.KeyLong("user"));

        // The first wage type (by id) for a source wins: a mapping written twice reads the same on every export.
        var forWorktype = types.Where(t => t.Kind == WageKinds.Worked && t.Worktype is not null).DistinctBy(t => t.Worktype).ToDictionary(t => t.Worktype!.Value);
        var defaultWorked = types.FirstOrDefault(t => t.Kind == WageKinds.Worked && t.Worktype is null);
        var forAbsenceType = types.Where(t => t.Kind == WageKinds.Absence && t.AbsenceType is not null).DistinctBy(t => t.AbsenceType).ToDictionary(t => t.AbsenceType!.Value);
        var defaultAbsence = types.FirstOrDefault(t => t.Kind == WageKinds.Absence && t.AbsenceType is null);
        var overtime = types.FirstOrDefault(t => t.Kind == WageKinds.Overtime);

        var lines = new List<PayrollLine>();
        foreach (var person in people)
        {
            var sums = new Dictionary<(string? Code, string Name), long>();
            void Add(WageType? type, string unmapped, long minutes)
            {
                var key = type is null ? ((string?)null, unmapped) : (type.Code, type.Label(type.Code));
                sums[key] = sums.GetValueOrDefault(key) + minutes;
            }
            foreach (var group in workedByUser[person.Id])
            {
                var worktype = group.KeyLong("worktype");
                var type = worktype is { } id && forWorktype.TryGetValue(id, out var own) ? own : defaultWorked;
                var name = worktype is { } known ? worktypeNames.GetValueOrDefault(known, "?") : "no worktype";
                Add(type, $"Worked ({name}): no wage type", group.SumLong(Minutes));
            }
            if (overtime is not null)
            {
                Add(overtime, "", person.Days.Sum(d => Math.Max(0, d.Worked - d.Expected)));
            }
            foreach (var total in person.AbsenceTotals)
            {
                var type = total.TypeId is { } id && forAbsenceType.TryGetValue(id, out var own) ? own : defaultAbsence;
                Add(type, $"Absence ({total.Name}): no wage type", total.Minutes);
            }
            lines.AddRange(sums
                .Where(s => s.Value != 0)
                .OrderBy(s => s.Key.Code is null)
                .ThenBy(s => s.Key.Code, StringComparer.Ordinal)
                .ThenBy(s => s.Key.Name, StringComparer.Ordinal)
                .Select(s => new PayrollLine(person, s.Key.Code, s.Key.Name, s.Value)));
        }
        return lines;
    }
}

/// <summary>The payroll CSV (RFC 4180 as every CSV of ours): one line per person and wage type.</summary>
internal static class PayrollCsv
{
    public static readonly IReadOnlyList<Column> Columns =
    [
        new("employee_number", ColumnKind.Text), new("user", ColumnKind.Integer), new("name", ColumnKind.Text),
        new("period_start", ColumnKind.Date), new("period_end", ColumnKind.Date),
        new("wage_type", ColumnKind.Text), new("wage_type_name", ColumnKind.Text),
        new("hours", ColumnKind.Hours), new("minutes", ColumnKind.Integer),
    ];

    public static async Task WriteAsync(IReadOnlyList<PayrollLine> lines, DateOnly month, Stream body, bool bom, CancellationToken ct)
    {
        var first = new DateOnly(month.Year, month.Month, 1);
        var (start, end) = (ExportRequest.Text(first), ExportRequest.Text(first.AddMonths(1).AddDays(-1)));
        await using var table = await CsvTable.StartAsync(body, Columns, bom, ct);
        foreach (var line in lines)
        {
            await table.RowAsync(
                [line.Person.EmployeeNumber, line.Person.Id, line.Person.Name, start, end, line.Code, line.Name, line.Minutes / 60.0, line.Minutes], ct);
        }
    }
}
