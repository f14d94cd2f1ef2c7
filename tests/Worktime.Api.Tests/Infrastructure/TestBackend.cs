using Microsoft.Data.Sqlite;
using Npgsql;
using Worktime.Api.Data;

namespace Worktime.Api.Tests.Infrastructure;

/// <summary>
/// The database backend the whole suite runs against, chosen by <c>WORKTIME_TEST_BACKEND</c>
/// (<c>sqlite</c>, the default, or <c>postgres</c>). The same tests run on both; only this fixture differs.
/// </summary>
public static class TestBackend
{
    public static bool IsPostgres =>
        string.Equals(Environment.GetEnvironmentVariable("WORKTIME_TEST_BACKEND"), "postgres", StringComparison.OrdinalIgnoreCase);

    /// <summary>Server credentials for PostgreSQL runs (the throwaway server started by scripts/test).</summary>
    public static string PostgresServer =>
        Environment.GetEnvironmentVariable("WORKTIME_TEST_PG")
        ?? "Host=127.0.0.1;Port=54330;Username=worktime;Password=worktime";

    /// <summary>A new, empty database; returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync()
    {
        if (!IsPostgres)
        {
            var directory = Path.Combine(Path.GetTempPath(), "worktime-tests");
            Directory.CreateDirectory(directory);
            return $"Data Source={Path.Combine(directory, $"{Guid.NewGuid():N}.db")}";
        }
        var name = $"wt_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(PostgresServer + ";Database=postgres;Pooling=false"))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }
        return $"{PostgresServer};Database={name}";
    }

    /// <summary>
    /// A new database with every migration applied, as the app's first start leaves it before its start-up steps
    /// (signing key, first-start admin): a copy of one database this test process migrated once with the server's own
    /// <see cref="Migrator"/> (on PostgreSQL <c>CREATE DATABASE … TEMPLATE</c>, on SQLite a copy of the file). The
    /// suite builds hundreds of apps; migrating each from empty cost more than many of their tests. Migrating an empty
    /// database is still tested wherever the server starts on one (<see cref="CreateDatabaseAsync"/>: the CLI, the
    /// server processes, the upgrade and migration tests).
    /// </summary>
    public static async Task<string> CreateMigratedDatabaseAsync()
    {
        var template = await MigratedTemplate.Value;
        if (!IsPostgres)
        {
            var copy = await CreateDatabaseAsync();
            File.Copy(template["Data Source=".Length..], copy["Data Source=".Length..]);
            return copy;
        }
        return await CopyPostgresDatabaseAsync(new NpgsqlConnectionStringBuilder(template).Database!);
    }

    /// <summary>
    /// A new database with the contents of <paramref name="source"/> (which no one writes to meanwhile, and on
    /// PostgreSQL no one is connected to): for tests that need several databases along one history.
    /// </summary>
    public static async Task<string> CopyDatabaseAsync(string source)
    {
        if (IsPostgres)
        {
            return await CopyPostgresDatabaseAsync(new NpgsqlConnectionStringBuilder(source).Database!);
        }
        // Everything in the one file first: the copy takes only that.
        await using (var connection = new SqliteConnection(source + ";Pooling=false"))
        {
            await connection.OpenAsync();
            await using var command = new SqliteCommand("PRAGMA wal_checkpoint(TRUNCATE)", connection);
            await command.ExecuteNonQueryAsync();
        }
        var copy = await CreateDatabaseAsync();
        File.Copy(source["Data Source=".Length..], copy["Data Source=".Length..]);
        return copy;
    }

    private static async Task<string> CopyPostgresDatabaseAsync(string templateName)
    {
        var name = $"wt_{Guid.NewGuid():N}";
        await using var connection = new NpgsqlConnection(PostgresServer + ";Database=postgres;Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name} TEMPLATE {templateName}", connection);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await command.ExecuteNonQueryAsync();
                return $"{PostgresServer};Database={name}";
            }
            // 55006: a session is in the template (it takes no connections, but a wraparound autovacuum may); it leaves soon.
            catch (PostgresException e) when (e.SqlState == "55006" && attempt < 10)
            {
                await Task.Delay(100 * attempt);
            }
        }
    }

    private static readonly Lazy<Task<string>> MigratedTemplate = new(CreateTemplateAsync);

    private static async Task<string> CreateTemplateAsync()
    {
        var template = await CreateDatabaseAsync();
        await using (var database = new Database(template))
        {
            await new Migrator(database).MigrateAsync();
        }
        if (IsPostgres)
        {
            NpgsqlConnection.ClearAllPools();
            var name = new NpgsqlConnectionStringBuilder(template).Database;
            await using var connection = new NpgsqlConnection(PostgresServer + ";Database=postgres;Pooling=false");
            await connection.OpenAsync();
            // No connections: a template must have no sessions while it is copied.
            await using var command = new NpgsqlCommand($"ALTER DATABASE {name} ALLOW_CONNECTIONS false", connection);
            await command.ExecuteNonQueryAsync();
        }
        else
        {
            // Everything in the one file (the copy takes only that), and no connection left open on it.
            await using (var connection = new SqliteConnection(template + ";Pooling=false"))
            {
                await connection.OpenAsync();
                await using var command = new SqliteCommand("PRAGMA wal_checkpoint(TRUNCATE)", connection);
                await command.ExecuteNonQueryAsync();
            }
            SqliteConnection.ClearAllPools();
        }
        AppDomain.CurrentDomain.ProcessExit += (_, _) => DropTemplate(template);
        return template;
    }

    private static void DropTemplate(string template)
    {
        if (!IsPostgres)
        {
            DropDatabaseAsync(template).GetAwaiter().GetResult();
            return;
        }
        try
        {
            using var connection = new NpgsqlConnection(PostgresServer + ";Database=postgres;Pooling=false");
            connection.Open();
            using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {new NpgsqlConnectionStringBuilder(template).Database} WITH (FORCE)", connection);
            command.ExecuteNonQuery();
        }
        catch (NpgsqlException)
        {
            // best effort: the throwaway server goes away after the run
        }
    }

    /// <summary>Removes a database made by <see cref="CreateDatabaseAsync"/> (best effort).</summary>
    public static async Task DropDatabaseAsync(string connectionString)
    {
        if (!IsPostgres)
        {
            var path = connectionString["Data Source=".Length..];
            foreach (var file in new[] { path, path + "-wal", path + "-shm" })
            {
                try { File.Delete(file); } catch (IOException) { }
            }
            return;
        }
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(PostgresServer + ";Database=postgres;Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await command.ExecuteNonQueryAsync();
                return;
            }
            // 42501: an autovacuum worker (a superuser backend our role may not terminate) is in the database
            // right now; it finishes quickly. Cleanup is best effort: the throwaway server goes away after the run.
            catch (PostgresException e) when (e.SqlState is "42501" or "55006")
            {
                if (attempt == 5)
                {
                    return;
                }
                await Task.Delay(200 * attempt);
            }
        }
    }
}

/// <summary>
/// A test that runs in the SQLite pass only: a check of a document, the page or a generated client, which does not
/// depend on the database backend (the forms engine on PostgreSQL is covered by the rest of the suite), or a test
/// of SQLite's own behaviour (pass the reason).
/// </summary>
public sealed class SqlitePassFactAttribute : FactAttribute
{
    public SqlitePassFactAttribute(string why = "Backend-independent tool check: runs in the SQLite pass.")
    {
        if (TestBackend.IsPostgres)
        {
            Skip = why;
        }
    }
}

/// <summary>
/// A test that runs in the PostgreSQL pass only, because it needs something SQLite cannot do (pass the reason), e.g.
/// hold a reader at a table lock to put two steps of the server in a chosen order.
/// </summary>
public sealed class PostgresPassFactAttribute : FactAttribute
{
    public PostgresPassFactAttribute(string why)
    {
        if (!TestBackend.IsPostgres)
        {
            Skip = why;
        }
    }
}
