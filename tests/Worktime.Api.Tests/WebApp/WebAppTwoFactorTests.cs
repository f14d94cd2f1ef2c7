using Microsoft.Playwright;
using Worktime.Api.Tests.Infrastructure;
using Worktime.Api.Tests.TwoFactor;

namespace Worktime.Api.Tests.WebApp;

/// <summary>
/// The authenticator app in chromium (docs/auth.md, "Second factors"), codes computed by pyotp: set-up on the profile
/// page (QR code, "Secret key", "Code", "Verify", ten recovery codes), the login's second step, a reused code refused,
/// a recovery code on a Finnish phone, and "Turn off" with the password and a code; the company's policy set on
/// <c>/app/admin/security</c> and the forced set-up it leads to; axe on every page.
/// </summary>
// Once: the pages' data comes through the forms engine and the API's services, whose SQL the API tests run on both
// backends; the web app's own SQL (sessions, antiforgery keys) runs on PostgreSQL in WebAppTwoNodesTests.
[VariesWith(Vary.Nothing)]
public sealed class WebAppTwoFactorTests(WebAppServer web) : IClassFixture<WebAppServer>
{
    private const string Password = "pw-correct-horse-web";

    [Fact]
    public async Task A_person_sets_up_an_authenticator_app_signs_in_with_codes_and_turns_it_off()
    {
        await web.CreateUserAsync("two.step", 1);
        var page = await web.NewPageAsync();
        await web.LogInAsync(page, "two.step", Password, "/app/profile");
        (await page.TitleAsync()).ShouldBe("Profile – Worktime");
        await page.ShouldPassAxeAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Set up authenticator app" }).ClickAsync();
        var qr = page.GetByRole(AriaRole.Img, new() { Name = "QR code for your authenticator app" });
        await Assertions.Expect(qr).ToBeVisibleAsync();
        (await qr.GetAttributeAsync("src"))!.ShouldStartWith("data:image/svg+xml;base64,");
        var secret = (await page.Locator("#secret-key").InnerTextAsync()).Replace(" ", "", StringComparison.Ordinal);
        secret.Length.ShouldBe(32);
        await page.ShouldPassAxeAsync();

        // A code of a step ago (within the ±1 step window), so the next sign-in can use the current one.
        await page.GetByLabel("Code").FillAsync(await TotpTools.PyotpAsync(secret, DateTimeOffset.UtcNow.AddSeconds(-30)));
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        var codes = page.Locator("ol.recovery-codes li");
        await Assertions.Expect(codes).ToHaveCountAsync(10);
        var recovery = await codes.AllInnerTextsAsync();
        await page.ShouldPassAxeAsync();
        // The page that showed the codes is signed in with a new session (the old one ended with the factor).
        await page.GetByRole(AriaRole.Link, new() { Name = "Done" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Turn off" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Log out" }).ClickAsync();
        await page.WaitForURLAsync(u => u.EndsWith("/app/login", StringComparison.Ordinal));

        await PasswordStepAsync(page, "two.step", "/app/week");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Two-step verification", Level = 1 })).ToBeVisibleAsync();
        await page.ShouldHaveLanguageTitleAndFocusedHeadingAsync("en");
        await page.ShouldPassAxeAsync();
        var current = await TotpTools.PyotpAsync(secret, DateTimeOffset.UtcNow);
        await page.GetByLabel("Code").FillAsync(current);
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await page.WaitForURLAsync(u => u.Contains("/app/week", StringComparison.Ordinal));
        await page.Context.CloseAsync();

        // The same code again in another browser: refused, and the person stays on the code step.
        var again = await web.NewPageAsync();
        await PasswordStepAsync(again, "two.step", "/app/week");
        await again.GetByLabel("Code").FillAsync(current);
        await again.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await Assertions.Expect(again.GetByRole(AriaRole.Alert)).ToHaveTextAsync("That code is not right. Codes change every 30 seconds, and each one works once.");
        await Assertions.Expect(again.GetByLabel("Code")).ToHaveAttributeAsync("aria-describedby", "code-error code-help");
        await again.ShouldPassAxeAsync();
        await again.Context.CloseAsync();

        // In Finnish on a phone, with a recovery code.
        var phone = await web.NewPageAsync(locale: "fi-FI", phone: true);
        await phone.GotoAsync(web.Url + "/app/absences");
        await phone.GetByLabel("Käyttäjätunnus").FillAsync("two.step");
        await phone.GetByLabel("Salasana").FillAsync(Password);
        await phone.GetByRole(AriaRole.Button, new() { Name = "Kirjaudu" }).ClickAsync();
        await Assertions.Expect(phone.GetByRole(AriaRole.Heading, new() { Name = "Kaksivaiheinen tunnistautuminen", Level = 1 })).ToBeVisibleAsync();
        await phone.ShouldHaveLanguageTitleAndFocusedHeadingAsync("fi");
        await phone.ShouldPassAxeAsync();
        await phone.ShouldFitAPhoneAsync();
        await phone.GetByLabel("Koodi").FillAsync(recovery[0]);
        await phone.GetByRole(AriaRole.Button, new() { Name = "Vahvista" }).ClickAsync();
        await phone.WaitForURLAsync(u => u.Contains("/app/absences", StringComparison.Ordinal));
        await phone.GotoAsync(web.Url + "/app/profile");
        await Assertions.Expect(phone.GetByRole(AriaRole.Heading, new() { Name = "Todennussovellus" })).ToBeVisibleAsync();
        await Assertions.Expect(phone.Locator("main")).ToContainTextAsync("Varakoodeja jäljellä: 9.");
        await phone.ShouldPassAxeAsync();
        await phone.ShouldFitAPhoneAsync();

        // Turning off: a wrong password is refused; the password and a fresh code turn it off.
        await phone.GetByLabel("Salasana", new() { Exact = true }).FillAsync("not-the-password");
        await phone.GetByLabel("Koodi").FillAsync(await TotpTools.PyotpAsync(secret, DateTimeOffset.UtcNow.AddSeconds(30)));
        await phone.GetByRole(AriaRole.Button, new() { Name = "Poista käytöstä" }).ClickAsync();
        await Assertions.Expect(phone.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Tämä ei ole nykyinen salasanasi.");
        await phone.GetByLabel("Salasana", new() { Exact = true }).FillAsync(Password);
        await phone.GetByLabel("Koodi").FillAsync(await TotpTools.PyotpAsync(secret, DateTimeOffset.UtcNow.AddSeconds(30)));
        await phone.GetByRole(AriaRole.Button, new() { Name = "Poista käytöstä" }).ClickAsync();
        await Assertions.Expect(phone.GetByRole(AriaRole.Button, new() { Name = "Ota todennussovellus käyttöön" })).ToBeVisibleAsync();
        await phone.Context.CloseAsync();

        // Off again: the password alone signs in.
        var last = await web.NewPageAsync();
        await web.LogInAsync(last, "two.step", Password, "/app/week");
        await last.Context.CloseAsync();
    }

    [Fact]
    public async Task An_admin_asks_a_level_for_a_second_factor_and_such_a_person_sets_one_up_before_anything_else()
    {
        await web.CreateUserAsync("policy.admin", 5);
        await web.CreateUserAsync("policy.foreman", 4);
        var admin = await web.NewPageAsync();
        await web.LogInAsync(admin, "policy.admin", Password, "/app/admin/security");
        (await admin.TitleAsync()).ShouldBe("Sign-in security – Worktime");
        await admin.ShouldPassAxeAsync();
        await admin.GetByLabel("Level 4").CheckAsync();
        await SaveAsync(admin);
        await Assertions.Expect(admin.GetByRole(AriaRole.Status)).ToContainTextAsync("Saved.");
        await Assertions.Expect(admin.GetByLabel("Level 4")).ToBeCheckedAsync();
        await Assertions.Expect(admin.GetByLabel("Level 5")).Not.ToBeCheckedAsync();
        await admin.ShouldPassAxeAsync();
        var (status, policy) = await web.ApiAsync(HttpMethod.Get, "/partner/security");
        status.ShouldBe(200);
        policy.GetProperty("second_factor_levels").EnumerateArray().Select(l => l.GetInt64()).ShouldBe([4L]);

        // The foreman's login ends on the set-up, and another page sends them back there.
        var page = await web.NewPageAsync();
        await web.LogInAsync(page, "policy.foreman", Password, "/app/balance");
        await page.WaitForURLAsync(u => u.Contains("/app/profile?return=%2Fapp%2Fbalance", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("#policy-notice")).ToHaveTextAsync("Your company requires a second factor for your account. Set one up before you continue.");
        await page.ShouldPassAxeAsync();
        await page.GotoAsync(web.Url + "/app/team");
        await page.WaitForURLAsync(u => u.Contains("/app/profile?return=%2Fapp%2Fteam", StringComparison.Ordinal));
        await page.GetByRole(AriaRole.Button, new() { Name = "Set up authenticator app" }).ClickAsync();
        var secret = (await page.Locator("#secret-key").InnerTextAsync()).Replace(" ", "", StringComparison.Ordinal);
        await page.GetByLabel("Code").FillAsync(await TotpTools.PyotpAsync(secret, DateTimeOffset.UtcNow));
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await Assertions.Expect(page.Locator("ol.recovery-codes li")).ToHaveCountAsync(10);
        await Assertions.Expect(page.Locator("#policy-notice")).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Link, new() { Name = "Done" }).ClickAsync();
        await page.WaitForURLAsync(u => u.Contains("/app/team", StringComparison.Ordinal) && !u.Contains("/app/profile", StringComparison.Ordinal));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).Not.ToHaveTextAsync("Profile");
        await page.Context.CloseAsync();

        // The admin takes the level off again.
        await admin.GetByLabel("Level 4").UncheckAsync();
        await SaveAsync(admin);
        await Assertions.Expect(admin.GetByLabel("Level 4")).Not.ToBeCheckedAsync();
        (await web.ApiAsync(HttpMethod.Get, "/partner/security")).Body.GetProperty("second_factor_levels").GetArrayLength().ShouldBe(0);
        await admin.Context.CloseAsync();
    }

    /// <summary>Saves the admin page's form and waits for the server's answer (the boxes change in the browser before it).</summary>
    private static Task<IResponse> SaveAsync(IPage page) =>
        page.RunAndWaitForResponseAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync(),
            response => response.Request.Method == "POST" && response.Url.Contains("/app/admin/security", StringComparison.Ordinal));

    private async Task PasswordStepAsync(IPage page, string username, string path)
    {
        await page.GotoAsync(web.Url + path);
        await page.GetByLabel("Username").FillAsync(username);
        await page.GetByLabel("Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await page.WaitForURLAsync(u => u.Contains("/app/login/code", StringComparison.Ordinal));
    }
}
