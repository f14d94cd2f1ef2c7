using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Worktime.Api.Tests.Infrastructure;
using Worktime.Api.Tests.MultiNode;

namespace Worktime.Api.Tests.WebApp;

/// <summary>
/// The web app's shell on a real server process in Production from the plain build output: the way in (/ → /app →
/// login), the cookie session (attributes, the same password check and throttle as POST /login, logout, a password
/// change), antiforgery, headers, assets, languages, and the checks every page passes. One browser for the class.
/// </summary>
// Once: the pages' data comes through the forms engine and the API's services, whose SQL the API tests run on both
// backends; the web app's own SQL (sessions, antiforgery keys) runs on PostgreSQL in WebAppTwoNodesTests.
[VariesWith(Vary.Nothing)]
public sealed partial class WebAppShellTests(WebAppServer web) : IClassFixture<WebAppServer>
{
    [Fact]
    public async Task Root_redirects_to_the_app_and_the_app_to_the_login_when_signed_out()
    {
        using var noRedirects = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CheckCertificateRevocationList = true }) { BaseAddress = web.Server.BaseAddress };
        using var root = await noRedirects.GetAsync("/");
        root.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        root.Headers.Location!.ToString().ShouldBe("/app/");
        foreach (var appRoot in new[] { "/app/", "/app" })
        {
            using var home = await noRedirects.GetAsync(appRoot);
            home.StatusCode.ShouldBe(HttpStatusCode.Redirect, appRoot);
            home.Headers.Location!.ToString().ShouldBe("/app/week", appRoot);
        }
        using var app = await noRedirects.GetAsync("/app/balance?from=2026-01-01");
        app.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        app.Headers.Location!.ToString().ShouldBe("/app/login?return=%2Fapp%2Fbalance%3Ffrom%3D2026-01-01");
    }

    [Fact]
    public async Task Pages_and_assets_carry_the_security_headers_and_assets_are_fingerprinted_and_immutable()
    {
        using var login = await web.Server.Client.GetAsync("/app/login");
        login.StatusCode.ShouldBe(HttpStatusCode.OK);
        var csp = login.Headers.GetValues("Content-Security-Policy").Single();
        csp.ShouldNotContain("unsafe-inline");
        csp.ShouldNotContain("unsafe-eval");
        csp.ShouldContain("script-src 'self'");
        csp.ShouldContain("frame-ancestors 'none'");
        csp.ShouldContain("object-src 'none'");
        login.Headers.GetValues("X-Content-Type-Options").Single().ShouldBe("nosniff");
        login.Headers.GetValues("Referrer-Policy").Single().ShouldBe("same-origin");
        login.Headers.CacheControl!.NoStore.ShouldBeTrue();
        login.Headers.Contains("Access-Control-Allow-Origin").ShouldBeFalse();

        var html = await login.Content.ReadAsStringAsync();
        var assets = AssetReference().Matches(html).Select(m => m.Groups[1].Value).ToList();
        assets.ShouldContain(a => a.StartsWith("/_framework/blazor.web.", StringComparison.Ordinal));
        // The framework's script, ours, and the passkey script ("Use a passkey" on the login page).
        assets.Count(a => a.EndsWith(".js", StringComparison.Ordinal)).ShouldBe(3);
        assets.ShouldContain(a => a.StartsWith("/app/passkeys.", StringComparison.Ordinal));
        foreach (var asset in assets)
        {
            Fingerprinted().IsMatch(asset).ShouldBeTrue($"{asset} has no content fingerprint");
            using var response = await web.Server.Client.GetAsync(asset);
            response.StatusCode.ShouldBe(HttpStatusCode.OK, asset);
            (await response.Content.ReadAsByteArrayAsync()).Length.ShouldBeGreaterThan(100, $"{asset} is served empty");
            response.Headers.CacheControl!.ToString().ShouldContain("immutable", Case.Sensitive, asset);
            response.Headers.GetValues("X-Content-Type-Options").Single().ShouldBe("nosniff");
        }
    }

    [Fact]
    public async Task First_page_javascript_is_at_most_100_kilobytes_compressed()
    {
        var html = await web.Server.Client.GetStringAsync("/app/login");
        long total = 0;
        foreach (var script in AssetReference().Matches(html).Select(m => m.Groups[1].Value).Where(a => a.EndsWith(".js", StringComparison.Ordinal)))
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, script);
            request.Headers.AcceptEncoding.ParseAdd("br, gzip");
            using var response = await web.Server.Client.SendAsync(request);
            response.Content.Headers.ContentEncoding.ShouldNotBeEmpty(script);
            total += (await response.Content.ReadAsByteArrayAsync()).Length;
        }
        Console.WriteLine($"first page JavaScript, compressed as served: {total} bytes");
        total.ShouldBeLessThanOrEqualTo(100 * 1024);
    }

    [Fact]
    public async Task Balance_page_links_the_payroll_month_and_worktime_exports_which_the_api_serves_as_the_signed_in_person()
    {
        var worker = await web.CreateUserAsync("download.worker", 1);
        var token = await web.AdminTokenAsync();
        var (created, body) = await web.ApiAsync(HttpMethod.Post, "/worktimes", new
        {
            worktime = new { user = worker, date = "2026-10-05", starttime = "08:00", endtime = "15:30" },
        }, token);
        created.ShouldBe(201, body.ToString());
        var page = await web.NewPageAsync();
        await web.LogInAsync(page, "download.worker", "pw-correct-horse-web", "/app/balance?from=2026-10-01&to=2026-10-31");

        var payroll = page.GetByRole(AriaRole.Listitem).Filter(new() { HasText = "Payroll month 2026-10" });
        var pdf = await page.RunAndWaitForDownloadAsync(() => payroll.GetByRole(AriaRole.Link, new() { Name = "PDF" }).ClickAsync());
        pdf.SuggestedFilename.ShouldBe($"payroll_2026-10_user{worker}.pdf");
        (await File.ReadAllBytesAsync((await pdf.PathAsync())!)).Take(5).ShouldBe("%PDF-"u8.ToArray());
        var csv = await page.RunAndWaitForDownloadAsync(() => payroll.GetByRole(AriaRole.Link, new() { Name = "CSV" }).ClickAsync());
        var lines = await File.ReadAllLinesAsync((await csv.PathAsync())!);
        lines[0].TrimStart('\uFEFF').ShouldStartWith("employee_number,user,name,");
        lines.Skip(1).ShouldContain(l => l.Contains($",{worker},", StringComparison.Ordinal) && l.EndsWith(",7.5,450", StringComparison.Ordinal));
        var worktimes = page.GetByRole(AriaRole.Listitem).Filter(new() { HasText = "Working times" });
        var xlsx = await page.RunAndWaitForDownloadAsync(() => worktimes.GetByRole(AriaRole.Link, new() { Name = "Excel (XLSX)" }).ClickAsync());
        xlsx.SuggestedFilename.ShouldBe("worktimes_2026-10-01_2026-10-31.xlsx");

        // The links are the API's handlers with the person's own rights: what the API refuses a worker, they refuse too.
        await using (var everyone = await page.Context.APIRequest.GetAsync(web.Url + "/app/exports/payroll/2026-10.pdf?all=true"))
        {
            everyone.Status.ShouldBe(403);
            (await everyone.TextAsync()).ShouldContain("\"error\":\"forbidden\"");
        }
        using var noRedirects = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CheckCertificateRevocationList = true }) { BaseAddress = web.Server.BaseAddress };
        using var anonymous = await noRedirects.GetAsync("/app/exports/payroll/2026-10.pdf");
        anonymous.StatusCode.ShouldBe(HttpStatusCode.Redirect, "without a session the download asks for a login");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Login_by_keyboard_sets_a_host_only_secure_strict_httponly_session_cookie_and_nothing_in_script_storage()
    {
        var page = await web.NewPageAsync();
        await web.LogInAsync(page, "admin", web.AdminPassword, "/app/balance");

        page.Url.ShouldBe(web.Url + "/app/balance");
        await page.ShouldHaveLanguageTitleAndFocusedHeadingAsync("en");
        var cookies = await page.Context.CookiesAsync();
        var session = cookies.Single(c => c.Name == "__Host-worktime-session");
        session.HttpOnly.ShouldBeTrue();
        session.Secure.ShouldBeTrue();
        session.SameSite.ShouldBe(SameSiteAttribute.Strict);
        session.Path.ShouldBe("/");
        var antiforgery = cookies.Single(c => c.Name == "__Host-worktime-af");
        (antiforgery.HttpOnly, antiforgery.Secure, antiforgery.SameSite).ShouldBe((true, true, SameSiteAttribute.Strict));
        (await page.EvaluateAsync<string>("() => document.cookie")).ShouldBeEmpty();
        (await page.EvaluateAsync<int>("() => localStorage.length + sessionStorage.length")).ShouldBe(0);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Wrong_password_is_shown_on_the_page_and_counts_in_the_same_throttle_as_the_token_endpoint()
    {
        await web.CreateUserAsync("throttled.worker", 1);
        var page = await web.NewPageAsync();
        await page.GotoAsync(web.Url + "/app/login");
        for (var attempt = 0; attempt < 5; attempt++)
        {
            await page.GetByLabel("Username").FillAsync("throttled.worker");
            await page.GetByLabel("Password").FillAsync("not-the-password");
            // Each attempt's answer before the next (the message from the previous one is already on the page).
            await page.RunAndWaitForResponseAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync(),
                r => r.Request.Method == "POST" && r.Url.EndsWith("/app/login", StringComparison.Ordinal));
            await page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "Wrong username or password." }).WaitForAsync();
        }
        (await page.GetByLabel("Password").GetAttributeAsync("aria-describedby")).ShouldBe("login-error");

        // The page's five failures are the API's too: the (username, address) counter refuses the token endpoint now.
        using var api = await TokenClient.PasswordAsync(web.Server, "throttled.worker", "pw-correct-horse-web");
        api.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        (await api.Content.ReadAsStringAsync()).ShouldContain("slow_down");
        // ... and the token endpoint's failures are the page's: the right password is refused on the page too.
        await page.GetByLabel("Password").FillAsync("pw-correct-horse-web");
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "Too many failed attempts" }).WaitForAsync();
        page.Url.ShouldStartWith(web.Url + "/app/login");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Logout_ends_the_session_for_every_copy_of_the_cookie()
    {
        var page = await web.NewPageAsync();
        await web.LogInAsync(page, "admin", web.AdminPassword, "/app/balance");
        var copy = await web.Browser.NewContextAsync(new() { StorageState = await page.Context.StorageStateAsync() });
        var other = await copy.NewPageAsync();
        await other.GotoAsync(web.Url + "/app/balance");
        other.Url.ShouldBe(web.Url + "/app/balance");

        await page.GetByRole(AriaRole.Button, new() { Name = "Log out" }).ClickAsync();
        await page.WaitForURLAsync(web.Url + "/app/login");
        await other.GotoAsync(web.Url + "/app/balance");
        other.Url.ShouldStartWith(web.Url + "/app/login");
        await copy.CloseAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_password_change_through_the_api_ends_the_session()
    {
        var id = await web.CreateUserAsync("changing.worker", 1);
        var page = await web.NewPageAsync();
        await web.LogInAsync(page, "changing.worker", "pw-correct-horse-web", "/app/balance");

        var (status, body) = await web.ApiAsync(HttpMethod.Put, $"/users/{id}", new { user = new { password = "pw-another-horse-web" } });
        status.ShouldBe(200, body.ToString());
        await page.ReloadAsync();
        page.Url.ShouldStartWith(web.Url + "/app/login");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_form_without_its_antiforgery_token_is_refused_and_logs_nobody_in()
    {
        using var post = await web.Server.Client.PostAsync("/app/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login", ["Input.Username"] = "admin", ["Input.Password"] = web.AdminPassword,
        }));
        post.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        post.Headers.Contains("Set-Cookie").ShouldBeFalse();
    }

    [Theory]
    [InlineData("//evil.example/app", "/app/")]
    [InlineData("https://evil.example/", "/app/")]
    [InlineData("/\\evil.example", "/app/")]
    [InlineData("/app/balance?from=2026-01-01", "/app/balance?from=2026-01-01")]
    public async Task The_return_address_after_login_is_only_ever_a_path_of_this_server(string requested, string expectedPath)
    {
        var page = await web.NewPageAsync();
        await page.GotoAsync(web.Url + "/app/login?return=" + Uri.EscapeDataString(requested));
        await page.GetByLabel("Username").FillAsync("admin");
        await page.GetByLabel("Password").FillAsync(web.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await page.WaitForURLAsync(u => !u.Contains("/app/login", StringComparison.Ordinal));
        new Uri(page.Url).Host.ShouldBe("127.0.0.1");
        if (expectedPath != "/app/")
        {
            new Uri(page.Url).PathAndQuery.ShouldBe(expectedPath);
        }
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Language_follows_accept_language_and_the_switch_is_remembered()
    {
        var page = await web.NewPageAsync(locale: "fi-FI");
        await page.GotoAsync(web.Url + "/app/login");
        await page.GetByRole(AriaRole.Heading, new() { Name = "Kirjaudu" }).WaitForAsync();
        (await page.Locator("html").GetAttributeAsync("lang")).ShouldBe("fi");
        await page.GetByLabel("Käyttäjätunnus").WaitForAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "English" }).ClickAsync();
        await page.GetByRole(AriaRole.Heading, new() { Name = "Log in" }).WaitForAsync();
        await page.ReloadAsync();
        (await page.Locator("html").GetAttributeAsync("lang")).ShouldBe("en");
        await page.GetByLabel("Username").WaitForAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Login_and_balance_pass_axe_and_fit_a_phone_in_both_languages()
    {
        foreach (var (locale, lang) in new[] { ("en-GB", "en"), ("fi-FI", "fi") })
        {
            var page = await web.NewPageAsync(locale, phone: true);
            await page.GotoAsync(web.Url + "/app/login");
            await page.ShouldHaveLanguageTitleAndFocusedHeadingAsync(lang);
            await page.ShouldPassAxeAsync();
            await page.ShouldFitAPhoneAsync();
            await page.Locator("#username").FillAsync("admin");
            await page.Locator("#password").FillAsync(web.AdminPassword);
            await page.Keyboard.PressAsync("Enter");
            await page.WaitForURLAsync(u => !u.Contains("/app/login", StringComparison.Ordinal));
            await page.GotoAsync(web.Url + "/app/balance");
            await page.ShouldHaveLanguageTitleAndFocusedHeadingAsync(lang);
            await page.ShouldPassAxeAsync();
            await page.ShouldFitAPhoneAsync();
            await page.Context.CloseAsync();
        }
    }

    [GeneratedRegex("(?:src|href)=\"(/[^\"]+\\.(?:js|css|svg))\"")]
    private static partial Regex AssetReference();

    [GeneratedRegex(@"\.[a-z0-9]{10}\.(js|css|svg)$")]
    private static partial Regex Fingerprinted();
}
