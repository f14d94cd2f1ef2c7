using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.ApiReference;

/// <summary>
/// /docs in a real browser (Debian's Chromium driven by Playwright): the page finds the login and worktimes
/// operations, logs in through its own "try it", then lists worktimes with the token, while every request
/// that would leave the server is refused (the page must work with no internet). The screenshot is the
/// README's docs/img/api-reference.png when <c>WORKTIME_WRITE_SCREENSHOTS=1</c> (<see cref="Screenshots"/>).
/// </summary>
[VariesWith(Vary.Nothing)]
[Collection(LiveServerCollection.Name)]
public sealed class DocsPageTests(LiveServer live)
{
    private static readonly string[] ChromiumFlags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"];

    [Fact]
    public async Task Head_AnswersLikeGet_OnTheRealServer()
    {
        foreach (var path in (string[])["/docs", "/docs/", "/docs/scalar.js", "/openapi/v1.json"])
        {
            using var get = await live.Server.Client.GetAsync(path);
            using var head = await live.Server.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));

            get.StatusCode.ShouldBe(HttpStatusCode.OK, path);
            head.StatusCode.ShouldBe(get.StatusCode, path);
            head.Content.Headers.ContentType?.MediaType.ShouldBe(get.Content.Headers.ContentType?.MediaType, path);
            (await head.Content.ReadAsByteArrayAsync()).ShouldBeEmpty(path);
        }
    }

    [SqlitePassFact]
    public async Task DocsPage_LogsInThroughTryIt_ThenListsWorktimes()
    {
        var description = await CreateTodaysWorktimeAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ExternalTools.Chromium, Headless = true, Args = ChromiumFlags,
        });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1400, Height = 900 } });
        page.SetDefaultTimeout(30_000);
        var outside = new List<string>();
        await page.RouteAsync("**/*", async route =>
        {
            if (route.Request.Url.StartsWith(live.Url, StringComparison.Ordinal))
            {
                await route.ContinueAsync();
            }
            else
            {
                lock (outside)
                {
                    outside.Add(route.Request.Url);
                }
                await route.AbortAsync();
            }
        });

        await page.GotoAsync(live.Url + "/docs");
        await page.GetByText("Log in or refresh tokens").First.ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex(@"Test Request\s*\(post \/login\)") }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.WaitForAsync();
        foreach (var (key, value) in new[] { ("username", live.Username), ("password", live.Password) })
        {
            var row = dialog.Locator($"tr#{key}");
            await row.GetByRole(AriaRole.Checkbox).CheckAsync();
            await row.Locator("[contenteditable=true][data-placeholder=Value]").ClickAsync();
            await page.Keyboard.PressAsync("Control+A");
            await page.Keyboard.TypeAsync(value);
        }
        var login = await page.RunAndWaitForResponseAsync(
            () => dialog.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Send post request") }).ClickAsync(),
            r => r.Url.EndsWith("/login", StringComparison.Ordinal));
        login.Status.ShouldBe(200);
        var token = (await login.JsonAsync())!.Value.GetProperty("access_token").GetString()!;
        await dialog.GetByText("200 OK").First.WaitForAsync();

        await dialog.GetByPlaceholder("Token").FillAsync(token);
        await page.Keyboard.PressAsync("Escape");
        await dialog.WaitForAsync(new() { State = WaitForSelectorState.Hidden });
        await page.GetByRole(AriaRole.Button, new() { Name = "Open Group - Worktimes" }).ClickAsync();
        await page.GetByText("List worktimes").First.ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex(@"Test Request\s*\(get \/worktimes\)") }).ClickAsync();
        await dialog.WaitForAsync();
        var list = await page.RunAndWaitForResponseAsync(
            () => dialog.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Send get request") }).ClickAsync(),
            r => new Uri(r.Url).AbsolutePath == "/worktimes");

        list.Status.ShouldBe(200);
        (await list.Request.HeaderValueAsync("authorization")).ShouldBe("Bearer " + token);
        var body = (await list.JsonAsync())!.Value;
        body.GetProperty("worktimes").EnumerateArray().ShouldContain(w => w.GetProperty("description").GetString() == description);
        await dialog.GetByText(description).First.WaitForAsync();
        await dialog.GetByText("200 OK").First.WaitForAsync();

        // The README's picture is refreshed only on purpose (WORKTIME_WRITE_SCREENSHOTS=1); otherwise TestResults/.
        var screenshot = Screenshots.PathFor("api-reference.png");
        File.Delete(screenshot);
        await page.ScreenshotAsync(new() { Path = screenshot });
        new FileInfo(screenshot).Length.ShouldBeGreaterThan(5_000, "the screenshot of the page after its \"try it\"");
        lock (outside)
        {
            outside.ShouldBeEmpty("the page and its assets are served by the app");
        }
    }

    /// <summary>A row in the current month, so the unfiltered list the page asks for shows something.</summary>
    private async Task<string> CreateTodaysWorktimeAsync()
    {
        using var login = await live.Server.Client.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["client_id"] = "openapi", ["username"] = live.Username, ["password"] = live.Password,
        }));
        var tokens = await login.Content.ReadFromJsonAsync<JsonElement>();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/worktimes")
        {
            Content = JsonContent.Create(new
            {
                worktime = new
                {
                    date = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    user = tokens.GetProperty("user_id").GetInt64(),
                    starttime = "08:00", endtime = "16:00", pause = 30,
                    description = "Tried from /docs",
                },
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.GetProperty("access_token").GetString());
        using var created = await live.Server.Client.SendAsync(request);
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        return "Tried from /docs";
    }
}
