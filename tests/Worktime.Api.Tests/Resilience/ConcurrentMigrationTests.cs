using Dapper;
using Worktime.Api.Data;
using Worktime.Api.Tests.Infrastructure;
using Worktime.Api.Tests.MultiNode;

namespace Worktime.Api.Tests.Resilience;

/// <summary>
/// Issue 4 item 1: <c>worktime db migrate</c> started on two nodes at once (two processes, one database of the
/// suite's backend) applies every migration exactly once and both exit 0.
/// </summary>
[VariesWith(Vary.Backend)]
public sealed class ConcurrentMigrationTests : IAsyncLifetime
{
    private string _connectionString = "";

    public async Task InitializeAsync() => _connectionString = await TestBackend.CreateDatabaseAsync();

    public Task DisposeAsync() => TestBackend.DropDatabaseAsync(_connectionString);

    [Fact]
    public async Task DbMigrate_FromTwoProcessesAtOnce_BothExit0_AndEachMigrationIsAppliedOnce()
    {
        var expected = Migrator.Scripts(TestBackend.IsPostgres ? DbDialect.Postgres : DbDialect.Sqlite)
            .Select(s => s.Version).ToList();

        var results = await Task.WhenAll(
            WorktimeCli.RunAsync(["db", "migrate", "--db", _connectionString]),
            WorktimeCli.RunAsync(["db", "migrate", "--db", _connectionString]));

        foreach (var result in results)
        {
            result.ExitCode.ShouldBe(0, result.Stderr);
            result.Stderr.ShouldBeEmpty();
        }
        // Each process reports what it applied itself; together exactly every version, none twice.
        var applied = results.SelectMany(r => AppliedVersions(r.Stdout)).ToList();
        applied.Order().ShouldBe(expected.Order());
        await using var database = new Database(_connectionString);
        await using var connection = await database.OpenAsync();
        var recorded = (await connection.QueryAsync<string>("SELECT version FROM schema_migrations")).ToList();
        recorded.Order().ShouldBe(expected.Order());

        var again = await WorktimeCli.RunAsync(["db", "migrate", "--db", _connectionString]);
        again.ExitCode.ShouldBe(0);
        again.Stdout.Trim().ShouldBe("Schema is up to date.");
    }

    private static string[] AppliedVersions(string stdout)
    {
        var line = stdout.Trim();
        return line.StartsWith("Applied: ", StringComparison.Ordinal)
            ? line["Applied: ".Length..].Split(", ")
            : [];
    }
}
