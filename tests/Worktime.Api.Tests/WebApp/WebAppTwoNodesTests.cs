using System.Net.Http.Json;
using Microsoft.Playwright;
using Worktime.Api.Tests.Infrastructure;
using Worktime.Api.Tests.MultiNode;

namespace Worktime.Api.Tests.WebApp;

/// <summary>
/// Two nodes on one database (PostgreSQL in the postgres pass), as behind a round-robin proxy with no sticky
/// sessions: a form made by node A is accepted by node B (antiforgery keys live in the database), the session made
/// on A works on B, and a logout on B ends it on A; a login's code step started on A finishes on B, and the code is
/// spent on both (docs/auth.md, "Second factors").
/// </summary>
[VariesWith(Vary.Backend)]
public sealed partial class WebAppTwoNodesTests(TwoNodes nodes) : IClassFixture<TwoNodes>
{
    [Fact]
    public async Task Log_in_on_node_a_continue_on_node_b_and_log_out_there_for_both()
    {
        var (username, password) = await nodes.AddUserAsync(level: 1);
        var (playwright, browser) = await WebAppServer.LaunchBrowserAsync();
        try
        {
            var a = nodes.A.BaseAddress.ToString().TrimEnd('/');
            var b = nodes.B.BaseAddress.ToString().TrimEnd('/');
            var page = await browser.NewPageAsync(new() { Locale = "en-GB" });
            page.SetDefaultTimeout(20_000);

            // The login form comes from A; its post goes to B (as a round-robin proxy might send it).
            await page.GotoAsync(a + "/app/login?return=%2Fapp%2Fbalance");
            await page.RouteAsync(a + "/app/login", route => route.Request.Method == "POST"
                ? route.ContinueAsync(new() { Url = b + "/app/login" })
                : route.ContinueAsync());
            await page.GetByLabel("Username").FillAsync(username);
            await page.GetByLabel("Password").FillAsync(password);
            await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
            await page.WaitForURLAsync(u => u.EndsWith("/app/balance", StringComparison.Ordinal));
            await page.UnrouteAllAsync();

            // The session works on B; B's language form carries A's antiforgery cookie and B's token.
            await page.GotoAsync(b + "/app/balance");
            page.Url.ShouldBe(b + "/app/balance");
            await page.GetByRole(AriaRole.Button, new() { Name = "Suomi" }).ClickAsync();
            await page.GetByRole(AriaRole.Heading, new() { Name = "Saldo", Exact = true }).WaitForAsync();

            // Back on A the same session and language hold; a logout on B ends the session on A too.
            await page.GotoAsync(a + "/app/balance");
            await page.GetByRole(AriaRole.Heading, new() { Name = "Saldo", Exact = true }).WaitForAsync();
            await page.GotoAsync(b + "/app/balance");
            await page.GetByRole(AriaRole.Button, new() { Name = "Kirjaudu ulos" }).ClickAsync();
            await page.WaitForURLAsync(b + "/app/login");
            await page.GotoAsync(a + "/app/balance");
            page.Url.ShouldStartWith(a + "/app/login");
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }

    [Fact]
    public async Task The_code_step_started_on_node_a_finishes_on_node_b_and_the_code_is_spent_on_both()
    {
        var (username, password) = await nodes.AddUserAsync(level: 1);
        var tokens = await TokenClient.LoginAsync(nodes.A, username, password);
        using var api = new HttpClient { BaseAddress = nodes.A.BaseAddress };
        api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", tokens.Access);
        using var setup = await api.PostAsync("/me/factors/totp", null);
        setup.StatusCode.ShouldBe(System.Net.HttpStatusCode.Created, await setup.Content.ReadAsStringAsync());
        var secret = System.Text.Json.JsonDocument.Parse(await setup.Content.ReadAsStringAsync()).RootElement.GetProperty("secret").GetString()!;
        // A code of a step ago turns it on, so the sign-in below has a newer one.
        using (var confirm = await api.PostAsJsonAsync("/me/factors/totp/confirm",
                   new { code = await TwoFactor.TotpTools.OathtoolAsync(secret, DateTimeOffset.UtcNow.AddSeconds(-30)) }))
        {
            confirm.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK, await confirm.Content.ReadAsStringAsync());
        }

        // The password on A: the pending sign-in is a cookie sealed with the shared keys; the code goes to B.
        var browser = new NodeBrowser();
        using (var passwordStep = await browser.SubmitAsync(nodes.A, nodes.A, "/app/login?return=%2Fapp%2Fweek", "login", new()
               {
                   ["Input.Username"] = username, ["Input.Password"] = password, ["Input.Return"] = "/app/week",
               }))
        {
            passwordStep.Headers.Location!.PathAndQuery.ShouldStartWith("/app/login/code");
        }
        var code = await TwoFactor.TotpTools.OathtoolAsync(secret, DateTimeOffset.UtcNow);
        using (var codeStep = await browser.SubmitAsync(nodes.A, nodes.B, "/app/login/code?return=%2Fapp%2Fweek", "login-code", new()
               {
                   ["Input.Code"] = code, ["Input.Return"] = "/app/week",
               }))
        {
            codeStep.StatusCode.ShouldBe(System.Net.HttpStatusCode.Redirect, await codeStep.Content.ReadAsStringAsync());
            codeStep.Headers.Location!.PathAndQuery.ShouldBe("/app/week");
        }
        browser.HasSession.ShouldBeTrue();
        using (var week = await browser.GetAsync(nodes.A, "/app/week"))
        {
            week.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
        }

        // The same code once more, password on B and code on A: spent on every node.
        var again = new NodeBrowser();
        using (var passwordStep = await again.SubmitAsync(nodes.B, nodes.B, "/app/login?return=%2Fapp%2Fweek", "login", new()
               {
                   ["Input.Username"] = username, ["Input.Password"] = password, ["Input.Return"] = "/app/week",
               }))
        {
            passwordStep.Headers.Location!.PathAndQuery.ShouldStartWith("/app/login/code");
        }
        using (var replay = await again.SubmitAsync(nodes.B, nodes.A, "/app/login/code?return=%2Fapp%2Fweek", "login-code", new()
               {
                   ["Input.Code"] = code, ["Input.Return"] = "/app/week",
               }))
        {
            replay.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
            (await replay.Content.ReadAsStringAsync()).ShouldContain("That code is not right");
        }
        again.HasSession.ShouldBeFalse();
    }

    /// <summary>
    /// A browser by hand against real nodes: its own cookies (the web app's are Secure, which .NET's cookie container
    /// would not send over http), the form's antiforgery field from the node that rendered it, no redirects followed.
    /// </summary>
    private sealed partial class NodeBrowser
    {
        private readonly Dictionary<string, string> _cookies = new(StringComparer.Ordinal);

        public bool HasSession => _cookies.Keys.Any(k => k.EndsWith("worktime-session", StringComparison.Ordinal));

        public async Task<HttpResponseMessage> GetAsync(ServerProcess node, string path) =>
            await SendAsync(node, new HttpRequestMessage(HttpMethod.Get, path));

        /// <summary>GETs the page from <paramref name="renderer"/>, posts its form <paramref name="formName"/> to <paramref name="receiver"/>.</summary>
        public async Task<HttpResponseMessage> SubmitAsync(ServerProcess renderer, ServerProcess receiver, string path, string formName,
            Dictionary<string, string> fields)
        {
            string html;
            using (var page = await GetAsync(renderer, path))
            {
                html = await page.Content.ReadAsStringAsync();
                page.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK, html);
            }
            var form = new Dictionary<string, string>(fields)
            {
                ["_handler"] = formName,
                ["__RequestVerificationToken"] = System.Net.WebUtility.HtmlDecode(AntiforgeryField().Match(html).Groups[1].Value),
            };
            return await SendAsync(receiver, new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) });
        }

        private async Task<HttpResponseMessage> SendAsync(ServerProcess node, HttpRequestMessage request)
        {
            using var handler = new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false, CheckCertificateRevocationList = true };
            using var http = new HttpClient(handler) { BaseAddress = node.BaseAddress };
            using (request)
            {
                if (_cookies.Count > 0)
                {
                    request.Headers.Add("Cookie", string.Join("; ", _cookies.Select(c => c.Key + "=" + c.Value)));
                }
                var response = await http.SendAsync(request);
                if (response.Headers.TryGetValues("Set-Cookie", out var lines))
                {
                    foreach (var line in lines)
                    {
                        var pair = line.Split(';')[0];
                        var at = pair.IndexOf('=', StringComparison.Ordinal);
                        var (name, value) = (pair[..at], pair[(at + 1)..]);
                        if (value.Length == 0 || line.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase))
                        {
                            _cookies.Remove(name);
                        }
                        else
                        {
                            _cookies[name] = value;
                        }
                    }
                }
                return response;
            }
        }

        [System.Text.RegularExpressions.GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
        private static partial System.Text.RegularExpressions.Regex AntiforgeryField();
    }
}
