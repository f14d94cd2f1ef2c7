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
    /// The pool bound comes from <c>Database:MaxPoolSize</c> unless the connection string sets one itself
    /// (any of Npgsql's spellings). The open timeout is at most 5 s, so an unreachable or exhausted database
    /// turns into a quick 503 rather than a request that hangs.
    /// </summary>
    internal static string PostgresConnectionString(string connectionString, int maxPoolSize)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var keys = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString }.Keys
            .Cast<string>().Select(k => k.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant());
        if (!keys.Any(k => k is "maximumpoolsize" or "maxpoolsize"))
        {
            builder.MaxPoolSize = maxPoolSize;
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
