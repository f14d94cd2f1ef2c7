using System.Net;
using Worktime.Api.Tests.Cli;
using Worktime.Api.Tests.Infrastructure;
using static Worktime.Api.Tests.Infrastructure.HttpAnswers;
using static Worktime.Api.Tests.OAuth.OAuthFlow;

namespace Worktime.Api.Tests.OAuth;

/// <summary>
/// <c>worktime client add | list | remove</c> (docs/auth.md, "Registered clients"), run in-process on the app's database;
/// the effects are checked through HTTP: a registered client signs a person in, a removed one is refused and its
/// refresh tokens are dead.
/// </summary>
[Collection(SerialCollection.Name)]
[VariesWith(Vary.BackendAndCulture)]
public sealed class ClientCommandTests : IAsyncLifetime
{
    private WorktimeApplication _app = null!;

    public async Task InitializeAsync() => _app = await WorktimeApplication.StartAsync();

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private Task<(int Exit, string Out, string Err)> RunAsync(params string[] args) => CliRunner.RunAsync(_app.ConnectionString, null, args);

    [Fact]
    public async Task Add_list_sign_in_remove_and_the_removed_client_is_refused_with_its_refresh_tokens()
    {
        var (exit, stdout, stderr) = await RunAsync("client", "add", "--id", "mobile.app", "--name", "Mobile App",
            "--redirect-uri", Callback, "--redirect-uri", "com.example.mobile:/oauth", "--first-party");
        exit.ShouldBe(0, stderr);
        CliRunner.LastLine(stdout).ShouldBe("mobile.app");
        (exit, stdout, stderr) = await RunAsync("client", "add", "--id", "cli-tool", "--name", "CLI Tool", "--device");
        exit.ShouldBe(0, stderr);

        (exit, stdout, _) = await RunAsync("client", "list");
        exit.ShouldBe(0);
        var lines = stdout.TrimEnd().Split('\n');
        lines.Length.ShouldBe(2);
        lines[0].ShouldStartWith("cli-tool  third-party,device  ");
        lines[0].ShouldEndWith("  CLI Tool");
        lines[1].ShouldStartWith("mobile.app  first-party  ");
        lines[1].ShouldEndWith($"  Mobile App  {Callback}  com.example.mobile:/oauth");

        var (_, _, cookie) = await PersonAsync(_app);
        using var browser = Browser(_app);
        using var http = _app.CreateClient();
        var pkce = PkcePair.New();
        var tokens = await JsonAsync(await RedeemAsync(http, "mobile.app", await CodeAsync(browser, "mobile.app", pkce, cookie), pkce.Verifier),
            HttpStatusCode.OK);

        (exit, stdout, stderr) = await RunAsync("client", "remove", "mobile.app");
        exit.ShouldBe(0, stderr);

        var refresh = await JsonAsync(await http.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token", ["client_id"] = "mobile.app", ["refresh_token"] = tokens.GetProperty("refresh_token").GetString()!,
        })), HttpStatusCode.BadRequest);
        refresh.GetProperty("error").GetString().ShouldBe("invalid_client");
        using var page = await GetAsync(browser, AuthorizeQuery("mobile.app", PkcePair.New()), cookie);
        page.StatusCode.ShouldBe(HttpStatusCode.BadRequest); // an unknown client: the error page, no redirect
        page.Headers.Location.ShouldBeNull();
        (await RunAsync("client", "list")).Out.ShouldNotContain("mobile.app");
    }

    [Theory]
    [InlineData("no way back", new[] { "--id", "a1", "--name", "A" }, "at least one --redirect-uri")]
    [InlineData("plain http elsewhere", new[] { "--id", "a2", "--name", "A", "--redirect-uri", "http://app.example/cb" }, "plain http")]
    [InlineData("fragment", new[] { "--id", "a3", "--name", "A", "--redirect-uri", "https://app.example/cb#x" }, "fragment")]
    [InlineData("relative", new[] { "--id", "a4", "--name", "A", "--redirect-uri", "/cb" }, "not an absolute URI")]
    [InlineData("short scheme", new[] { "--id", "a5", "--name", "A", "--redirect-uri", "myapp:/cb" }, "private-use scheme")]
    [InlineData("bad id", new[] { "--id", "a b", "--name", "A", "--device" }, "the client id must be")]
    [InlineData("seed id", new[] { "--id", "openapi", "--name", "A", "--device" }, "Auth:Clients")]
    [InlineData("twice", new[] { "--id", "a6", "--name", "A", "--redirect-uri", "https://a.example/cb", "--redirect-uri", "https://a.example/cb" }, "given twice")]
    public async Task Add_refuses_what_cannot_be_a_safe_client_with_one_line_and_exit_1(string what, string[] options, string message)
    {
        var (exit, stdout, stderr) = await RunAsync(["client", "add", .. options]);

        exit.ShouldBe(1, what);
        stderr.Trim().Split('\n').Length.ShouldBe(1, what);
        stderr.ShouldContain(message, Case.Sensitive, what);
        stdout.ShouldBeEmpty(what);
    }

    [Fact]
    public async Task Add_an_existing_id_or_remove_an_unknown_one_exits_1()
    {
        (await RunAsync("client", "add", "--id", "dup", "--name", "Dup", "--device")).Exit.ShouldBe(0);

        var again = await RunAsync("client", "add", "--id", "dup", "--name", "Dup", "--device");
        again.Exit.ShouldBe(1);
        again.Err.ShouldContain("exists already");
        var unknown = await RunAsync("client", "remove", "nosuch");
        unknown.Exit.ShouldBe(1);
        unknown.Err.ShouldContain("no registered client 'nosuch'");
    }
}
