using System.Globalization;
using System.Text.RegularExpressions;
using Worktime.Api.Cli;
using Worktime.Api.Tests.Infrastructure;

using Worktime.Api.Tests.Forms;

namespace Worktime.Api.Tests.Demo;

/// <summary>Tests that swap <see cref="Console.Out"/> run alone.</summary>
[CollectionDefinition(nameof(ConsoleCollection), DisableParallelization = true)]
public sealed class ConsoleCollection;

/// <summary>The app on a database filled by <c>worktime demo --months 2 --workers 3</c> (the real command, in process).</summary>
public sealed class DemoFixture : IAsyncLifetime
{
    /// <summary>The app on the demo database (system clock: the demo fills the months around today).</summary>
    public WorktimeApplication App { get; } = new();

    public int ExitCode { get; private set; }

    public string Output { get; private set; } = "";

    public async Task InitializeAsync()
    {
        await App.InitializeAsync();
        (ExitCode, Output) = await RunCliAsync("demo", "--db", App.ConnectionString, "--months", "2", "--workers", "3");
    }

    public Task DisposeAsync() => App.DisposeAsync().AsTask();

    public static async Task<(int ExitCode, string Output)> RunCliAsync(params string[] args)
    {
        var original = Console.Out;
        using var output = new StringWriter();
        Console.SetOut(output);
        try
        {
            return (await CliApp.RunAsync(args, Cli.CliRunner.NoServer), output.ToString());
        }
        finally
        {
            Console.SetOut(original);
        }
    }

    public IReadOnlyList<(string Username, int Level, string Password)> Logins() => Parse(Output);

    public static IReadOnlyList<(string Username, int Level, string Password)> Parse(string output) =>
        Regex.Matches(output, @"^(?<user>demo\d+\.\S+)\s+(?<level>\d)\s+(?<password>\S+)\s*$", RegexOptions.Multiline | RegexOptions.ExplicitCapture)
            .Select(m => (m.Groups["user"].Value, int.Parse(m.Groups["level"].Value, CultureInfo.InvariantCulture), m.Groups["password"].Value)).ToList();

    /// <summary>The "N worktimes" count of the summary line.</summary>
    public int Printed(string plural) => int.Parse(Regex.Match(Output, $@"(\d+) {plural}\b").Groups[1].Value, CultureInfo.InvariantCulture);
}

[VariesWith(Vary.BackendAndCulture)]
[Collection(nameof(ConsoleCollection))]
public sealed class DemoCommandTests(DemoFixture demo) : IClassFixture<DemoFixture>
{
    private const string Always = "2000-01-01_2099-12-31";

    [Fact]
    public async Task Demo_PrintsOneLoginPerUser_AtEveryLevel_AndEachLogsIn()
    {
        demo.ExitCode.ShouldBe(0, demo.Output);
        var logins = demo.Logins();
        logins.Select(l => l.Level).ShouldBe([5, 4, 3, 2, 1, 1, 1]);
        foreach (var (username, level, password) in logins)
        {
            password.Length.ShouldBeGreaterThanOrEqualTo(16);
            using var client = await demo.App.LoginClientAsync(username, password);
            using var me = await client.GetAsync("/me");
            (await me.ShouldBeJsonAsync(200)).GetProperty("user").GetProperty("userlevel").GetInt32().ShouldBe(level);
        }
    }

    [Fact]
    public async Task Demo_GivesTheTourANonZeroBalance_WithCalendarExceptionsEmploymentsAndCorrections()
    {
        using var admin = await demo.App.LoginClientAsync(demo.Logins()[0].Username, demo.Logins()[0].Password);
        var worker = demo.Logins().First(l => l.Level == 1);
        using var workerClient = await demo.App.LoginClientAsync(worker.Username, worker.Password);

        using var saldo = await workerClient.GetAsync("/ttapi/saldo/get_current_saldo");

        var body = await saldo.ShouldBeJsonAsync(200);
        body.GetProperty("saldo").GetInt64().ShouldNotBe(0, body.ToString());
        body.GetProperty("worked_minutes").GetInt64().ShouldBeGreaterThan(0);
        body.GetProperty("expected_minutes").GetInt64().ShouldBeGreaterThan(0);
        (await CountAsync(admin, "/workdaydays")).ShouldBeGreaterThanOrEqualTo(4);
        (await CountAsync(admin, "/employments")).ShouldBe(2);
        (await CountAsync(admin, "/saldocorrections")).ShouldBe(1);
    }

    [Fact]
    public async Task Demo_FillsThePartner_WithLinkedProjectsWorktimesAndAbsences()
    {
        using var admin = await demo.App.LoginClientAsync(demo.Logins()[0].Username, demo.Logins()[0].Password);

        (await CountAsync(admin, "/users")).ShouldBe(7);
        (await CountAsync(admin, "/customers")).ShouldBe(4);
        (await CountAsync(admin, "/worktypes")).ShouldBe(3);
        (await CountAsync(admin, "/tasks")).ShouldBe(8);
        (await CountAsync(admin, "/abcensetypes")).ShouldBe(4);
        (await CountAsync(admin, $"/worktimes?date={Always}")).ShouldBe(demo.Printed("worktimes"));
        (await CountAsync(admin, $"/abcenses?startdate={Always}")).ShouldBe(demo.Printed("abcenses"));
        demo.Printed("worktimes").ShouldBeGreaterThan(100);
        using var projects = await admin.GetAsync("/projects");
        var list = (await projects.ShouldBeJsonAsync(200)).GetProperty("projects").EnumerateArray().ToList();
        list.Count.ShouldBe(6);
        foreach (var project in list)
        {
            using var one = await admin.GetAsync($"/projects/{project.Id()}");
            var linked = (await one.ShouldBeJsonAsync(200)).GetProperty("project").GetProperty("link.tasks").GetArrayLength();
            linked.ShouldBeInRange(3, 5);
            (await CountAsync(admin, $"/worktime/tasks?project={project.Id()}")).ShouldBe(linked);
        }
        using var days = await admin.GetAsync($"/worktimes?date={Always}&description=Demo day&limit=5");
        (await days.ShouldBeJsonAsync(200)).GetProperty("worktimes").EnumerateArray()
            .Select(w => w.GetProperty("work_hours").GetString()).ShouldAllBe(h => h == "8:00");
    }

    [Fact]
    public async Task Demo_Worker_SeesOnlyTheirOwnWorktimes()
    {
        var worker = demo.Logins().First(l => l.Level == 1);
        using var client = await demo.App.LoginClientAsync(worker.Username, worker.Password);
        using var me = await client.GetAsync("/me");
        var id = (await me.ShouldBeJsonAsync(200)).GetProperty("user").Id();

        using var response = await client.GetAsync($"/worktimes?date={Always}&limit=100");

        var rows = (await response.ShouldBeJsonAsync(200)).GetProperty("worktimes").EnumerateArray().ToList();
        rows.ShouldNotBeEmpty();
        rows.ShouldAllBe(r => r.GetProperty("user").GetInt64() == id);
    }

    [Fact]
    public async Task Demo_RunAgain_MakesASeparatePartner()
    {
        var (exit, output) = await DemoFixture.RunCliAsync("demo", "--db", demo.App.ConnectionString, "--name", "Second", "--months", "1", "--workers", "1");

        exit.ShouldBe(0, output);
        output.ShouldContain("Demo partner 'Second'");
        var admin = DemoFixture.Parse(output)[0];
        admin.Username.ShouldNotBe(demo.Logins()[0].Username);
        using var client = await demo.App.LoginClientAsync(admin.Username, admin.Password);
        (await CountAsync(client, "/users")).ShouldBe(5);
        (await CountAsync(client, "/projects")).ShouldBe(6);
    }

    [Theory]
    [InlineData("--months", "0")]
    [InlineData("--months", "25")]
    [InlineData("--workers", "0")]
    public async Task Demo_WithOutOfRangeOptions_FailsWithOneLine(string option, string value)
    {
        var original = Console.Error;
        using var error = new StringWriter();
        Console.SetError(error);
        try
        {
            var (exit, _) = await DemoFixture.RunCliAsync("demo", "--db", demo.App.ConnectionString, option, value);
            exit.ShouldBe(1);
        }
        finally
        {
            Console.SetError(original);
        }
        error.ToString().Trim().ShouldNotContain("\n");
        error.ToString().ShouldContain("--months");
    }

    private static async Task<int> CountAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        return (await response.ShouldBeJsonAsync(200)).GetProperty("count").GetInt32();
    }
}
