using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.Health;

[VariesWith(Vary.Backend)]
public sealed class HealthTests(WorktimeApplication app) : IClassFixture<WorktimeApplication>
{
    [Theory]
    [InlineData("/health/live", "live")]
    [InlineData("/health/ready", "ready")]
    [InlineData("/1.1/health/ready", "ready")]
    public async Task Health_OnMigratedDatabase_ReportsStatus(string path, string expected)
    {
        var response = await app.CreateClient().GetAsync(path);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        body.GetProperty("status").GetString().ShouldBe(expected);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("https://app.example")]
    public async Task EveryAnswer_AllowsAnyOrigin(string? origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health/live");
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        var response = await app.CreateClient().SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.GetValues("Access-Control-Allow-Origin").ShouldBe(["*"]);
    }

    [Fact]
    public async Task UnknownRoute_Returns404WithJsonError()
    {
        var response = await app.CreateClient().GetAsync("/no/such/route");

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        body.GetProperty("error").GetString().ShouldBe("not_found");
        body.GetProperty("error_description").GetString().ShouldNotBeNullOrEmpty();
    }
}
