using System.Net;
using System.Net.Sockets;
using Worktime.Api.Tests.MultiNode;

using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.Cli;

/// <summary>
/// The command line as an operator meets it, through the real binary: help and version never start anything,
/// mistakes are one line with exit 2, a failed start is one line with exit 1 (issue 11 §2).
/// </summary>
[VariesWith(Vary.Culture)]
public sealed class CommandLineTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("worktime-cli-").FullName;

    private string DatabaseFile => Path.Combine(_dir, "never-created.db");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("--version")]
    [InlineData("serve --help")]
    [InlineData("user add --help")]
    [InlineData("audit -h")]
    [InlineData("db migrate --help")]
    public async Task HelpAndVersion_PrintAndExitZero_WithoutTouchingTheDatabase(string command)
    {
        var result = await WorktimeCli.RunAsync([.. command.Split(' '), "--db", $"Data Source={DatabaseFile}"]);

        result.ExitCode.ShouldBe(0, result.Stderr);
        result.Stdout.Trim().ShouldNotBeEmpty();
        result.Stdout.ShouldNotContain("admin password");
        File.Exists(DatabaseFile).ShouldBeFalse();
    }

    [Theory]
    [InlineData("frobnicate", "unknown command or option 'frobnicate'")]
    [InlineData("user add --bogus 1", "unknown command or option '--bogus'")]
    [InlineData("serve --bogus", "unknown command or option '--bogus'")]
    [InlineData("user add --partner x --username a --level 1", "--partner")]
    [InlineData("serve --urls", "--urls")]
    public async Task UnknownCommandsAndBadOptions_AreOneLine_AndExitTwo(string command, string mentions)
    {
        var result = await WorktimeCli.RunAsync(["--db", $"Data Source={DatabaseFile}", .. command.Split(' ')]);

        result.ExitCode.ShouldBe(2);
        result.Stderr.TrimEnd().Split('\n').Length.ShouldBe(1, result.Stderr);
        result.Stderr.ShouldContain(mentions);
        File.Exists(DatabaseFile).ShouldBeFalse();
    }

    [Fact]
    public async Task APortAlreadyInUse_IsOneLine_AndExitOne()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var result = await WorktimeCli.RunAsync(["serve", "--urls", $"http://127.0.0.1:{port}", "--db", $"Data Source={Path.Combine(_dir, "port.db")}"]);

        result.ExitCode.ShouldBe(1);
        result.Stderr.TrimEnd().Split('\n').Length.ShouldBe(1, result.Stderr);
        result.Stderr.ShouldContain("address already in use");
        (result.Stdout + result.Stderr).ShouldNotContain("   at ");
    }

    [Fact]
    public async Task AnUnreachableDatabase_IsOneLine_WithoutTheConnectionString_AndExitOne()
    {
        using var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop(); // nothing listens there now

        var result = await WorktimeCli.RunAsync(
            ["serve", "--db", $"Host=127.0.0.1;Port={port};Username=worktime;Password=secret-in-connection-string;Timeout=5"]);

        result.ExitCode.ShouldBe(1);
        result.Stderr.TrimEnd().Split('\n').Length.ShouldBe(1, result.Stderr);
        result.Stderr.ShouldContain("cannot use the database");
        (result.Stdout + result.Stderr).ShouldNotContain("secret-in-connection-string");
        (result.Stdout + result.Stderr).ShouldNotContain("   at ");
    }

    [Fact]
    public async Task ConfigurationOverrides_PassThroughToTheHost_AndBadValuesAreOneLine()
    {
        var result = await WorktimeCli.RunAsync(["--Auth:Issuer=", "--db", $"Data Source={Path.Combine(_dir, "config.db")}"]);

        result.ExitCode.ShouldBe(1);
        result.Stderr.TrimEnd().Split('\n').Length.ShouldBe(1, result.Stderr);
        result.Stderr.ShouldContain("Auth:Issuer must be a non-empty string");
    }
}
