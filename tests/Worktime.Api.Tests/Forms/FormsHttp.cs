using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Worktime.Api.Tests.Forms;

/// <summary>JSON calls to the forms API and assertions on their answers.</summary>
public static class FormsHttp
{
    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, object body, string contentType = "application/json") =>
        client.PostAsync(path, new StringContent(Json(body), Encoding.UTF8, contentType));

    public static Task<HttpResponseMessage> PutJsonAsync(this HttpClient client, string path, object body, string contentType = "application/json") =>
        client.PutAsync(path, new StringContent(Json(body), Encoding.UTF8, contentType));

    public static Task<HttpResponseMessage> SendRawAsync(this HttpClient client, HttpMethod method, string path, string body, string contentType = "application/json") =>
        client.SendAsync(new HttpRequestMessage(method, path) { Content = new StringContent(body, Encoding.UTF8, contentType) });

    /// <summary>Asserts the status and a JSON content type; returns the body.</summary>
    public static async Task<JsonElement> ShouldBeJsonAsync(this HttpResponseMessage response, int status)
    {
        var text = await response.Content.ReadAsStringAsync();
        ((int)response.StatusCode).ShouldBe(status, text);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json", text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Asserts a JSON error answer (status, code, a description) without internals; returns the body.</summary>
    public static async Task<JsonElement> ShouldBeErrorAsync(this HttpResponseMessage response, int status, string error)
    {
        var body = await response.ShouldBeJsonAsync(status);
        body.GetProperty("error").GetString().ShouldBe(error, body.ToString());
        body.GetProperty("error_description").GetString().ShouldNotBeNullOrWhiteSpace();
        body.ToString().ShouldNotContain("   at ", Case.Sensitive, "no stack trace");
        body.ToString().ShouldNotContain("SELECT", Case.Sensitive, "no SQL");
        return body;
    }

    /// <summary>POSTs a row and returns it (asserting 201).</summary>
    public static async Task<JsonElement> CreateAsync(this HttpClient client, string plural, string key, object fields)
    {
        using var response = await client.PostJsonAsync("/" + plural, new Dictionary<string, object> { [key] = fields });
        return (await response.ShouldBeJsonAsync(201)).GetProperty(key);
    }

    public static long Id(this JsonElement row) => row.GetProperty("id").GetInt64();

    public static string Json(object body) => body is string s ? s : JsonSerializer.Serialize(body);

    /// <summary>Property names in order, for shape assertions.</summary>
    public static IReadOnlyList<string> Keys(this JsonElement element) => element.EnumerateObject().Select(p => p.Name).ToList();

    public static JsonObject Obj(params (string Key, object? Value)[] members)
    {
        var obj = new JsonObject();
        foreach (var (key, value) in members)
        {
            obj[key] = value is null ? null : JsonSerializer.SerializeToNode(value);
        }
        return obj;
    }
}
