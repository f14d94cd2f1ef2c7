using Dapper;
using Worktime.Api.Data;
using Worktime.Api.Tests.Infrastructure;
using Worktime.Api.Tests.MultiNode;

namespace Worktime.Api.Tests.Backups;

/// <summary>
/// Issue 23: <c>worktime db check</c> exits 0 on a sound database, and 1 with one line per problem for a database
/// whose id allocator fell below its ids, whose migration is not applied, and whose rows point at missing rows.
/// Runs the real binary on the suite's backend.
/// </summary>
[VariesWith(Vary.Backend)]
[Collection(Cli.SerialCollection.Name)]
public sealed class DatabaseCheckTests : IAsyncLifetime
{
    private string _database = "";

    public async Task InitializeAsync()
    {
        _database = await TestBackend.CreateDatabaseAsync();
        var migrate = await WorktimeCli.RunAsync(["db", "migrate", "--db", _database]);
        migrate.ExitCode.ShouldBe(0, migrate.Stderr);
        await Node.AddUserAsync(_database, "check.user");
    }

    public Task DisposeAsync() => TestBackend.DropDatabaseAsync(_database);

    [Fact]
    public async Task Check_OnASoundDatabase_ExitsZero_WithTheSchemaAndTheAllocator()
    {
        var check = await WorktimeCli.RunAsync(["db", "check", "--db", _database]);

        check.ExitCode.ShouldBe(0, check.Stdout + check.Stderr);
        check.Stdout.ShouldStartWith("The database is consistent: schema " + Migrator.LatestVersion(Dialect));
        check.Stderr.ShouldBeEmpty();
    }

    [Fact]
    public async Task Check_ListsEveryProblem_OneALine_AndExitsOne()
    {
        await using (var database = new Database(_database))
        await using (var connection = await database.OpenAsync())
        {
            var userId = await connection.ExecuteScalarAsync<long>("SELECT MAX(id) FROM users");
            // The allocator behind the ids: the next row would collide with this user.
            await connection.ExecuteAsync(TestBackend.IsPostgres ? "SELECT setval('row_ids', 1, false)" : "UPDATE row_ids SET last_id = 0");
            await connection.ExecuteAsync("DELETE FROM schema_migrations WHERE version = '005_security_version'");
            // A refresh family of a user that does not exist (foreign keys off for the load, as a bad import would).
            if (TestBackend.IsPostgres)
            {
                await connection.ExecuteAsync("ALTER TABLE refresh_families DROP CONSTRAINT refresh_families_user_id_fkey");
                await connection.ExecuteAsync("INSERT INTO refresh_families (id, user_id, client_id, created_at) VALUES ('orphan', @missing, 'openapi', 0)",
                    new { missing = userId + 1000 });
                await connection.ExecuteAsync(
                    "ALTER TABLE refresh_families ADD CONSTRAINT refresh_families_user_id_fkey FOREIGN KEY (user_id) REFERENCES users(id) NOT VALID");
            }
            else
            {
                await connection.ExecuteAsync("PRAGMA foreign_keys = OFF");
                await connection.ExecuteAsync("INSERT INTO refresh_families (id, user_id, client_id, created_at) VALUES ('orphan', @missing, 'openapi', 0)",
                    new { missing = userId + 1000 });
                await connection.ExecuteAsync("PRAGMA foreign_keys = ON");
            }
        }

        var check = await WorktimeCli.RunAsync(["db", "check", "--db", _database]);

        check.ExitCode.ShouldBe(1);
        check.Stderr.TrimEnd().ShouldBe($"worktime: the database has {ProblemLines(check.Stdout).Count} problem(s)");
        var problems = ProblemLines(check.Stdout);
        problems.ShouldContain(p => p.StartsWith("id allocator: the last id handed out is 0, but users holds id", StringComparison.Ordinal));
        problems.ShouldContain("migration 005_security_version is not applied (run worktime db migrate)");
        problems.ShouldContain(p => p.StartsWith("foreign key: ", StringComparison.Ordinal) && p.Contains("refresh_families"));
        if (TestBackend.IsPostgres)
        {
            problems.ShouldContain("integrity: constraint refresh_families_user_id_fkey is not validated");
        }
    }

    private static DbDialect Dialect => TestBackend.IsPostgres ? DbDialect.Postgres : DbDialect.Sqlite;

    private static List<string> ProblemLines(string stdout) =>
        stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
}
