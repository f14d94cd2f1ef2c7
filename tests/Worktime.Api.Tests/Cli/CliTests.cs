using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Worktime.Api.Auth;
using Worktime.Api.Tests.Auth;
using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.Cli;

/// <summary>The CLI: user add/passwd/disable, keys list/rotate, audit, and the first-start admin. Effects checked over HTTP.</summary>
[VariesWith(Vary.BackendAndCulture)]
[Collection(SerialCollection.Name)]
public sealed partial class CliTests : IAsyncLifetime
{
    private WorktimeApplication _app = null!;
    private long _partner;

    public async Task InitializeAsync()
    {
        _app = await WorktimeApplication.StartAsync();
        _partner = await _app.CreatePartnerAsync("Cli Oy");
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private Task<(int Exit, string Out, string Err)> RunAsync(string? stdin, params string[] args) => CliRunner.RunAsync(_app.ConnectionString, stdin, args);

    private Task<(int Exit, string Out, string Err)> AddUserAsync(string username, string password = "cli-password-1") =>
        RunAsync(password + "\n", "user", "add", "--partner", _partner.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--username", username, "--level", "3", "--firstname", "Cli", "--lastname", "User", "--password-stdin");

    [Fact]
    public async Task UserAdd_PrintsTheIdLast_AndTheUserLogsIn()
    {
        var (exit, stdout, stderr) = await AddUserAsync("Cli.Added");

        exit.ShouldBe(0, stderr);
        var id = long.Parse(CliRunner.LastLine(stdout), System.Globalization.CultureInfo.InvariantCulture);
        var tokens = await _app.LoginAsync("cli.added", "cli-password-1");
        tokens.GetProperty("user_id").GetInt64().ShouldBe(id);
        using var me = await (await _app.LoginClientAsync("cli.added", "cli-password-1")).GetAsync("/me");
        var user = (await me.JsonAsync()).GetProperty("user");
        user.GetProperty("firstname").GetString().ShouldBe("Cli");
        user.GetProperty("userlevel").GetInt32().ShouldBe(3);
        stdout.ShouldNotContain("cli-password-1");
    }

    [Theory]
    [InlineData("duplicate", "A user with that username already exists.")]
    [InlineData("unknown-partner", "Partner 424242 does not exist.")]
    [InlineData("empty-stdin", "No password on stdin.")]
    public async Task UserAdd_OperatorMistake_ExitsOneWithOneLineOnStderr(string mistake, string message)
    {
        await AddUserAsync("taken");
        var partner = _partner.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var (exit, _, stderr) = mistake switch
        {
            "duplicate" => await AddUserAsync(" TAKEN "),
            "unknown-partner" => await RunAsync("pw\n", "user", "add", "--partner", "424242", "--username", "x1", "--level", "1", "--password-stdin"),
            _ => await RunAsync("", "user", "add", "--partner", partner, "--username", "x3", "--level", "1", "--password-stdin"),
        };

        exit.ShouldBe(1);
        stderr.TrimEnd().ShouldBe($"worktime: {message}");
    }

    [Theory]
    [InlineData("add")]
    [InlineData("passwd")]
    public async Task UserCommand_WithoutPasswordStdin_IsAWrongCommandLine_ExitTwo_AndCreatesNobody(string command)
    {
        await AddUserAsync("cli.nostdin");
        var partner = _partner.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var (exit, _, stderr) = command == "add"
            ? await RunAsync("pw\n", "user", "add", "--partner", partner, "--username", $"x2.{command}", "--level", "1")
            : await RunAsync("cli-password-9\n", "user", "passwd", "--username", "cli.nostdin");

        exit.ShouldBe(2);
        stderr.TrimEnd().Split('\n').Length.ShouldBe(1, stderr);
        stderr.ShouldContain("Give the password on stdin and pass --password-stdin (never on the command line).");
        (await _app.LoginAsync("cli.nostdin", "cli-password-1")).GetProperty("access_token").GetString().ShouldNotBeNullOrEmpty();
        (await RunAsync("cli-password-1\n", "user", "add", "--partner", partner, "--username", $"x2.{command}", "--level", "1", "--password-stdin")).Exit.ShouldBe(0);
    }

    [Fact]
    public async Task UserPasswd_SetsThePassword_AndRevokesRefreshTokens()
    {
        await AddUserAsync("cli.passwd");
        var refresh = (await _app.LoginAsync("cli.passwd", "cli-password-1")).GetProperty("refresh_token").GetString()!;

        var (exit, _, stderr) = await RunAsync("cli-password-2\n", "user", "passwd", "--username", "CLI.PASSWD", "--password-stdin");

        exit.ShouldBe(0, stderr);
        using var refreshed = await _app.CreateClient().RefreshGrantAsync(refresh);
        await refreshed.ShouldBeErrorAsync(400, "invalid_grant");
        using var old = await _app.ClientFrom("192.0.2.1").PasswordGrantAsync("cli.passwd", "cli-password-1");
        await old.ShouldBeErrorAsync(400, "invalid_grant", OAuthResults.InvalidGrantDescription);
        (await _app.LoginAsync("cli.passwd", "cli-password-2")).GetProperty("token_type").GetString().ShouldBe("Bearer");
    }

    [Fact]
    public async Task UserDisable_StopsLogins_AndRefreshTokens()
    {
        await AddUserAsync("cli.disable");
        var refresh = (await _app.LoginAsync("cli.disable", "cli-password-1")).GetProperty("refresh_token").GetString()!;

        var (exit, _, stderr) = await RunAsync(null, "user", "disable", "--username", "cli.disable");
        var (unknownExit, _, unknownErr) = await RunAsync(null, "user", "disable", "--username", "nobody.at.all");

        exit.ShouldBe(0, stderr);
        using var login = await _app.ClientFrom("192.0.2.2").PasswordGrantAsync("cli.disable", "cli-password-1");
        await login.ShouldBeErrorAsync(400, "invalid_grant", OAuthResults.InvalidGrantDescription);
        using var refreshed = await _app.CreateClient().RefreshGrantAsync(refresh);
        await refreshed.ShouldBeErrorAsync(400, "invalid_grant");
        unknownExit.ShouldBe(1);
        unknownErr.TrimEnd().ShouldBe("worktime: No user is called 'nobody.at.all'.");
    }

    [Fact]
    public async Task KeysRotate_MakesANewCurrentKey_KeysListShowsBoth_OldTokensStillValidate()
    {
        await AddUserAsync("cli.keys");
        var before = (await _app.LoginAsync("cli.keys", "cli-password-1")).GetProperty("access_token").GetString()!;
        var oldKid = TokenForge.Header(before).GetProperty("kid").GetString()!;

        var rotate = await RunAsync(null, "keys", "rotate");
        var newKid = CliRunner.LastLine(rotate.Out);
        var list = await RunAsync(null, "keys", "list");
        await _app.Services.GetRequiredService<SigningKeyRing>().ReloadAsync(); // what Auth:KeyRefreshInterval does
        var after = (await _app.LoginAsync("cli.keys", "cli-password-1")).GetProperty("access_token").GetString()!;
        using var old = await _app.BearerClient(before).GetAsync("/me");

        rotate.Exit.ShouldBe(0, rotate.Err);
        list.Exit.ShouldBe(0, list.Err);
        list.Out.ShouldMatch($@"{Regex.Escape(newKid)}\s+current\s");
        list.Out.ShouldMatch($@"{Regex.Escape(oldKid)}\s+retired\s");
        TokenForge.Header(after).GetProperty("kid").GetString().ShouldBe(newKid);
        old.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Audit_PrintsRecords_FilteredByUserAndSince()
    {
        await AddUserAsync("cli.audit");
        using (var wrong = await _app.ClientFrom("192.0.2.9").PasswordGrantAsync("cli.audit", "wrong"))
        {
            wrong.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        }
        await _app.LoginAsync("cli.audit", "cli-password-1");

        var mine = await RunAsync(null, "audit", "--user", "CLI.Audit", "--since", "1h");
        var future = await RunAsync(null, "audit", "--since", "2999-01-01");
        var bad = await RunAsync(null, "audit", "--since", "yesterday-ish");

        mine.Exit.ShouldBe(0, mine.Err);
        var lines = mine.Out.TrimEnd().Split('\n');
        lines.Select(l => l.Split("  ")[1]).ShouldBe(["user_created", "login_failed", "login_succeeded"]);
        lines.ShouldAllBe(l => l.Contains("username=cli.audit"));
        lines[1].ShouldContain("ip=192.0.2.9");
        future.Out.ShouldBeEmpty();
        bad.Exit.ShouldBe(1);
        bad.Err.ShouldContain("--since");
    }

    [Fact]
    public async Task FirstStart_CreatesDefaultPartnerAndAdmin_PrintsThePasswordOnce_NotToTheLog()
    {
        WorktimeApplication first = null!;
        var banner = await CliRunner.CaptureOutAsync(async () => first = await WorktimeApplication.StartAsync());
        first.KeepDatabase = true;
        var password = AdminPassword().Match(banner).Groups[1].Value;
        var tokens = await first.LoginAsync("admin", password);
        var claims = TokenForge.Payload(tokens.GetProperty("access_token").GetString()!);
        var partnerName = await first.ScalarAsync<string>("SELECT name FROM partners WHERE id = @id",
            new { id = long.Parse(claims.GetProperty("partnerid").GetString()!, System.Globalization.CultureInfo.InvariantCulture) });
        await first.DisposeAsync();

        WorktimeApplication second = null!;
        var secondBanner = await CliRunner.CaptureOutAsync(async () => second = await WorktimeApplication.StartAsync(o => o.Database = first.ConnectionString));
        await second.DisposeAsync();

        password.Length.ShouldBe(20);
        claims.GetProperty("userlevel").GetString().ShouldBe("5");
        partnerName.ShouldBe("Default");
        secondBanner.ShouldNotContain("password");
        CapturedLogs.All.ShouldNotContain(line => line.Contains(password));
    }

    [GeneratedRegex(@"admin password \(shown only this once\): (\S+)")]
    private static partial Regex AdminPassword();
}
