using Worktime.Api.Data;
using Worktime.Api.Http;

namespace Worktime.Api.Health;

/// <summary>Liveness and readiness for load balancers (operations.md).</summary>
internal static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/health").WithTags("Operations");
        group.MapGet("/live", () => Results.Json(new { status = "live" })).WithName("getLiveness")
            .WithSummary("Liveness").WithDescription("200 while the process runs.");
        group.MapGet("/ready", ReadyAsync).WithName("getReadiness")
            .WithSummary("Readiness").WithDescription("200 when the database is reachable and migrated, else 503 `not_ready`.");
        return app;
    }

    private static async Task<IResult> ReadyAsync(Migrator migrator, CancellationToken ct)
    {
        try
        {
            return await migrator.IsUpToDateAsync(ct)
                ? Results.Json(new { status = "ready" })
                : ApiError.Result(503, "not_ready", "Database migrations are pending.");
        }
        catch (Exception e) when (e is System.Data.Common.DbException or System.Net.Sockets.SocketException or TimeoutException or InvalidOperationException)
        {
            return ApiError.Result(503, "not_ready", "The database is not reachable.");
        }
    }
}
