using System.Text.Json;
using Microsoft.Playwright;
using Worktime.Api.Tests.ApiReference;
using Worktime.Api.Tests.Infrastructure;
using Worktime.Api.Tests.MultiNode;
using Worktime.Api.Tests.WebApp;

namespace Worktime.Api.Tests.OAuth;

/// <summary>
/// openid-client v6 (Node; <c>OAuth/node/</c>, installed there by scripts/test with <c>npm ci</c>) end to end against a real server: its
/// discovery (RFC 8414, issuer equality), <c>buildAuthorizationUrl</c> + <c>authorizationCodeGrant</c> with PKCE (it
/// checks <c>state</c> and RFC 9207's <c>iss</c>), and <c>initiateDeviceAuthorization</c> +
/// <c>pollDeviceAuthorizationGrant</c> (RFC 8628). The person's part — login, consent, the device page — runs in
/// Debian's Chromium through Playwright; the clients are registered with the built <c>worktime client add</c>. The new
/// pages (<c>/app/device</c>, <c>/app/apps</c>) are checked with axe, and on a 390 px phone in Finnish.
/// </summary>
// Once: what differs here is the client library, not the backend; the grants' SQL (codes, device grants, consents)
// runs on both backends in AuthorizationCodeTests, DeviceAuthorizationTests and ConnectedAppsTests.
[VariesWith(Vary.Nothing)]
public sealed class OpenIdClientTests(WebAppServer web) : IClassFixture<WebAppServer>
{
    private const string Callback = "http://127.0.0.1:9/openid-client/callback";

    /// <summary>The Node project of these tests: <c>flows.mjs</c> and the pinned openid-client (package-lock.json), installed by scripts/test.</summary>
    private static readonly string NodeFolder = Path.Combine(RepoPaths.Root, "tests", "Worktime.Api.Tests", "OAuth", "node");

    [Fact]
    public async Task AuthorizationCodeGrant_with_PKCE_through_login_and_consent()
    {
        await RegisterAsync("oidc-code", "--redirect-uri", Callback);
        await web.CreateUserAsync("oidc.code", 2);
        var start = await NodeAsync("code-start", "oidc-code", Callback);

        var page = await web.NewPageAsync();
        string? callback = null;
        await page.RouteAsync("http://127.0.0.1:9/**", async route =>
        {
            callback = route.Request.Url;
            await route.FulfillAsync(new() { Status = 200, Body = "back in the app" });
        });
        await page.GotoAsync(start.GetProperty("url").GetString()!);
        await LogInAsync(page, "oidc.code");
        await page.GetByRole(AriaRole.Button, new() { Name = "Allow" }).ClickAsync();
        await page.WaitForURLAsync(u => u.StartsWith(Callback, StringComparison.Ordinal));
        await page.Context.CloseAsync();

        var finish = await NodeAsync("code-finish", "oidc-code", Callback, start.GetProperty("verifier").GetString()!,
            start.GetProperty("state").GetString()!, callback!);
        finish.GetProperty("username").GetString().ShouldBe("oidc.code");
        finish.GetProperty("renewed").GetString().ShouldBe("oidc.code");
        finish.GetProperty("keys").EnumerateArray().Select(k => k.GetString()).ShouldBe(["access_token", "expires_in", "refresh_token", "token_type", "user_id"]);
    }

    [Fact]
    public async Task DeviceAuthorizationGrant_polls_until_the_person_allows_it_on_the_device_page()
    {
        await RegisterAsync("oidc-device", "--device");
        await web.CreateUserAsync("oidc.device", 2);
        var started = await NodeAsync("device-start", "oidc-device");
        var complete = started.GetProperty("verification_uri_complete").GetString()!;
        complete.ShouldBe(web.Url + "/app/device?user_code=" + started.GetProperty("user_code").GetString());

        var poll = NodeAsync("device-poll", "oidc-device", started.GetRawText()); // polls while the person decides
        var page = await web.NewPageAsync();
        await page.GotoAsync(complete);
        await LogInAsync(page, "oidc.device");
        (await page.GetByLabel("Code shown on the device").InputValueAsync()).ShouldBe(started.GetProperty("user_code").GetString());
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Allow" }).ClickAsync();
        await page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Done. You can go back to your device." }).WaitForAsync();
        (await page.ShouldPassAxeAsync()).ShouldBe(0);
        await page.Context.CloseAsync();

        var finish = await poll;
        finish.GetProperty("username").GetString().ShouldBe("oidc.device");
        finish.GetProperty("keys").EnumerateArray().Select(k => k.GetString()).ShouldBe(["access_token", "expires_in", "refresh_token", "token_type", "user_id"]);

        // The person finds the device among their apps (Finnish, on a phone) and withdraws it.
        var phone = await web.NewPageAsync("fi-FI", phone: true);
        await web.LogInInFinnishAsync(phone, "oidc.device", "pw-correct-horse-web", "/app/apps");
        await phone.GetByRole(AriaRole.Heading, new() { Name = "Yhdistetyt sovellukset" }).WaitForAsync();
        (await phone.ShouldPassAxeAsync()).ShouldBe(0);
        await phone.ShouldFitAPhoneAsync();
        await phone.GetByRole(AriaRole.Button, new() { Name = "Peru lupa: OpenID Client oidc-device" }).ClickAsync();
        await phone.GetByRole(AriaRole.Status).Filter(new() { HasText = "Sovelluksen OpenID Client oidc-device lupa peruttiin." }).WaitForAsync();
        (await phone.GetByText("Mikään sovellus ei voi käyttää Worktimea sinuna.").CountAsync()).ShouldBe(1);
        await phone.GotoAsync(web.Url + "/app/device");
        await phone.GetByLabel("Laitteen näyttämä koodi").WaitForAsync();
        (await phone.ShouldPassAxeAsync()).ShouldBe(0);
        await phone.ShouldFitAPhoneAsync();
        await phone.Context.CloseAsync();
    }

    private async Task RegisterAsync(string id, params string[] options)
    {
        var result = await WorktimeCli.RunAsync(["client", "add", "--id", id, "--name", "OpenID Client " + id, .. options, "--db", web.ConnectionString]);
        result.ExitCode.ShouldBe(0, result.Stderr);
    }

    private static async Task LogInAsync(IPage page, string username)
    {
        await page.GetByLabel("Username").FillAsync(username);
        await page.GetByLabel("Password").FillAsync("pw-correct-horse-web");
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
    }

    private async Task<JsonElement> NodeAsync(string phase, string clientId, params string[] more)
    {
        ExternalTools.Require(Path.Combine(NodeFolder, "node_modules", "openid-client", "package.json"));
        var result = await ExternalTools.RunAsync("node", [Path.Combine(NodeFolder, "flows.mjs"), phase, web.Url, clientId, .. more], NodeFolder,
            timeout: TimeSpan.FromMinutes(2));
        result.ShouldSucceed("openid-client " + phase);
        var line = result.Output.Split('\n').Single(l => l.StartsWith("RESULT ", StringComparison.Ordinal));
        return JsonDocument.Parse(line["RESULT ".Length..]).RootElement.Clone();
    }
}
