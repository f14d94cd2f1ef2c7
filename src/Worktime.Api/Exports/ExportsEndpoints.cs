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
        group.MapGet("/exports/worktimes.csv", (ExportsApi api, HttpRequest request, CancellationToken ct) => api.WorktimesAsync(false, request.Query, ct))
            .WithTags("Exports")
            .WithName("exportWorktimesCsv")
            .WithSummary("One CSV row per worktime (RFC 4180, UTF-8), names beside ids, streamed")
            .AddOpenApiOperationTransformer(ExportsDocumentation.WorktimesCsv)
            .Produces<ApiError>(StatusCodes.Status403Forbidden);
        group.MapGet("/exports/worktimes.xlsx", (ExportsApi api, HttpRequest request, CancellationToken ct) => api.WorktimesAsync(true, request.Query, ct))
            .WithTags("Exports")
            .WithName("exportWorktimesXlsx")
            .WithSummary("One spreadsheet row per worktime: numbers as numbers, dates as dates, a frozen header and an autofilter")
            .AddOpenApiOperationTransformer(ExportsDocumentation.WorktimesXlsx)
            .Produces<ApiError>(StatusCodes.Status403Forbidden);
        group.MapGet("/exports/payroll/{file}", (ExportsApi api, string file, HttpRequest request, CancellationToken ct) => api.PayrollAsync(file, request.Query, ct))
            .WithTags("Payroll")
            .WithName("exportPayrollMonth")
            .WithSummary("The payroll month as a PDF (YYYY-MM.pdf: each day's minutes and balance as /ttapi/saldo/daily, absences by type, corrections, signature lines) or as CSV lines per person and wage type (YYYY-MM.csv)")
            .AddOpenApiOperationTransformer(ExportsDocumentation.PayrollPdf)
            .Produces<ApiError>(StatusCodes.Status403Forbidden)
            .Produces<ApiError>(StatusCodes.Status404NotFound);
        return app;
    }
}
