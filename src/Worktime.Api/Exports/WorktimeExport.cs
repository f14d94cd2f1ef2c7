using Worktime.Api.Auth;
using Worktime.Api.Forms;
using Worktime.Api.Http;

namespace Worktime.Api.Exports;

/// <summary>
/// <c>GET /exports/worktimes.csv|.xlsx</c>: one row per worktime, names beside ids (docs/exports.md). The names are read
/// first (a few grouped queries), then the rows are streamed from the database into the file one at a time: an export
/// of 100,000 worktimes holds one row, never the set.
/// </summary>
internal sealed class WorktimeExport(FormRows forms, WorktimeSource source)
{
    public static readonly IReadOnlyList<Column> Columns =
    [
        new("id", ColumnKind.Integer, 10),
        new("date", ColumnKind.Date, 11),
        new("user", ColumnKind.Integer, 8), new("user_name", ColumnKind.Text, 24),
        new("project", ColumnKind.Integer, 8), new("project_name", ColumnKind.Text, 24),
        new("task", ColumnKind.Integer, 8), new("task_name", ColumnKind.Text, 20),
        new("worktype", ColumnKind.Integer, 8), new("worktype_name", ColumnKind.Text, 16),
        new("customer", ColumnKind.Integer, 8), new("customer_name", ColumnKind.Text, 24),
        new("starttime", ColumnKind.Time, 9), new("endtime", ColumnKind.Time, 9),
        new("pause_minutes", ColumnKind.Integer, 8),
        new("minutes", ColumnKind.Integer, 8),
        new("hours", ColumnKind.Hours, 8),
        new("status", ColumnKind.Text, 9),
        new("description", ColumnKind.Text, 40),
    ];

    /// <summary>Checks the query and reads the names; the rows are read only when the file is written.</summary>
    public async Task<Outcome<PreparedExport>> PrepareAsync(CurrentUser caller, ExportRequest request, CancellationToken ct)
    {
        var query = await source.QueryAsync(caller, request, ct);
        if (query.Error is not null)
        {
            return query.Error;
        }
        var names = await source.AllNamesAsync(caller, query.Value!, ct);
        return new PreparedExport(forms, query.Value!, names);
    }
}

/// <summary>A checked export whose rows are read while its file is written.</summary>
internal sealed class PreparedExport(FormRows forms, FormQuery query, ExportNames names)
{
    public async Task WriteCsvAsync(Stream body, bool bom, CancellationToken ct)
    {
        await using var table = await CsvTable.StartAsync(body, WorktimeExport.Columns, bom, ct);
        await WriteRowsAsync(table, ct);
    }

    public async Task WriteXlsxAsync(Stream body, CancellationToken ct)
    {
        await using var table = await XlsxTable.StartAsync(body, "Worktimes", WorktimeExport.Columns, rows: null, ct);
        await WriteRowsAsync(table, ct);
    }

    private async Task WriteRowsAsync(TableWriter table, CancellationToken ct)
    {
        var values = new object?[WorktimeExport.Columns.Count];
        await foreach (var row in forms.StreamAsync(query, ct))
        {
            var (user, project, task, worktype) = (row.Long("user"), row.Long("project"), row.Long("task"), row.Long("worktype"));
            var customer = names.CustomerOf(project);
            var minutes = row.Long("work_hours") ?? 0;
            values[0] = row.Id;
            values[1] = row.Text("date");
            values[2] = user;
            values[3] = names.Name("user", user);
            values[4] = project;
            values[5] = names.Name("project", project);
            values[6] = task;
            values[7] = names.Name("task", task);
            values[8] = worktype;
            values[9] = names.Name("worktype", worktype);
            values[10] = customer;
            values[11] = names.Name("customer", customer);
            values[12] = row.Text("starttime");
            values[13] = row.Text("endtime");
            values[14] = row.Long("pause");
            values[15] = minutes;
            values[16] = minutes / 60.0;
            values[17] = row.Text("status");
            values[18] = row.Text("description");
            await table.RowAsync(values, ct);
        }
    }
}
