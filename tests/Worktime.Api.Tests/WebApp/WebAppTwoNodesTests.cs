using Microsoft.Playwright;
using Worktime.Api.Tests.Infrastructure;
using Worktime.Api.Tests.MultiNode;

namespace Worktime.Api.Tests.WebApp;

/// <summary>
/// Two nodes on one database (PostgreSQL in the postgres pass), as behind a round-robin proxy with no sticky
/// sessions: a form made by node A is accepted by node B (antiforgery keys live in the database), the session made
/// on A works on B, and a logout on B ends it on A.
/// </summary>
[VariesWith(Vary.Backend)]
public sealed class WebAppTwoNodesTests(TwoNodes nodes) : IClassFixture<TwoNodes>
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
}
