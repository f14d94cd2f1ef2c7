using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Worktime.Api.Exports;

/// <summary>
/// What /openapi/v1.json says of the report and export routes beyond their endpoint metadata: the query parameters
/// (read from the query string by hand, so the generator cannot see them) and the answer in each format.
/// </summary>
internal static class ExportsDocumentation
{
    private const string FiltersNote = "Every filter of `GET /worktimes` applies too (`project`, `task`, `worktype`, `status`, `row_info.status`, …), " +
        "with the same syntax; `date`, paging, `order` and sideloads do not (the range is `from`–`to`, every matching row counts).";

    public static Task HoursReport(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        operation.Description = "Sums the worked minutes (`work_hours`) of the worktimes `GET /worktimes?date=from_to&…` would answer the caller, " +
            "per group of `group_by`. A worker's report holds their own worktimes. " + FiltersNote;
        operation.Parameters = [
            .. Range(ExportRequest.MaxReportDays),
            Query("group_by", "Dimensions to group by, separated by `,`: `user`, `project`, `task`, `worktype`, `customer`, `date`. Without it: one row of everything.", "user,project"),
            Query("format", "`json` (default), `csv` or `xlsx`: the same rows in each.", "json", ["json", "csv", "xlsx"]),
            Query("bom", "CSV only: `true` (default) starts the file with a UTF-8 byte order mark, `false` leaves it out.", "true", ["true", "false"]),
            .. Filters(),
        ];
        var row = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "Per dimension of `group_by` its id (`date`: the date) and `<dimension>_name` (null when the worktimes have none), then the sum.",
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["user"] = Nullable(JsonSchemaType.Integer, "With group_by user: the user's id."),
                ["user_name"] = Nullable(JsonSchemaType.String, "With group_by user: first and last name."),
                ["project"] = Nullable(JsonSchemaType.Integer, "With group_by project."),
                ["project_name"] = Nullable(JsonSchemaType.String, "With group_by project."),
                ["date"] = Nullable(JsonSchemaType.String, "With group_by date: YYYY-MM-DD."),
                ["minutes"] = new OpenApiSchema { Type = JsonSchemaType.Integer },
                ["hours"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The minutes as h:mm.", Examples = [JsonValue.Create("7:30")] },
            },
            Required = new HashSet<string> { "minutes", "hours" },
        };
        var sum = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["minutes"] = new OpenApiSchema { Type = JsonSchemaType.Integer },
                ["hours"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "h:mm" },
            },
            Required = new HashSet<string> { "minutes", "hours" },
        };
        var json = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["rows"] = new OpenApiSchema { Type = JsonSchemaType.Array, Items = row },
                ["total"] = sum,
            },
            Required = new HashSet<string> { "rows", "total" },
        };
        Answer(operation, "The report: JSON, or with `format` a CSV or XLSX file of the same rows (`minutes`, and `hours` as a decimal number).",
            ("application/json", json), ("text/csv", File("RFC 4180 CSV, UTF-8")), (Download.Xlsx, File("An XLSX workbook")));
        return Task.CompletedTask;
    }

    public static Task WorktimesCsv(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct) =>
        Worktimes(operation, "text/csv", "RFC 4180 CSV (comma-separated, CRLF, UTF-8, a byte order mark unless `bom=false`); text cells that a " +
            "spreadsheet would run as a formula start with `'`.", withBom: true);

    public static Task WorktimesXlsx(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct) =>
        Worktimes(operation, Download.Xlsx, "An XLSX workbook, one sheet `Worktimes`.", withBom: false);

    private static Task Worktimes(OpenApiOperation operation, string mediaType, string what, bool withBom)
    {
        operation.Description = "One row per worktime the caller may read: `id, date, user, user_name, project, project_name, task, task_name, " +
            "worktype, worktype_name, customer, customer_name, starttime, endtime, pause_minutes, minutes, hours, status, description`. " +
            $"Streamed as it is read. The range covers at most {ExportRequest.MaxRowExportDays} days. " + FiltersNote;
        operation.Parameters = [
            .. Range(ExportRequest.MaxRowExportDays),
            .. withBom ? [Query("bom", "`true` (default) starts the file with a UTF-8 byte order mark, `false` leaves it out.", "true", ["true", "false"])] : Array.Empty<IOpenApiParameter>(),
            .. Filters(),
        ];
        Answer(operation, what + " `Content-Disposition: attachment` names the file after the range.", (mediaType, File(what)));
        return Task.CompletedTask;
    }

    public static Task PayrollPdf(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        operation.Description = "The payroll month of one person, or of every person of the caller's partner (`all=true`). " +
            "`YYYY-MM.pdf`: one sheet per person: name, employee number, period, each day's expected, worked, absence (paid and unpaid) " +
            "and correction minutes with the day's and the running balance (the numbers of `GET /ttapi/saldo/daily`, from the same " +
            "computation), absences by type, corrections with their reasons, the balance before and after the month, and signature lines; " +
            "A4, DejaVu Sans embedded. `YYYY-MM.csv`: the lines a payroll system imports, one per person and wage type (hours worked per " +
            "worktype, overtime, absences per type) under the codes of the partner's `wagetypes`; hours no wage type maps are listed with " +
            "an empty `wage_type`. A worker reads only their own month; levels 3–5 anyone's of their partner (another partner's id is 404).";
        operation.Parameters = [
            new OpenApiParameter
            {
                Name = "file",
                In = ParameterLocation.Path,
                Required = true,
                Description = "The month and the format: `YYYY-MM.pdf` or `YYYY-MM.csv`. Example: `2026-11.pdf`.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, Pattern = "^[0-9]{4}-[0-9]{2}\\.(pdf|csv)$" },
            },
            Query("user", "Whose month: a user id or `self` (default). Others' only for levels 3–5 (a worker naming anyone else is 403).", "self"),
            Query("all", "`true`: every person of the partner in one file (levels 3–5); not with `user`.", "false", ["true", "false"]),
            Query("bom", "CSV only: start with a UTF-8 byte order mark (default `true`).", "true", ["true", "false"]),
        ];
        Answer(operation, "The file, `Content-Disposition: attachment; filename=payroll_YYYY-MM_userN.pdf` (`payroll_YYYY-MM.pdf` for all; `.csv` alike). " +
            "CSV columns: employee_number, user, name, period_start, period_end, wage_type, wage_type_name, hours, minutes.",
            (Download.Pdf, File("A PDF document")), (Download.Csv, File("RFC 4180 CSV, UTF-8")));
        return Task.CompletedTask;
    }

    private static IEnumerable<IOpenApiParameter> Range(int maxDays) =>
    [
        Query("from", "The first day, YYYY-MM-DD (required).", "2026-11-01", required: true, format: "date"),
        Query("to", string.Create(CultureInfo.InvariantCulture, $"The last day, YYYY-MM-DD, included (required); at most {maxDays} days after `from`."), "2026-11-30", required: true, format: "date"),
    ];

    private static IEnumerable<IOpenApiParameter> Filters() =>
    [
        Query("user", "Users' ids (`5`, `5,6`, `self`). A worker may name only themselves (anyone else is 403).", "self"),
        Query("project", "Projects' ids.", "12"),
        Query("task", "Tasks' ids.", "7"),
        Query("worktype", "Worktypes' ids.", "3"),
        Query("customer", "Customers' ids: the worktimes of their projects.", "4"),
        Query("status", "Worktime status: `open`, `accepted`, `locked` (several: `open,accepted`).", "accepted"),
    ];

    private static OpenApiParameter Query(string name, string description, string example, string[]? values = null, bool required = false, string? format = null) => new()
    {
        Name = name,
        In = ParameterLocation.Query,
        Required = required,
        Description = description + $" Example: `{example}`.",
        Schema = new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Format = format,
            Enum = values?.Select(v => (JsonNode)JsonValue.Create(v)!).ToList(),
        },
    };

    private static OpenApiSchema Nullable(JsonSchemaType type, string description) =>
        new() { Type = type | JsonSchemaType.Null, Description = description };

    private static OpenApiSchema File(string description) =>
        new() { Type = JsonSchemaType.String, Format = "binary", Description = description };

    private static void Answer(OpenApiOperation operation, string description, params (string MediaType, IOpenApiSchema Schema)[] contents)
    {
        operation.Responses ??= new OpenApiResponses();
        operation.Responses["200"] = new OpenApiResponse
        {
            Description = description,
            Content = contents.ToDictionary(c => c.MediaType, c => new OpenApiMediaType { Schema = c.Schema }),
        };
    }
}
