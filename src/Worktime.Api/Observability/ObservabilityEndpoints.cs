using Prometheus;
using Scalar.AspNetCore;

namespace Worktime.Api.Observability;

/// <summary>
/// Operator-facing routes (docs/deploy.md): Prometheus text at /metrics, the OpenAPI document at
/// /openapi/v1.json and a human API reference at /docs. None of them needs a token; none exposes data.
/// </summary>
internal static class ObservabilityEndpoints
{
    public static WebApplicationBuilder AddObservability(this WebApplicationBuilder builder)
    {
        builder.Services.AddOpenApi();
        return builder;
    }

    public static WebApplication MapObservability(this WebApplication app)
    {
        // Labels are method, status code and route template only: never a path with ids or a header value.
        app.UseHttpMetrics(options => options.ReduceStatusCodeCardinality());
        app.MapMetrics("/metrics");
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapScalarApiReference("/docs", options => options
            .WithTitle("Worktime — Movenium REST API 1.1")
            .WithOpenApiRoutePattern("/openapi/{documentName}.json"));
        return app;
    }
}
