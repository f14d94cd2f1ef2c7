using System.Globalization;
using Worktime.Api.Http;
using Worktime.Api.Quota;

namespace Worktime.Api.Exports;

/// <summary>
/// Reports and exports (docs/exports.md), also under <c>/1.1/</c>. Every route needs a bearer token and answers only
/// about the caller's partner, with the privileges of the rows it reads.
/// | route                                 | handler |
/// |---------------------------------------|---------|
/// | GET /reports/hours                    | <see cref="ExportsApi.HoursAsync"/> (JSON, CSV, XLSX) |
/// | GET /exports/worktimes.csv            | <see cref="ExportsApi.WorktimesAsync"/> |
/// | GET /exports/worktimes.xlsx           | <see cref="ExportsApi.WorktimesAsync"/> |
/// | GET /exports/payroll/YYYY-MM.pdf, .csv | <see cref="ExportsApi.PayrollAsync"/> |
/// </summary>
internal static class ExportsEndpoints
{
    public static WebApplication MapExports(this WebApplication app)
    {
        var group = app.MapGroup("").RequireAuthorization().RequireRequestQuota();
        group.MapGet("/reports/hours", (ExportsApi api, HttpRequest request, CancellationToken ct) => api.HoursAsync(request.Query, ct))
            .WithTags("Reports")
            .WithName("getHoursReport")
            .WithSummary("Worked hours summed per user, project, task, worktype, customer and/or date, as JSON, CSV or XLSX")
            .AddOpenApiOperationTransformer(ExportsDocumentation.HoursReport)
            .Produces<ApiError>(StatusCodes.Status403Forbidden);
        var files = group.MapExportFiles(ExportFiles.ApiRoot);
        files.WorktimesCsv
            .WithTags("Exports")
            .WithName("exportWorktimesCsv")
            .WithSummary("One CSV row per worktime (RFC 4180, UTF-8), names beside ids, streamed")
            .AddOpenApiOperationTransformer(ExportsDocumentation.WorktimesCsv)
            .Produces<ApiError>(StatusCodes.Status403Forbidden);
        files.WorktimesXlsx
            .WithTags("Exports")
            .WithName("exportWorktimesXlsx")
            .WithSummary("One spreadsheet row per worktime: numbers as numbers, dates as dates, a frozen header and an autofilter")
            .AddOpenApiOperationTransformer(ExportsDocumentation.WorktimesXlsx)
            .Produces<ApiError>(StatusCodes.Status403Forbidden);
        files.Payroll
            .WithTags("Payroll")
            .WithName("exportPayrollMonth")
            .WithSummary("The payroll month as a PDF (YYYY-MM.pdf: each day's minutes and balance as /ttapi/saldo/daily, absences by type, corrections, signature lines) or as CSV lines per person and wage type (YYYY-MM.csv)")
            .AddOpenApiOperationTransformer(ExportsDocumentation.PayrollPdf)
            .Produces<ApiError>(StatusCodes.Status403Forbidden)
            .Produces<ApiError>(StatusCodes.Status404NotFound);
        return app;
    }
}

/// <summary>
/// The export files' routes, in one place: the API maps them under <see cref="ApiRoot"/> (bearer token), the web app
/// under <c>/app/exports</c> for its downloads (session cookie, docs/webapp.md "Downloads"). Each route calls the same
/// <see cref="ExportsApi"/> handler wherever it is mapped, so both answer the same file for the same caller.
/// </summary>
internal static class ExportFiles
{
    public const string ApiRoot = "/exports";

    /// <summary>The three file routes under <paramref name="root"/>, in the API reference's order; the caller adds its metadata.</summary>
    public static (RouteHandlerBuilder WorktimesCsv, RouteHandlerBuilder WorktimesXlsx, RouteHandlerBuilder Payroll) MapExportFiles(
        this IEndpointRouteBuilder routes, string root) =>
    (
        routes.MapGet(root + "/worktimes.csv", (ExportsApi api, HttpRequest request, CancellationToken ct) => api.WorktimesAsync(false, request.Query, ct)),
        routes.MapGet(root + "/worktimes.xlsx", (ExportsApi api, HttpRequest request, CancellationToken ct) => api.WorktimesAsync(true, request.Query, ct)),
        routes.MapGet(root + "/payroll/{file}", (ExportsApi api, string file, HttpRequest request, CancellationToken ct) => api.PayrollAsync(file, request.Query, ct))
    );

    /// <summary>The payroll month's file under <paramref name="root"/> (<c>extension</c>: <c>pdf</c> or <c>csv</c>).</summary>
    public static string Payroll(string root, DateOnly month, string extension) =>
        $"{root}/payroll/{month.ToString("yyyy-MM", CultureInfo.InvariantCulture)}.{extension}";

    /// <summary>The worktimes of [from, to] under <paramref name="root"/> (<c>extension</c>: <c>csv</c> or <c>xlsx</c>).</summary>
    public static string Worktimes(string root, DateOnly from, DateOnly to, string extension) =>
        $"{root}/worktimes.{extension}?from={from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}&to={to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";
}
