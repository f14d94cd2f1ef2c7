using Prometheus;

namespace Worktime.Api.Observability;

/// <summary>
/// Operator-facing route of operations.md: Prometheus text at /metrics. It needs no token and exposes no data.
/// (The API reference, /openapi/v1.json and /docs, is in src/Worktime.Api/ApiReference.)
/// </summary>
internal static class ObservabilityEndpoints
{
    public static WebApplication MapObservability(this WebApplication app)
    {
        // Labels are method, status code and route template only: never a path with ids or a header value.
        app.UseHttpMetrics(options => options.ReduceStatusCodeCardinality());
        app.MapMetrics("/metrics").ExcludeFromDescription();
        return app;
    }
}
