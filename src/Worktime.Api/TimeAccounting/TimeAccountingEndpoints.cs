using Worktime.Api.Forms;
using Worktime.Api.Quota;
using Worktime.Api.Http;

namespace Worktime.Api.TimeAccounting;

/// <summary>
/// The time-accounting routes Movenium's <c>/ttapi/…</c> serves and otta-cli reads (docs/time-accounting.md), also
/// under <c>/1.1/</c>. Every route needs a bearer token and answers only about the caller's partner.
/// | route                                   | handler |
/// |-----------------------------------------|---------|
/// | GET /ttapi/workdayCalendar/workdayDays  | <see cref="TimeAccountingApi.WorkdayDaysAsync"/> |
/// | GET /ttapi/saldo/get_current_saldo      | <see cref="TimeAccountingApi.CurrentSaldoAsync"/> |
/// | GET /ttapi/saldo/daily                  | <see cref="TimeAccountingApi.DailySaldoAsync"/> |
/// | GET /ttapi/absence/split                | <see cref="TimeAccountingApi.AbsenceSplitAsync"/> |
/// </summary>
internal static class TimeAccountingEndpoints
{
    public static WebApplication MapTimeAccounting(this WebApplication app)
    {
        // Documented in the OpenAPI document by ApiReference/TtapiPaths (the parameters are read by hand, so the
        // generator cannot see them): excluded from the generator so each operation appears once.
        var group = app.MapGroup("/ttapi").RequireAuthorization().RequireRequestQuota().ExcludeFromDescription();
        group.AddEndpointFilter(async (context, next) =>
        {
            try
            {
                return await next(context);
            }
            catch (OverflowException)
            {
                // Checked arithmetic: sums beyond 64 bits come only from rows stored before the documented bounds
                // (docs/time-accounting.md, "Bounds"); a clear answer, never a wrapped number or a 500.
                return ApiError.InvalidRequest("The balance's inputs exceed the documented bounds (docs/time-accounting.md, \"Bounds\").").ToResult();
            }
        });
        group.MapGet("/workdayCalendar/workdayDays", (TimeAccountingApi api, HttpRequest request, CancellationToken ct) => api.WorkdayDaysAsync(request.Query, ct));
        group.MapGet("/saldo/get_current_saldo", (TimeAccountingApi api, HttpRequest request, CancellationToken ct) => api.CurrentSaldoAsync(request.Query, ct));
        group.MapGet("/saldo/daily", (TimeAccountingApi api, HttpRequest request, CancellationToken ct) => api.DailySaldoAsync(request.Query, ct));
        group.MapGet("/absence/split", (TimeAccountingApi api, HttpRequest request, CancellationToken ct) => api.AbsenceSplitAsync(request.Query, ct));
        return app;
    }
}
