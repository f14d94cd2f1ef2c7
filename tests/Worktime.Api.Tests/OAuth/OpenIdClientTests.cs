using System.Text.Json;
using Microsoft.Playwright;
using Worktime.Api.Tests.ApiReference;
using Worktime.Api.Tests.Infrastructure;
using Worktime.Api.Tests.MultiNode;
using Worktime.Api.Tests.WebApp;

namespace Worktime.Api.Tests.OAuth;

/// <summary>
/// openid-client v6 (Node; installed by scripts/test into the tools folder) end to end against a real server: its
/// discovery (RFC 8414, issuer equality), <c>buildAuthorizationUrl</c> + <c>authorizationCodeGrant</c> with PKCE (it
/// checks <c>state</c> and RFC 9207's <c>iss</c>), and <c>initiateDeviceAuthorization</c> +
/// <c>pollDeviceAuthorizationGrant</c> (RFC 8628). The person's part — login, consent, the device page — runs in
/// Debian's Chromium through Playwright; the clients are registered with the built <c>worktime client add</c>.
/// </summary>
[VariesWith(Vary.Backend)]
public sealed class OpenIdClientTests(WebAppServer web) : IClassFixture<WebAppServer>
{
    private const string Callback = "http://127.0.0.1:9/openid-client/callback";

    private const string Script = """
        import { pathToFileURL } from 'node:url';
        const client = await import(pathToFileURL(process.env.OPENID_CLIENT).href);
        const [phase, base, clientId, ...rest] = process.argv.slice(2);
        const config = await client.discovery(new URL(base), clientId, undefined, client.None(), {
          algorithm: 'oauth2',
          execute: [client.allowInsecureRequests], // the test server speaks plain http on the loopback interface
        });
        const out = (value) => console.log('RESULT ' + JSON.stringify(value));
        async function me(tokens) {
          const answer = await client.fetchProtectedResource(config, tokens.access_token, new URL('/me', base), 'GET');
          return (await answer.json()).username;
        }
        if (phase === 'code-start') {
          const verifier = client.randomPKCECodeVerifier();
          const state = client.randomState();
          const url = client.buildAuthorizationUrl(config, {
            redirect_uri: rest[0], scope: 'api', state,
            code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
          });
          out({ url: url.href, verifier, state });
        } else if (phase === 'code-finish') {
          const [redirectUri, verifier, state, callback] = rest;
          const tokens = await client.authorizationCodeGrant(config, new URL(callback), { pkceCodeVerifier: verifier, expectedState: state },
            { redirect_uri: redirectUri });
          const renewed = await client.refreshTokenGrant(config, tokens.refresh_token);
          out({ username: await me(tokens), renewed: await me(renewed), keys: Object.keys(tokens).sort() });
        } else if (phase === 'device-start') {
          out(await client.initiateDeviceAuthorization(config, { scope: 'api' }));
        } else {
          const started = JSON.parse(rest[0]);
          const tokens = await client.pollDeviceAuthorizationGrant(config, started);
          out({ username: await me(tokens), keys: Object.keys(tokens).sort() });
        }
        """;

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
        var library = ExternalTools.Require(Path.Combine(ExternalTools.ToolsDir, "openid-client", "node_modules", "openid-client", "build", "index.js"));
        var script = Path.Combine(Path.GetTempPath(), $"worktime-openid-client-{Guid.NewGuid():N}.mjs");
        await File.WriteAllTextAsync(script, Script);
        try
        {
            var result = await ExternalTools.RunAsync("node", [script, phase, web.Url, clientId, .. more], Path.GetTempPath(),
                new Dictionary<string, string> { ["OPENID_CLIENT"] = library }, TimeSpan.FromMinutes(2));
            result.ShouldSucceed("openid-client " + phase);
            var line = result.Output.Split('\n').Single(l => l.StartsWith("RESULT ", StringComparison.Ordinal));
            return JsonDocument.Parse(line["RESULT ".Length..]).RootElement.Clone();
        }
        finally
        {
            File.Delete(script);
        }
    }
}
