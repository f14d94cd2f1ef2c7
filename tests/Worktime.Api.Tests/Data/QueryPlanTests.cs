using System.Data.Common;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Worktime.Api.Data;
using Worktime.Api.Forms.Definitions;
using Worktime.Api.Tests.Forms;
using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.Data;

/// <summary>
/// docs/forms.md, "Query plans": every statement the server runs for its API, on a database with 100,000 rows in
/// each form that grows with time (a tenth of that for a second partner), uses its key or an index — first with no
/// statistics at all (a database filled by its users), then again after ANALYZE. The statements are not a list
/// kept here: the server is driven through every route, with requests generated from the form definitions
/// (<see cref="PlanTraffic"/>), and every statement it runs is recorded as its database saw it
/// (<see cref="StatementRecorder"/>) and explained (<see cref="QueryPlans"/>). A new form, field, filter or
/// route is covered the day it is added; a new route no request reaches fails <see cref="PlanTraffic.Unreached"/>.
/// The rows are seeded in bulk inside the database (<see cref="PlanData"/>): this tests plans, not writes.
/// </summary>
[VariesWith(Vary.Backend)]
public sealed class QueryPlanTests : IAsyncLifetime
{
    private const string Password = "pw-plan-test-1";
    private readonly StatementRecorder _recorder = new();
    private WorktimeApplication _app = null!;

    public async Task InitializeAsync()
    {
        _app = await WorktimeApplication.StartAsync(o =>
        {
            o.FakeClock = true;
            o.Settings["RateLimit:RequestsPerWindow"] = "100000000";
            o.Services = services =>
            {
                services.AddSingleton(_recorder);
                services.AddSingleton<IStatementObserver>(_recorder);
                services.AddSingleton<IStartupFilter>(_recorder);
            };
        });
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task EveryStatement_UsesItsKeyOrAnIndex_WithoutStatistics_AndAfterAnalyze()
    {
        await _app.Service<DatabaseStatistics>().FirstRun.WaitAsync(HangGuard.Timeout);
        await using (var setup = await PlanData.OpenAsync(_app))
        {
            await KeepStatisticsAwayAsync(setup);
        }
        // Opened after: a SQLite connection keeps the statistics it loaded when its schema was read, even after the
        // table that held them is dropped.
        await using var connection = await PlanData.OpenAsync(_app);
        var registry = _app.Service<FormRegistry>();
        var partner = await _app.CreatePartnerAsync("Plans", "fi");
        var adminId = await _app.CreateUserAsync(partner, "plans.admin", 5, Password);
        var workerId = await _app.CreateUserAsync(partner, "plans.worker", 1, Password);
        var otherPartner = await _app.CreatePartnerAsync("Neighbour", "fi");
        var rows = await PlanData.SeedAsync(connection, registry, partner, adminId);
        await PlanData.SeedAsync(connection, registry, otherPartner, await _app.CreateUserAsync(otherPartner, "plans.other", 5, Password), divisor: 10);
        using var adminClient = await _app.LoginClientAsync("plans.admin", Password);
        using var workerClient = await _app.LoginClientAsync("plans.worker", Password);
        var traffic = new PlanTraffic(_app, registry, rows,
            new TenantUser(adminId, 5, "plans.admin", adminClient), new TenantUser(workerId, 1, "plans.worker", workerClient), Password);
        var plans = QueryPlans.For(connection);
        await plans.LoadSchemaAsync();

        (await StatisticsAsync(connection)).ShouldBe(0, "the first pass runs without statistics");
        var withoutStatistics = await RunAndJudgeAsync(traffic, plans);
        await connection.ExecuteAsync("ANALYZE", commandTimeout: 300, commandType: System.Data.CommandType.Text); // one word: Dapper would take it for a procedure
        (await StatisticsAsync(connection)).ShouldBeGreaterThan(0);
        var afterAnalyze = await RunAndJudgeAsync(traffic, plans);

        traffic.Unreached().ShouldBeEmpty("every route is reached by a request of PlanTraffic (add one for a new route)");
        traffic.Failures.ShouldBeEmpty();
        withoutStatistics.Shapes.ShouldBeGreaterThan(100); // the traffic did reach the engine's queries
        var findings = withoutStatistics.Findings.Select(f => "without statistics: " + f)
            .Concat(afterAnalyze.Findings.Select(f => "after ANALYZE: " + f)).ToList();
        findings.ShouldBeEmpty($"{findings.Count} statements read a partner's rows where a key or index lookup exists:\n"
            + string.Join("\n", findings));
    }

    private async Task<(int Shapes, List<PlanFinding> Findings)> RunAndJudgeAsync(PlanTraffic traffic, QueryPlans plans)
    {
        _recorder.Take();
        await traffic.RunAsync();
        var shapes = _recorder.Take().Where(s => QueryPlans.Explainable(s.Sql))
            .GroupBy(plans.ShapeOf).Select(g => g.First()).ToList();
        var findings = new List<PlanFinding>();
        foreach (var statement in shapes)
        {
            if (await plans.JudgeAsync(statement) is { } finding)
            {
                findings.Add(finding);
            }
        }
        return (shapes.Count, findings);
    }

    /// <summary>
    /// No statistics for the first pass: SQLite's come from the server's start-up <c>PRAGMA optimize</c> on the
    /// still empty tables (dropped here; the periodic run waits on the fake clock), PostgreSQL's from autovacuum
    /// (off for this database's tables, so the seeded rows stay unanalysed until the test says).
    /// </summary>
    private static async Task KeepStatisticsAwayAsync(DbConnection connection)
    {
        if (connection is NpgsqlConnection)
        {
            var tables = await connection.QueryAsync<string>("SELECT tablename::text FROM pg_tables WHERE schemaname = 'public'");
            foreach (var table in tables)
            {
                await connection.ExecuteAsync($"ALTER TABLE \"{table}\" SET (autovacuum_enabled = false)");
            }
            return;
        }
        await connection.ExecuteAsync("DROP TABLE IF EXISTS sqlite_stat1; DROP TABLE IF EXISTS sqlite_stat4;");
    }

    private static async Task<long> StatisticsAsync(DbConnection connection)
    {
        if (connection is NpgsqlConnection)
        {
            return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM pg_stats WHERE schemaname = 'public'");
        }
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM sqlite_schema WHERE name = 'sqlite_stat1'") == 0
            ? 0
            : await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM sqlite_stat1");
    }
}
