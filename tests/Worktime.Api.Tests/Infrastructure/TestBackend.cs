using Npgsql;

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
