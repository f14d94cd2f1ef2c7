using Worktime.Api.Forms;
using Worktime.Api.Http;
using Worktime.Api.Quota;

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
        var group = app.MapGroup("/ttapi").RequireAuthorization().RequireRequestQuota().WithTags("Time accounting");
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
                return FormError.InvalidRequest("The balance's inputs exceed the documented bounds (docs/time-accounting.md, \"Bounds\").").ToResult();
            }
        });
        group.MapGet("/workdayCalendar/workdayDays", (TimeAccountingApi api, HttpRequest request, CancellationToken ct) => api.WorkdayDaysAsync(request.Query, ct))
            .WithName("GetWorkdayDays")
            .WithSummary("Days of a worktime group's calendar that differ from their weekday (public holidays, workday days), with the caller's absence minutes")
            .Produces<WorkdayDaysResponse>()
            .Produces<ApiErrorBody>(StatusCodes.Status400BadRequest)
            .Produces<ApiErrorBody>(StatusCodes.Status404NotFound);
        group.MapGet("/saldo/get_current_saldo", (TimeAccountingApi api, HttpRequest request, CancellationToken ct) => api.CurrentSaldoAsync(request.Query, ct))
            .WithName("GetCurrentSaldo")
            .WithSummary("A user's hour balance from their saldo_start to a date (default yesterday), with its parts")
            .Produces<SaldoResponse>()
            .Produces<ApiErrorBody>(StatusCodes.Status400BadRequest)
            .Produces<ApiErrorBody>(StatusCodes.Status403Forbidden)
            .Produces<ApiErrorBody>(StatusCodes.Status404NotFound);
        group.MapGet("/saldo/daily", (TimeAccountingApi api, HttpRequest request, CancellationToken ct) => api.DailySaldoAsync(request.Query, ct))
            .WithName("GetDailySaldo")
            .WithSummary("A user's balance day by day: expected, worked, absence, correction, day balance and running balance")
            .Produces<SaldoDailyResponse>()
            .Produces<ApiErrorBody>(StatusCodes.Status400BadRequest)
            .Produces<ApiErrorBody>(StatusCodes.Status403Forbidden)
            .Produces<ApiErrorBody>(StatusCodes.Status404NotFound);
        group.MapGet("/absence/split", (TimeAccountingApi api, HttpRequest request, CancellationToken ct) => api.AbsenceSplitAsync(request.Query, ct))
            .WithName("GetAbsenceSplit")
            .WithSummary("Absences overlapping a date range, cut into one row per calendar day with that day's minutes")
            .Produces<AbsenceSplitResponse>()
            .Produces<ApiErrorBody>(StatusCodes.Status400BadRequest);
        return app;
    }
}
