using Microsoft.Playwright;
using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.WebApp;

/// <summary>
/// Passkeys in chromium (docs/auth.md, "Passkeys") with the browser's own WebAuthn and a virtual authenticator of the
/// DevTools protocol (<c>WebAuthn.addVirtualAuthenticator</c>): "Add passkey" on the profile page, "Use a passkey" as
/// the second step and — once the company allows it — instead of the password, and removing it. The pages are opened
/// at <c>localhost</c>: the relying party of a loopback issuer (WebAuthn refuses an IP address). The server's checks
/// are tested per backend in <c>TwoFactor/PasskeyTests</c>; this class tests the pages and their script.
/// </summary>
[VariesWith(Vary.Nothing)]
public sealed class WebAppPasskeyTests(WebAppServer web) : IClassFixture<WebAppServer>
{
    private const string Password = "pw-correct-horse-web";

    private string Url => web.Url.Replace("127.0.0.1", "localhost", StringComparison.Ordinal);

    [Fact]
    public async Task A_person_adds_a_passkey_signs_in_with_it_and_removes_it()
    {
        await web.CreateUserAsync("pass.key", 1);
        var page = await web.NewPageAsync();
        var cdp = await page.Context.NewCDPSessionAsync(page);
        await cdp.SendAsync("WebAuthn.enable");
        var added = await cdp.SendAsync("WebAuthn.addVirtualAuthenticator", new Dictionary<string, object>
        {
            ["options"] = new Dictionary<string, object>
            {
                ["protocol"] = "ctap2", ["transport"] = "internal", ["hasResidentKey"] = true, ["hasUserVerification"] = true,
                ["isUserVerified"] = true, ["automaticPresenceSimulation"] = true,
            },
        });
        var authenticatorId = added!.Value.GetProperty("authenticatorId").GetString()!;

        await PasswordAsync(page, "/app/profile");
        await page.WaitForURLAsync(u => u.Contains("/app/profile", StringComparison.Ordinal));
        await page.GetByLabel("Passkey name").FillAsync("Test laptop");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add passkey" }).ClickAsync();
        await Assertions.Expect(page.Locator(".passkey-name")).ToHaveTextAsync("Test laptop");
        await Assertions.Expect(page.Locator("ol.recovery-codes li")).ToHaveCountAsync(10);
        await page.ShouldPassAxeAsync();

        // The second step with the passkey: the session starts without a code.
        await page.GetByRole(AriaRole.Button, new() { Name = "Log out" }).ClickAsync();
        await page.WaitForURLAsync(u => u.EndsWith("/app/login", StringComparison.Ordinal));
        await PasswordAsync(page, "/app/week");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Two-step verification", Level = 1 })).ToBeVisibleAsync();
        await page.ShouldPassAxeAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Use a passkey" }).ClickAsync();
        await page.WaitForURLAsync(u => u.Contains("/app/week", StringComparison.Ordinal));

        // A passkey alone, once the company allows it.
        var (status, _) = await web.ApiAsync(HttpMethod.Put, "/partner/security", new { passkey_sign_in = true });
        status.ShouldBe(200);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log out" }).ClickAsync();
        await page.WaitForURLAsync(u => u.EndsWith("/app/login", StringComparison.Ordinal));
        await page.GetByRole(AriaRole.Button, new() { Name = "Use a passkey" }).ClickAsync();
        await page.WaitForURLAsync(u => !u.Contains("/app/login", StringComparison.Ordinal));
        (await web.ApiAsync(HttpMethod.Put, "/partner/security", new { passkey_sign_in = false })).Status.ShouldBe(200);

        // Removing it: the password alone signs in again.
        await page.GotoAsync(Url + "/app/profile");
        await page.GetByRole(AriaRole.Button, new() { Name = "Remove passkey Test laptop" }).ClickAsync();
        await Assertions.Expect(page.Locator(".passkey-name")).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log out" }).ClickAsync();
        await page.WaitForURLAsync(u => u.EndsWith("/app/login", StringComparison.Ordinal));
        await PasswordAsync(page, "/app/week");
        await page.WaitForURLAsync(u => u.Contains("/app/week", StringComparison.Ordinal));
        var credentials = await cdp.SendAsync("WebAuthn.getCredentials", new Dictionary<string, object>
        {
            ["authenticatorId"] = authenticatorId,
        });
        credentials!.Value.GetProperty("credentials").GetArrayLength().ShouldBe(1); // the device keeps it; the server forgot it
        await page.Context.CloseAsync();
    }

    private async Task PasswordAsync(IPage page, string path)
    {
        await page.GotoAsync(Url + path);
        await page.GetByLabel("Username").FillAsync("pass.key");
        await page.GetByLabel("Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await page.WaitForURLAsync(u => !u.EndsWith("/app/login", StringComparison.Ordinal) && !u.Contains("/app/login?", StringComparison.Ordinal));
    }
}
