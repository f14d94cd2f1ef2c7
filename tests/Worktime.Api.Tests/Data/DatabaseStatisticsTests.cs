using Dapper;
using Worktime.Api.Data;
using Worktime.Api.Tests.Forms;
using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.Data;

/// <summary>
/// docs/deploy.md, "Statistics": the server keeps SQLite's planner statistics itself, with <c>PRAGMA optimize</c>
/// at start and every <c>Database:OptimizeInterval</c>: a table that gained rows since is analysed on the next run,
/// with nobody running ANALYZE. The interval is waited on the fake clock.
/// </summary>
[VariesWith(Vary.Backend)]
public sealed class DatabaseStatisticsTests
{
    [SqlitePassFact("SQLite's own statistics: PostgreSQL's are autovacuum's.")]
    public async Task ATableFilledThroughTheApi_IsAnalysed_ByTheNextPeriodicRun()
    {
        var interval = TimeSpan.FromMinutes(7); // a due time no other timer of the app has
        await using var app = new WorktimeApplication(o =>
        {
            o.FakeClock = true;
            o.Settings["Database:OptimizeInterval"] = "00:07:00";
        });
        var waiting = app.Clock.TimerCreatedAsync(interval); // before the start: the service's first sleep follows at once
        await app.InitializeAsync();
        _ = app.Server;
        var statistics = app.Service<DatabaseStatistics>();
        await statistics.FirstRun.WaitAsync(HangGuard.Timeout);
        (await AnalysedAsync(app, "worktimes")).ShouldBeFalse("an empty table has nothing to measure at start");

        var tenant = await Tenant.CreateAsync(app, [5]);
        var project = (await tenant.Admin.Client.CreateAsync("projects", "project", new { name = "Bridge" })).Id();
        for (var day = 1; day <= 20; day++)
        {
            await tenant.Admin.Client.CreateAsync("worktimes", "worktime",
                new { date = $"2026-11-{day:00}", user = tenant.Admin.Id, project, starttime = "08:00", endtime = "16:00" });
        }
        await waiting.WaitAsync(HangGuard.Timeout); // the service sleeps until the next run
        var next = statistics.NextRunAsync();
        app.Clock.Advance(interval);
        await next.WaitAsync(HangGuard.Timeout);

        (await AnalysedAsync(app, "worktimes")).ShouldBeTrue();
        (await AnalysedAsync(app, "projects")).ShouldBeTrue();
        statistics.Runs.ShouldBe(2);
    }

    /// <summary>PostgreSQL: the check at start reads autovacuum's setting (on, on the test server) and says nothing.</summary>
    [Fact]
    public async Task TheRunAtStart_EndsWithoutAWarning_WhenTheDatabaseKeepsItsStatistics()
    {
        await using var app = await WorktimeApplication.StartAsync(o => o.FakeClock = true);
        var statistics = app.Service<DatabaseStatistics>();

        await statistics.FirstRun.WaitAsync(HangGuard.Timeout);

        statistics.Runs.ShouldBe(TestBackend.IsPostgres ? 0 : 1); // PostgreSQL: no optimize to run, only the check
        CapturedLogs.All.ShouldNotContain(line => line.Contains("autovacuum is off", StringComparison.Ordinal));
    }

    private static async Task<bool> AnalysedAsync(WorktimeApplication app, string table)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection(app.ConnectionString + ";Pooling=False");
        await connection.OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM sqlite_schema WHERE name = 'sqlite_stat1'") > 0
            && await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = @table", new { table }) > 0;
    }
}
