using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Worktime.Api.Data;

/// <summary>
/// Hands out open connections to the configured database. One instance per process; both providers pool.
/// </summary>
internal sealed class Database : IAsyncDisposable
{
    private readonly NpgsqlDataSource? _postgres;
    private readonly string? _sqlite;

    public Database(string connectionString, int maxPoolSize = 50)
    {
        Dialect = DbDialectExtensions.FromConnectionString(connectionString);
        if (Dialect == DbDialect.Postgres)
        {
            _postgres = NpgsqlDataSource.Create(PostgresConnectionString(connectionString, maxPoolSize));
        }
        else
        {
            var builder = new SqliteConnectionStringBuilder(connectionString)
            {
                Pooling = true,
                DefaultTimeout = 30, // seconds a writer waits for the lock (busy timeout)
            };
            var path = builder.DataSource;
            if (!string.IsNullOrEmpty(path) && path != ":memory:" && builder.Mode != SqliteOpenMode.Memory)
            {
                var directory = Path.GetDirectoryName(Path.GetFullPath(path));
                if (!string.IsNullOrEmpty(directory))
                {
                    Directory.CreateDirectory(directory);
                }
            }
            _sqlite = builder.ConnectionString;
        }
    }

    public DbDialect Dialect { get; }

    /// <summary>
    /// Pool bound from <c>Database:MaxPoolSize</c> and a 10 s statement timeout, unless the connection string sets
    /// them itself; the open timeout is at most 5 s. An unreachable, frozen or exhausted database so turns into
    /// a 503 within seconds instead of requests that hang.
    /// </summary>
    internal static string PostgresConnectionString(string connectionString, int maxPoolSize)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Select(k => k.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant()).ToHashSet();
        if (!given.Overlaps(["maximumpoolsize", "maxpoolsize"]))
        {
            builder.MaxPoolSize = maxPoolSize;
        }
        if (!given.Contains("commandtimeout"))
        {
            builder.CommandTimeout = 10;
        }
        builder.Timeout = Math.Min(builder.Timeout, 5);
        return builder.ConnectionString;
    }

    public async Task<DbConnection> OpenAsync(CancellationToken ct = default)
    {
        if (_postgres is not null)
        {
            return await _postgres.OpenConnectionAsync(ct);
        }
        var connection = new SqliteConnection(_sqlite);
        await connection.OpenAsync(ct);
        using (var pragma = connection.CreateCommand())
        {
            // WAL is persistent (set by the migrator); these are per connection.
            pragma.CommandText = "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;";
            await pragma.ExecuteNonQueryAsync(ct);
        }
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
        else
        {
            SqliteConnection.ClearAllPools();
        }
    }
}
