using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.OpenApi;
using Scalar.AspNetCore;
using Worktime.Api.Http;

namespace Worktime.Api.ApiReference;

/// <summary>
/// The API reference (docs/api-reference.md): the OpenAPI 3.1 document at <c>/openapi/v1.json</c>, generated from the
/// form definitions by <see cref="WorktimeDocumentTransformer"/>, and the Scalar page at <c>/docs</c>, whose script
/// and styles are served by the app itself (it works with no internet).
/// </summary>
internal static class ApiReferenceEndpoints
{
    public const string DocumentRoute = "/openapi/{documentName}.json";

    public static WebApplicationBuilder AddApiReference(this WebApplicationBuilder builder)
    {
        builder.Services.AddOpenApi(options =>
        {
            options.OpenApiVersion = OpenApiSpecVersion.OpenApi3_1;
            // The error answer's schema keeps the name it was published under before Http.ApiError became the
            // one error type (a generated client names its class after it).
            options.CreateSchemaReferenceId = type => type.Type == typeof(ApiError)
                ? "ApiErrorBody" : OpenApiOptions.CreateDefaultSchemaReferenceId(type);
            options.AddDocumentTransformer<WorktimeDocumentTransformer>();
            options.AddOperationTransformer<BearerOperationTransformer>();
        });
        return builder;
    }

    public static WebApplication MapApiReference(this WebApplication app)
    {
        // HEAD answers like GET (RFC 9110 §9.3.2); Kestrel sends the headers and drops the body.
        var getAndHead = new HttpMethodMetadata(["GET", "HEAD"]);
        app.MapOpenApi(DocumentRoute).WithMetadata(getAndHead);
        app.MapScalarApiReference("/docs", options => options
                .WithTitle("Worktime — Movenium REST API 1.1")
                .WithOpenApiRoutePattern(DocumentRoute)
                // The default fonts come from a CDN; the system fonts keep the page self-contained.
                .DisableDefaultFonts()
                // Nothing on the page calls out: no telemetry, no hosted AI agent or MCP, no vendor toolbar.
                .DisableTelemetry()
                .DisableAgent()
                .DisableMcp()
                .HideDeveloperTools()
                // Rows are documented in wire order: row_info, id, then the fields (docs/forms.md).
                .PreserveSchemaPropertyOrder()
                .AddPreferredSecuritySchemes(SharedComponents.BearerScheme))
            .WithMetadata(getAndHead);
        return app;
    }
}
