using System.Net;
using System.Text.Json;
using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.Observability;

[VariesWith(Vary.Culture)]
public sealed class ObservabilityTests(WorktimeApplication app) : IClassFixture<WorktimeApplication>
{
    [Fact]
    public async Task Metrics_AfterARequest_ServesPrometheusTextWithHttpCounters()
    {
        var client = app.CreateClient();
        (await client.GetAsync("/health/live")).EnsureSuccessStatusCode();

        var response = await client.GetAsync("/metrics");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/plain");
        var text = await response.Content.ReadAsStringAsync();
        text.ShouldContain("http_requests_received_total");
        text.ShouldContain("endpoint=\"/health/live\"");
    }

    [Fact]
    public async Task OpenApiDocument_IsServedAsJson()
    {
        var response = await app.CreateClient().GetAsync("/openapi/v1.json");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        document.RootElement.GetProperty("openapi").GetString()!.ShouldStartWith("3.");
        document.RootElement.GetProperty("paths").EnumerateObject().ShouldContain(p => p.Name == "/health/live");
    }

    [Fact]
    public async Task Docs_ServesAnHtmlReferencePage()
    {
        var response = await app.CreateClient().GetAsync("/docs");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        (await response.Content.ReadAsStringAsync()).ShouldContain("openapi/v1.json");
    }
}
