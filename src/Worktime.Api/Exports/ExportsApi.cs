using System.Globalization;
using System.Text.Json;
using Worktime.Api.Auth;
using Worktime.Api.Forms;
using Worktime.Api.Http;

namespace Worktime.Api.Exports;

/// <summary>The handlers of <see cref="ExportsEndpoints"/> for one request; the caller comes only from the access token.</summary>
internal sealed class ExportsApi(CurrentUser caller, HoursReport report, WorktimeExport export, PayrollMonth payroll, PayrollWages wages)
{
    private static readonly string[] ReportParameters = ["group_by", "format", "bom"];
    private static readonly string[] ExportParameters = ["bom"];
    private static readonly string[] PayrollParameters = ["user", "all"];
    private static readonly string[] PayrollCsvParameters = ["user", "all", "bom"];

    /// <summary>From this level a caller reads anyone's payroll month, as anyone's balance (docs/time-accounting.md).</summary>
    private const int ReadOthersPayrollLevel = 3;

    /// <summary><c>GET /reports/hours</c>: JSON, or the same rows as CSV or XLSX (<c>format</c>).</summary>
    public async Task<IResult> HoursAsync(IQueryCollection query, CancellationToken ct)
    {
        var parsed = ExportRequest.Parse(query, caller, ReportParameters, ExportRequest.MaxReportDays);
        if (parsed.Error is not null)
        {
            return parsed.Error.ToResult();
        }
        var request = parsed.Value!;
        var format = request["format"] ?? "json";
        if (format is not ("json" or "csv" or "xlsx"))
        {
            return ApiError.InvalidFilter("format", "must be json, csv or xlsx").ToResult();
        }
        var bom = Bom(request["bom"]);
        var dimensions = HoursReport.ParseGroupBy(request["group_by"]);
        if ((bom.Error ?? dimensions.Error) is { } invalid)
        {
            return invalid.ToResult();
        }
        var result = await report.RunAsync(caller, request, dimensions.Value!, ct);
        if (result.Error is not null)
        {
            return result.Error.ToResult();
        }
        var hours = result.Value!;
        var name = $"hours_{request.RangeText}";
        return format switch
        {
            "csv" => new Download(Download.Csv, name + ".csv", (body, token) => ReportTable.WriteCsvAsync(hours, body, bom.Value, token)),
            "xlsx" => new Download(Download.Xlsx, name + ".xlsx", (body, token) => ReportTable.WriteXlsxAsync(hours, body, token)),
            _ => Results.Text(ReportTable.Json(hours), "application/json", System.Text.Encoding.UTF8),
        };
    }

    /// <summary><c>GET /exports/worktimes.csv</c> and <c>.xlsx</c>: one row per worktime, streamed.</summary>
    public async Task<IResult> WorktimesAsync(bool xlsx, IQueryCollection query, CancellationToken ct)
    {
        var parsed = ExportRequest.Parse(query, caller, ExportParameters, ExportRequest.MaxRowExportDays);
        if (parsed.Error is not null)
        {
            return parsed.Error.ToResult();
        }
        var request = parsed.Value!;
        var bom = Bom(request["bom"]);
        if (bom.Error is not null)
        {
            return bom.Error.ToResult();
        }
        var prepared = await export.PrepareAsync(caller, request, ct);
        if (prepared.Error is not null)
        {
            return prepared.Error.ToResult();
        }
        var rows = prepared.Value!;
        var name = $"worktimes_{request.RangeText}";
        return xlsx
            ? new Download(Download.Xlsx, name + ".xlsx", (body, token) => rows.WriteXlsxAsync(body, token))
            : new Download(Download.Csv, name + ".csv", (body, token) => rows.WriteCsvAsync(body, bom.Value, token));
    }

    /// <summary>
    /// <c>GET /exports/payroll/YYYY-MM.pdf</c> and <c>.csv</c>: the payroll month of the caller, of <c>user</c> (levels
    /// 3–5), or of every person of the partner (<c>all=true</c>, levels 3–5): the PDF sheets, or the CSV's lines per
    /// person and wage type.
    /// </summary>
    public async Task<IResult> PayrollAsync(string file, IQueryCollection query, CancellationToken ct)
    {
        var extension = file.EndsWith(".pdf", StringComparison.Ordinal) ? ".pdf" : file.EndsWith(".csv", StringComparison.Ordinal) ? ".csv" : null;
        if (extension is null
            || !DateOnly.TryParseExact(file[..^4] + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month))
        {
            return ApiError.InvalidRequest("The file is YYYY-MM.pdf or YYYY-MM.csv: the month, e.g. 2026-11.pdf.").ToResult();
        }
        var csv = extension == ".csv";
        var allowed = csv ? PayrollCsvParameters : PayrollParameters;
        foreach (var (key, values) in query)
        {
            if (!allowed.Contains(key))
            {
                return ApiError.InvalidFilter(key, $"is not a parameter of this route ({string.Join(", ", allowed)})").ToResult();
            }
            if (values.Count != 1)
            {
                return ApiError.InvalidFilter(key, "is given more than once").ToResult();
            }
        }
        var all = query["all"].ToString() switch
        {
            "" or "false" or "0" => (bool?)false,
            "true" or "1" => true,
            _ => null,
        };
        if (all is null)
        {
            return ApiError.InvalidFilter("all", "must be true or false").ToResult();
        }
        var userText = query["user"].ToString().Trim();
        long? user = userText is "" or "self" ? caller.UserId
            : long.TryParse(userText, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0 ? id : null;
        if (user is null)
        {
            return ApiError.InvalidFilter("user", "must be a user id or self").ToResult();
        }
        if (all.Value && userText.Length > 0)
        {
            return ApiError.InvalidFilter("all", "and user exclude each other: all=true is everyone").ToResult();
        }
        if ((all.Value || user != caller.UserId) && caller.UserLevel < ReadOthersPayrollLevel)
        {
            return ApiError.Forbidden("You may only read your own payroll month: leave out user and all.").ToResult();
        }
        var people = await payroll.ReadAsync(caller, month, all.Value ? null : [user.Value], ct);
        if (!all.Value && people.Count == 0)
        {
            return ApiError.NoSuch("user").ToResult();
        }
        var monthText = month.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var name = (all.Value ? $"payroll_{monthText}" : $"payroll_{monthText}_user{user.Value.ToString(CultureInfo.InvariantCulture)}") + extension;
        if (!csv)
        {
            return new Download(Download.Pdf, name, (body, token) => PayrollPdf.WriteAsync(people, month, body, token));
        }
        var bom = Bom(query["bom"].ToString() is { Length: > 0 } text ? text : null);
        if (bom.Error is not null)
        {
            return bom.Error.ToResult();
        }
        var lines = await wages.LinesAsync(caller.PartnerId, people, month, ct);
        return new Download(Download.Csv, name, (body, token) => PayrollCsv.WriteAsync(lines, month, body, bom.Value, token));
    }

    /// <summary><c>bom=true</c> (the default: Excel then reads the file as UTF-8) or <c>bom=false</c>.</summary>
    private static Outcome<bool> Bom(string? text) => text switch
    {
        null or "true" or "1" => true,
        "false" or "0" => false,
        _ => ApiError.InvalidFilter("bom", "must be true or false"),
    };
}

/// <summary>A report's rows as a table (CSV, XLSX) and as JSON: one result, three renderings.</summary>
internal static class ReportTable
{
    public static string Json(ReportResult result)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("rows");
            foreach (var row in result.Rows)
            {
                json.WriteStartObject();
                for (var i = 0; i < result.Dimensions.Count; i++)
                {
                    var dimension = result.Dimensions[i];
                    switch (row.Keys[i])
                    {
                        case long id:
                            json.WriteNumber(dimension, id);
                            break;
                        case string text:
                            json.WriteString(dimension, text);
                            break;
                        default:
                            json.WriteNull(dimension);
                            break;
                    }
                    if (dimension != "date")
                    {
                        json.WriteString(dimension + "_name", row.Names[i]);
                    }
                }
                WriteMinutes(json, row.Minutes);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartObject("total");
            WriteMinutes(json, result.TotalMinutes);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static async Task WriteCsvAsync(ReportResult result, Stream body, bool bom, CancellationToken ct)
    {
        await using var table = await CsvTable.StartAsync(body, Columns(result), bom, ct);
        await WriteRowsAsync(result, table, ct);
    }

    public static async Task WriteXlsxAsync(ReportResult result, Stream body, CancellationToken ct)
    {
        await using var table = await XlsxTable.StartAsync(body, "Hours", Columns(result), result.Rows.Count, ct);
        await WriteRowsAsync(result, table, ct);
        var total = new object?[table.Columns.Count];
        total[0] = "Total";
        total[^2] = result.TotalMinutes;
        total[^1] = result.TotalMinutes / 60.0;
        await table.FooterAsync(total, ct);
    }

    /// <summary>Per dimension its id (a date for <c>date</c>) and name, then <c>minutes</c> and <c>hours</c> as a decimal number.</summary>
    private static List<Column> Columns(ReportResult result)
    {
        var columns = new List<Column>();
        foreach (var dimension in result.Dimensions)
        {
            if (dimension == "date")
            {
                columns.Add(new Column("date", ColumnKind.Date));
                continue;
            }
            columns.Add(new Column(dimension, ColumnKind.Integer, 9));
            columns.Add(new Column(dimension + "_name", ColumnKind.Text, 28));
        }
        columns.Add(new Column("minutes", ColumnKind.Integer, 10));
        columns.Add(new Column("hours", ColumnKind.Hours, 10));
        return columns;
    }

    private static async Task WriteRowsAsync(ReportResult result, TableWriter table, CancellationToken ct)
    {
        var values = new object?[table.Columns.Count];
        foreach (var row in result.Rows)
        {
            var at = 0;
            for (var i = 0; i < result.Dimensions.Count; i++)
            {
                values[at++] = row.Keys[i];
                if (result.Dimensions[i] != "date")
                {
                    values[at++] = row.Names[i];
                }
            }
            values[at++] = row.Minutes;
            values[at] = row.Minutes / 60.0;
            await table.RowAsync(values, ct);
        }
    }

    private static void WriteMinutes(Utf8JsonWriter json, long minutes)
    {
        json.WriteNumber("minutes", minutes);
        json.WriteString("hours", HoursReport.HoursText(minutes));
    }
}
