using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Worktime.Api.Tests.ApiReference;
using Worktime.Api.Tests.Infrastructure;
using Worktime.Api.Tests.MultiNode;

namespace Worktime.Api.Tests.WebApp;

/// <summary>
/// The server of a browser test class, and one headless Chromium (Debian's, through Playwright) for the whole class.
/// On SQLite: one real server (the built <c>worktime</c> as a separate process, Production, plain build output — as
/// <c>dotnet run</c> and an operator start it) on a fresh database. On PostgreSQL: two such nodes on one fresh
/// database behind a round-robin <see cref="RoundRobinProxy"/> with no sticky sessions, so every page, form post and
/// redirect of the same test code may land on either node (docs/webapp.md, "Shape"). Each test opens its own browser
/// context (own cookies). The admin is the one the first start creates; <see cref="CreateUserAsync"/> adds people
/// through the API.
/// </summary>
public sealed partial class WebAppServer : IAsyncLifetime
{
    public static readonly string[] ChromiumFlags =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
    ];

    private string _connectionString = "";
    private IPlaywright? _playwright;
    private string? _adminToken;
    private RoundRobinProxy? _proxy;
    private readonly Lock _adminSignIn = new();
    private Task<string>? _adminStorageState;

    /// <summary>The node the API calls of a test go to (node A on PostgreSQL; pages go through <see cref="Url"/>).</summary>
    public ServerProcess Server { get; private set; } = null!;

    /// <summary>The second node on PostgreSQL, else none.</summary>
    public ServerProcess? NodeB { get; private set; }

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where the browser goes: the proxy in front of both nodes on PostgreSQL, else the one server.</summary>
    public string Url => (_proxy?.BaseAddress ?? Server.BaseAddress).ToString().TrimEnd('/');

    /// <summary>The node's database, for the command line (worktime client add --db …).</summary>
    public string ConnectionString => _connectionString;

    public string AdminPassword { get; private set; } = "";

    /// <summary>Extra settings of the node (environment variables, <c>Section__Key</c>).</summary>
    public Dictionary<string, string> Settings { get; } = new()
    {
        ["Auth__Argon2__MemoryKiB"] = "8192",
        ["Auth__Argon2__Iterations"] = "1",
        // A refusal outlasts the test whatever the clock's second (the default first window is 1 s).
        ["Auth__Throttle__BaseDelay"] = "00:01:00",
        // No re-compilation of hot methods (tier 1) in a node that lives for one class: it cost the node more CPU than
        // all its requests did (10 sign-ins: 3.1 s of CPU with it, 0.8 s without); the code and its answers are the same.
        ["DOTNET_TC_CallCounting"] = "0",
    };

    public async Task InitializeAsync()
    {
        // A copy of the suite's migrated database (the nodes' first start still makes the signing key and the admin);
        // two nodes migrating an empty database together is MultiNode/TwoNodes' start.
        _connectionString = await TestBackend.CreateMigratedDatabaseAsync();
        var twoNodes = TestBackend.IsPostgres;
        // The address people use (the proxy's, or the one server's) is the issuer, whichever node signs.
        var port = ServerProcess.FreePort();
        var environment = new Dictionary<string, string>(Settings)
        {
            ["ConnectionStrings__Worktime"] = _connectionString,
            ["Auth__Issuer"] = $"http://127.0.0.1:{port}",
            ["Auth__Audience"] = $"http://127.0.0.1:{port}",
        };
        if (twoNodes)
        {
            // Both nodes re-read the signing keys often, as in MultiNode/TwoNodes. The user-state cache is off: a
            // test checks that a change (a new password, a deactivation) ends a session at once, whichever node the
            // next request reaches; the 15 s bound between nodes is the API's, tested in MultiNode.
            environment["Auth__KeyRefreshInterval"] = "00:00:02";
            environment["Auth__UserStateCacheDuration"] = "00:00:00";
        }
        // Both nodes start together, as a new installation's rolling start would.
        Server = ServerProcess.Start(environment, twoNodes ? null : port);
        NodeB = twoNodes ? ServerProcess.Start(environment) : null;
        var launch = LaunchBrowserAsync();
        await Task.WhenAll(Server.WaitReadyAsync(), NodeB?.WaitReadyAsync() ?? Task.CompletedTask);
        if (NodeB is not null)
        {
            _proxy = await RoundRobinProxy.StartAsync(port, [Server.BaseAddress, NodeB.BaseAddress]);
        }
        // One of them made the first admin and printed its password.
        var printed = Server.Output + NodeB?.Output;
        AdminPassword = AdminPasswordLine().Match(printed) is { Success: true } match
            ? match.Groups[1].Value
            : throw new InvalidOperationException("The first start printed no admin password:\n" + printed);
        (_playwright, Browser) = await launch;
    }

    public static async Task<(IPlaywright, IBrowser)> LaunchBrowserAsync()
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ExternalTools.Chromium, Headless = true, Args = ChromiumFlags,
        });
        return (playwright, browser);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        _playwright?.Dispose();
        if (_proxy is not null)
        {
            await _proxy.DisposeAsync();
        }
        await Task.WhenAll(Server.DisposeAsync().AsTask(), NodeB?.DisposeAsync().AsTask() ?? Task.CompletedTask);
        await TestBackend.DropDatabaseAsync(_connectionString);
    }

    /// <summary>A new browser context (no cookies) and page: desktop size unless a phone is asked for.</summary>
    public Task<IPage> NewPageAsync(string locale = "en-GB", bool phone = false) => NewPageAsync(locale, phone, storageState: null);

    private async Task<IPage> NewPageAsync(string locale, bool phone, string? storageState)
    {
        var context = await Browser.NewContextAsync(new()
        {
            Locale = locale,
            ViewportSize = phone ? new() { Width = 390, Height = 844 } : new() { Width = 1280, Height = 900 },
            IsMobile = phone,
            HasTouch = phone,
            StorageState = storageState,
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(20_000);
        return page;
    }

    /// <summary>
    /// A new context signed in as the first-start admin, on <paramref name="path"/>: the admin signs in through the login
    /// page once per class (<see cref="LogInAsync"/>) and later contexts start from that context's cookies (Playwright's
    /// storage state), as a second tab of the same browser would. For tests whose subject is not the sign-in itself;
    /// no test of a class that uses it may end the admin's sessions.
    /// </summary>
    public async Task<IPage> NewAdminPageAsync(string path)
    {
        var page = await NewPageAsync("en-GB", phone: false, await AdminStorageStateAsync());
        await page.GotoAsync(Url + path);
        page.Url.ShouldNotContain("/app/login", Case.Sensitive, "the admin's stored session no longer signs in");
        return page;
    }

    private Task<string> AdminStorageStateAsync()
    {
        lock (_adminSignIn)
        {
            return _adminStorageState ??= SignInAdminAsync();
        }
    }

    private async Task<string> SignInAdminAsync()
    {
        var page = await NewPageAsync();
        await LogInAsync(page, "admin", AdminPassword);
        var state = await page.Context.StorageStateAsync();
        await page.Context.CloseAsync();
        return state;
    }

    /// <summary>Logs in through the login page as a person would (keyboard only) and waits for the page after it.</summary>
    public async Task LogInAsync(IPage page, string username, string password, string path = "/app/")
    {
        await page.GotoAsync(Url + path);
        await page.GetByLabel("Username").FillAsync(username);
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync(password);
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(u => !u.Contains("/app/login", StringComparison.Ordinal));
    }

    /// <summary>The login page in Finnish (a fi-FI browser: "Käyttäjätunnus", "Salasana", "Kirjaudu"), then the page asked for.</summary>
    public async Task LogInInFinnishAsync(IPage page, string username, string password, string path)
    {
        await page.GotoAsync(Url + path);
        await page.GetByLabel("Käyttäjätunnus").FillAsync(username);
        await page.GetByLabel("Salasana").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Kirjaudu" }).ClickAsync();
        await page.WaitForURLAsync(u => !u.Contains("/app/login", StringComparison.Ordinal));
    }

    /// <summary>An access token of the first-start admin (through POST /login).</summary>
    public async Task<string> AdminTokenAsync() =>
        _adminToken ??= (await TokenClient.LoginAsync(Server, "admin", AdminPassword)).Access;

    /// <summary>POST/PUT/GET through the API as the admin (or a given token); the answer's JSON.</summary>
    public async Task<(int Status, JsonElement Body)> ApiAsync(HttpMethod method, string path, object? body = null, string? token = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token ?? await AdminTokenAsync());
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        using var response = await Server.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>A user of the admin's partner through the users form; answers its id.</summary>
    public async Task<long> CreateUserAsync(string username, int level, string password = "pw-correct-horse-web", string firstname = "Test",
        string lastname = "Person")
    {
        var (status, body) = await ApiAsync(HttpMethod.Post, "/users", new
        {
            user = new { username, password, userlevel = level, firstname, lastname },
        });
        status.ShouldBe(201, body.ToString());
        return body.GetProperty("user").GetProperty("id").GetInt64();
    }

    [GeneratedRegex(@"admin password \(shown only this once\): (\S+)")]
    private static partial Regex AdminPasswordLine();
}
