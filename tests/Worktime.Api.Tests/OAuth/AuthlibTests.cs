using System.Text.Json;
using Microsoft.Playwright;
using Worktime.Api.Tests.ApiReference;
using Worktime.Api.Tests.Exports;
using Worktime.Api.Tests.Infrastructure;
using Worktime.Api.Tests.MultiNode;
using Worktime.Api.Tests.WebApp;

namespace Worktime.Api.Tests.OAuth;

/// <summary>
/// A real client library end to end (docs/auth.md, "Authorization code with PKCE"): Python authlib's
/// <c>OAuth2Session</c> with <c>code_challenge_method='S256'</c> (Debian's python3-authlib) makes the authorization URL
/// and redeems the code; the person's part — the web app's login page, the consent page — runs in Debian's Chromium
/// through Playwright. The clients are registered with the built <c>worktime client add</c>. One server and browser for
/// the class.
/// </summary>
// Once: what differs here is the client library, not the backend; the grants' SQL (codes, device grants, consents)
// runs on both backends in AuthorizationCodeTests, DeviceAuthorizationTests and ConnectedAppsTests.
[VariesWith(Vary.Nothing)]
public sealed class AuthlibTests(WebAppServer web) : IClassFixture<WebAppServer>
{
    /// <summary>A loopback redirect nothing listens on: the browser's request to it is caught by the test.</summary>
    private const string Callback = "http://127.0.0.1:9/authlib/callback";

    private const string Script = """
        import json, os, sys
        os.environ["AUTHLIB_INSECURE_TRANSPORT"] = "1"  # the test server speaks plain http on the loopback interface
        import requests
        from authlib.common.security import generate_token
        from authlib.integrations.requests_client import OAuth2Session

        phase, base, client_id, redirect_uri = sys.argv[1:5]
        meta = requests.get(base + "/.well-known/oauth-authorization-server").json()
        if phase == "start":
            session = OAuth2Session(client_id, redirect_uri=redirect_uri, scope="api", code_challenge_method="S256",
                                    token_endpoint_auth_method="none")
            verifier = generate_token(64)
            url, state = session.create_authorization_url(meta["authorization_endpoint"], code_verifier=verifier)
            print("RESULT " + json.dumps({"url": url, "state": state, "verifier": verifier}))
        else:
            state, verifier, callback = sys.argv[5:8]
            session = OAuth2Session(client_id, redirect_uri=redirect_uri, state=state, code_challenge_method="S256",
                                    token_endpoint_auth_method="none")
            token = session.fetch_token(meta["token_endpoint"], authorization_response=callback, code_verifier=verifier)
            me = session.get(base + "/me")
            me.raise_for_status()
            refreshed = session.refresh_token(meta["token_endpoint"])
            me_again = session.get(base + "/me")
            me_again.raise_for_status()
            print("RESULT " + json.dumps({"keys": sorted(token.keys()), "username": me.json()["username"],
                              "rotated": refreshed["refresh_token"] != token["refresh_token"],
                              "username_after_refresh": me_again.json()["username"]}))
        """;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task OAuth2Session_with_S256_signs_a_person_in_through_the_login_page(bool firstParty)
    {
        var clientId = firstParty ? "authlib-first" : "authlib-third";
        var username = firstParty ? "authlib.first" : "authlib.third";
        List<string> add = ["client", "add", "--id", clientId, "--name", "Authlib " + (firstParty ? "First" : "Third"), "--redirect-uri", Callback,
            "--db", web.ConnectionString];
        if (firstParty)
        {
            add.Add("--first-party");
        }
        var registered = await WorktimeCli.RunAsync(add);
        registered.ExitCode.ShouldBe(0, registered.Stderr);
        await web.CreateUserAsync(username, 2);

        var start = await PythonAsync("start", clientId);
        var url = start.GetProperty("url").GetString()!;
        url.ShouldStartWith(web.Url + "/authorize?");
        url.ShouldContain("code_challenge_method=S256");

        var page = await web.NewPageAsync();
        string? callback = null;
        await page.RouteAsync("http://127.0.0.1:9/**", async route =>
        {
            callback = route.Request.Url;
            await route.FulfillAsync(new() { Status = 200, ContentType = "text/plain", Body = "back in the app" });
        });
        await page.GotoAsync(url);
        page.Url.ShouldStartWith(web.Url + "/app/login?return=%2Fauthorize%3F");
        await page.GetByLabel("Username").FillAsync(username);
        await page.GetByLabel("Password").FillAsync("pw-correct-horse-web");
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        if (!firstParty)
        {
            await page.GetByRole(AriaRole.Heading, new() { Name = "Allow Authlib Third to use Worktime as you?" }).WaitForAsync();
            (await page.ShouldPassAxeAsync()).ShouldBe(0);
            await page.GetByRole(AriaRole.Button, new() { Name = "Allow" }).ClickAsync();
        }
        await page.WaitForURLAsync(u => u.StartsWith(Callback, StringComparison.Ordinal));
        await page.Context.CloseAsync();

        callback.ShouldNotBeNull();
        callback.ShouldContain("iss=" + Uri.EscapeDataString(web.Url));
        var finish = await PythonAsync("finish", clientId, start.GetProperty("state").GetString()!, start.GetProperty("verifier").GetString()!, callback);
        finish.GetProperty("username").GetString().ShouldBe(username);
        finish.GetProperty("username_after_refresh").GetString().ShouldBe(username);
        finish.GetProperty("rotated").GetBoolean().ShouldBeTrue();
        finish.GetProperty("keys").EnumerateArray().Select(k => k.GetString()).ShouldBe(
            ["access_token", "expires_at", "expires_in", "refresh_token", "token_type", "user_id"]);
    }

    [Fact]
    public async Task The_login_of_an_authorization_is_throttled_exactly_as_POST_login()
    {
        var registered = await WorktimeCli.RunAsync(["client", "add", "--id", "throttled-app", "--name", "Throttled App", "--redirect-uri", Callback,
            "--first-party", "--db", web.ConnectionString]);
        registered.ExitCode.ShouldBe(0, registered.Stderr);
        await web.CreateUserAsync("authorize.throttled", 1);
        for (var attempt = 0; attempt < 5; attempt++) // Auth:Throttle:UserIpFailures: the (username, address) counter
        {
            using var failed = await TokenClient.PasswordAsync(web.Server, "authorize.throttled", "not-the-password");
            failed.StatusCode.ShouldBe(System.Net.HttpStatusCode.BadRequest);
        }
        var start = await PythonAsync("start", "throttled-app");

        var page = await web.NewPageAsync();
        var reachedApp = false;
        await page.RouteAsync("http://127.0.0.1:9/**", async route =>
        {
            reachedApp = true;
            await route.FulfillAsync(new() { Status = 200, Body = "back in the app" });
        });
        await page.GotoAsync(start.GetProperty("url").GetString()!);
        await page.GetByLabel("Username").FillAsync("authorize.throttled");
        await page.GetByLabel("Password").FillAsync("pw-correct-horse-web");
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();

        await page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "Too many failed attempts" }).WaitForAsync();
        page.Url.ShouldStartWith(web.Url + "/app/login?return=%2Fauthorize%3F");
        reachedApp.ShouldBeFalse();
        await page.Context.CloseAsync();
    }

    private async Task<JsonElement> PythonAsync(string phase, string clientId, params string[] more)
    {
        var script = Path.Combine(Path.GetTempPath(), $"worktime-authlib-{Guid.NewGuid():N}.py");
        await File.WriteAllTextAsync(script, Script);
        try
        {
            var result = await ExternalTools.RunAsync(IndependentReaders.Python, [script, phase, web.Url, clientId, Callback, .. more],
                Path.GetTempPath(), timeout: TimeSpan.FromMinutes(2));
            result.ShouldSucceed("authlib " + phase);
            var line = result.Output.Split('\n').Single(l => l.StartsWith("RESULT ", StringComparison.Ordinal));
            return JsonDocument.Parse(line["RESULT ".Length..]).RootElement.Clone();
        }
        finally
        {
            File.Delete(script);
        }
    }
}
