using Dapper;
using Worktime.Api.Data;
using Worktime.Api.Tests.Infrastructure;
using Worktime.Api.Tests.MultiNode;

namespace Worktime.Api.Tests.Upgrades;

/// <summary>
/// Issue 23, "Upgrades": a database that records a migration this binary does not carry was made by a newer version.
/// The server refuses to start on it with one line naming both versions (with or without automatic migration), so
/// does <c>db migrate</c>, and nothing in the database changes. Runs the real binary on the suite's backend.
/// </summary>
[VariesWith(Vary.Backend)]
[Collection(Cli.SerialCollection.Name)]
public sealed class NewerDatabaseTests : IAsyncLifetime
{
    private const string Future = "999_from_the_future";
    private string _database = "";

    public async Task InitializeAsync()
    {
        _database = await TestBackend.CreateDatabaseAsync();
        (await WorktimeCli.RunAsync(["db", "migrate", "--db", _database])).ExitCode.ShouldBe(0);
        await using var database = new Database(_database);
        await using var connection = await database.OpenAsync();
        await connection.ExecuteAsync("INSERT INTO schema_migrations (version, applied_at) VALUES (@Future, '2030-01-01 00:00:00')", new { Future });
    }

    public Task DisposeAsync() => TestBackend.DropDatabaseAsync(_database);

    [Theory]
    [InlineData("serve")]
    [InlineData("serve without automatic migration")]
    [InlineData("db migrate")]
    [InlineData("partner add")]
    public async Task ANewerDatabase_IsRefusedWithOneLineNamingBothVersions_AndNotTouched(string command)
    {
        var before = await SnapshotAsync();
        string[] args = command switch
        {
            "serve" => ["serve", "--urls", $"http://127.0.0.1:{ServerProcess.FreePort()}"],
            "serve without automatic migration" =>
                ["serve", "--urls", $"http://127.0.0.1:{ServerProcess.FreePort()}", "--Database:AutoMigrate=false"],
            "db migrate" => ["db", "migrate"],
            _ => ["partner", "add", "--name", "Not on a newer schema"],
        };

        var result = await WorktimeCli.RunAsync([.. args, "--db", _database]);

        result.ExitCode.ShouldBe(1, result.Stdout + result.Stderr);
        var lines = result.Stderr.TrimEnd().Split('\n');
        lines.Length.ShouldBe(1, result.Stderr);
        lines[0].ShouldBe(
            $"worktime: the database's schema is {Future}, newer than this binary's {Migrator.LatestVersion(Dialect)}; run a newer worktime (nothing was changed)");
        (await SnapshotAsync()).ShouldBe(before);
    }

    private static DbDialect Dialect => TestBackend.IsPostgres ? DbDialect.Postgres : DbDialect.Sqlite;

    /// <summary>What a start would have written: migrations, partners, users, signing keys, audit records.</summary>
    private async Task<string> SnapshotAsync()
    {
        await using var database = new Database(_database);
        await using var connection = await database.OpenAsync();
        var versions = await connection.QueryAsync<string>("SELECT version FROM schema_migrations ORDER BY version");
        var counts = await connection.QuerySingleAsync<(long, long, long, long)>(
            """
            SELECT (SELECT COUNT(*) FROM partners), (SELECT COUNT(*) FROM users), (SELECT COUNT(*) FROM signing_keys),
                   (SELECT COUNT(*) FROM audit_records)
            """);
        return $"{string.Join(",", versions)} {counts}";
    }
}
