using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Worktime.Api.Tests.Infrastructure;

/// <summary>
/// Reading an answer of the app under test: its JSON body (with or without asserting its status) and where a
/// redirect sends the browser. One copy for every test class; the caller keeps owning the response.
/// </summary>
public static class HttpAnswers
{
    /// <summary>The body as JSON, whatever the status.</summary>
    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();

    /// <summary>Asserts the status (the body is the assertion's message) and returns the body as JSON.</summary>
    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Where a redirect sends the browser, as a path of this server (the pages answer absolute addresses).</summary>
    public static string Where(HttpResponseMessage response)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var location = response.Headers.Location!;
        return location.IsAbsoluteUri && location.Host == "localhost" ? location.PathAndQuery : location.ToString();
    }
}
