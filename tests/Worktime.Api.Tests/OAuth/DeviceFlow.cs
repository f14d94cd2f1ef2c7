using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Worktime.Api.Tests.Infrastructure;
using static Worktime.Api.Tests.Infrastructure.HttpAnswers;
using static Worktime.Api.Tests.OAuth.OAuthFlow;

namespace Worktime.Api.Tests.OAuth;

/// <summary>Device authorization (RFC 8628) by hand: the device's two requests and the person's page.</summary>
public static partial class DeviceFlow
{
    public const string DeviceGrant = "urn:ietf:params:oauth:grant-type:device_code";

    public static async Task<JsonElement> StartAsync(HttpClient http, string clientId, HttpStatusCode status = HttpStatusCode.OK) =>
        await JsonAsync(await http.PostAsync("/device_authorization", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = clientId,
        })), status);

    public static async Task<HttpResponseMessage> PollAsync(HttpClient http, string clientId, string deviceCode) =>
        await http.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = DeviceGrant,
            ["device_code"] = deviceCode,
            ["client_id"] = clientId,
        }));

    public static async Task<string> PollErrorAsync(HttpClient http, string clientId, string deviceCode)
    {
        using var response = await PollAsync(http, clientId, deviceCode);
        return (await JsonAsync(response, HttpStatusCode.BadRequest)).GetProperty("error").GetString()!;
    }

    /// <summary>Posts one of the page's forms (its antiforgery token and cookie from a GET first); answers the page's HTML.</summary>
    public static async Task<(HttpStatusCode Status, string Html)> PageAsync(HttpClient browser, string cookie, string handler,
        params (string Name, string Value)[] fields)
    {
        using var page = await GetAsync(browser, "/app/device", cookie);
        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await page.Content.ReadAsStringAsync();
        var form = new Dictionary<string, string>
        {
            ["_handler"] = handler,
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(AntiforgeryField().Match(html).Groups[1].Value),
        };
        foreach (var (name, value) in fields)
        {
            form[name] = value;
        }
        var af = page.Headers.GetValues("Set-Cookie").Single(c => c.Contains("worktime-af=", StringComparison.Ordinal)).Split(';')[0];
        using var request = new HttpRequestMessage(HttpMethod.Post, "/app/device") { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add("Cookie", cookie + "; " + af);
        using var answer = await browser.SendAsync(request);
        return (answer.StatusCode, await answer.Content.ReadAsStringAsync());
    }

    /// <summary>The person types the code, sees the app, and decides.</summary>
    public static async Task<string> DecideAsync(HttpClient browser, string cookie, string userCode, string decision)
    {
        var (status, html) = await PageAsync(browser, cookie, "device-code", ("code", userCode));
        status.ShouldBe(HttpStatusCode.OK);
        html.ShouldContain("to use Worktime as you?");
        (status, html) = await PageAsync(browser, cookie, "device-decision", ("code", userCode.Replace("-", "", StringComparison.Ordinal)),
            ("decision", decision));
        status.ShouldBe(HttpStatusCode.OK);
        return html;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
