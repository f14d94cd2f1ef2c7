using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Worktime.Api.Data;

/// <summary>
/// Hands out open connections to the configured database. One instance per process; both providers pool.
/// SQLite allows one writer per file at a time: rather than letting writers collide on its lock (and
/// Microsoft.Data.Sqlite retry <c>SQLITE_BUSY</c> with a blocking sleep on a thread-pool thread), writes go
/// through <see cref="OpenWriterAsync"/>: one writer connection behind an async gate, so in-process writers
/// queue without holding a thread, and writers that queue share a COMMIT. Readers use their own pooled connections (WAL lets them read beside the
/// writer). <c>busy_timeout</c> still covers the lock held by another process on the same file (a second node,
/// the CLI) and checkpoints. See docs/deploy.md, "SQLite".
/// </summary>
internal sealed class Database : IAsyncDisposable
{
    /// <summary>How long SQLite itself waits for another process's write lock before answering busy.</summary>
    private const int SqliteBusyTimeoutMs = 5000;

    private readonly NpgsqlDataSource? _postgres;
    private readonly string? _sqlite;
    private readonly SqliteGroupCommit? _sqliteWriter;
    private readonly IStatementObserver? _observer;
    private readonly IDisposable? _observation;

    /// <summary>SQLite: moves the write-ahead log into the database file off the writers' path; null on PostgreSQL.</summary>
    internal SqliteCheckpointer? Checkpointer { get; }

    /// <summary>Native SQLite handles whose per-connection pragmas are set (weak: a handle the pool closes drops out).</summary>
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<SQLitePCL.sqlite3, object> _configuredHandles = [];
    private static readonly object Configured = new();

    static Database() => SqliteLibrary.Configure();

    /// <param name="maxPoolSize">PostgreSQL pool bound; <c>Database:MaxPoolSize</c>'s default when not given.</param>
    /// <param name="sqliteMaxSizeMegabytes">
    /// SQLite: the current <c>Database:SqliteMaxSizeMegabytes</c> (0: no limit), read before every write transaction.
    /// </param>
    /// <param name="observer">Sees every statement run on this database (the plan test); none in production.</param>
    public Database(string connectionString, int? maxPoolSize = null, Func<double>? sqliteMaxSizeMegabytes = null, IStatementObserver? observer = null)
    {
        Dialect = DbDialectExtensions.FromConnectionString(connectionString);
        _observer = observer;
        if (Dialect == DbDialect.Postgres)
        {
            var source = new NpgsqlDataSourceBuilder(PostgresConnectionString(connectionString,
                maxPoolSize ?? DatabaseOptions.DefaultMaxPoolSize(Environment.ProcessorCount)));
            if (observer is not null)
            {
                _observation = StatementObservation.Attach(source, observer);
            }
            _postgres = source.Build();
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
            Checkpointer = new SqliteCheckpointer(_sqlite);
            _sqliteWriter = new SqliteGroupCommit(OpenSqliteAsync, Checkpointer,
                sqliteMaxSizeMegabytes is null ? null : new SqliteSizeLimit(sqliteMaxSizeMegabytes));
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
        return await OpenSqliteAsync(ct);
    }

    private async Task<SqliteConnection> OpenSqliteAsync(CancellationToken ct)
    {
        var connection = new SqliteConnection(_sqlite);
        await connection.OpenAsync(ct);
        // The pool hands back the same native handle, whose pragmas still hold: set them once per handle rather
        // than parsing three statements on every open (every read opens one).
        if (_configuredHandles.TryGetValue(connection.Handle!, out _))
        {
            return connection;
        }
        if (_observer is not null)
        {
            StatementObservation.Attach(connection.Handle!, _observer);
        }
        using (var pragma = connection.CreateCommand())
        {
            // WAL is persistent (set by the migrator); these are per connection. synchronous=NORMAL in WAL keeps
            // the database consistent on a crash and commits stay durable across a process kill (the WAL is in
            // the OS page cache); only a power loss may drop the last commits.
#pragma warning disable CA2100 // built from a constant only
            pragma.CommandText = string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = {SqliteBusyTimeoutMs};");
#pragma warning restore CA2100
            await pragma.ExecuteNonQueryAsync(ct);
        }
        _configuredHandles.AddOrUpdate(connection.Handle!, Configured);
        return connection;
    }

    /// <summary>
    /// A connection and transaction to write on; see <see cref="WriterLease"/>. SQLite: the one writer connection,
    /// this caller's alone until the lease ends (waiting asynchronously for the previous writer), inside a savepoint
    /// of a transaction consecutive writers share (group commit, <see cref="SqliteGroupCommit"/>). PostgreSQL: a
    /// pooled connection with its own transaction (row locks do the rest).
    /// </summary>
    public async Task<WriterLease> OpenWriterAsync(CancellationToken ct = default)
    {
        if (_sqliteWriter is not null)
        {
            return await _sqliteWriter.EnterAsync(ct);
        }
        var connection = await _postgres!.OpenConnectionAsync(ct);
        try
        {
            return new PostgresWriterLease(connection, await connection.BeginTransactionAsync(ct));
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// SQLite: pooled reader connections are closed instead of reused (those in use when they are returned), so the
    /// next ones read the schema and its statistics afresh (<see cref="DatabaseStatistics"/>).
    /// </summary>
    internal void ReopenSqliteReaders()
    {
        if (_sqlite is not null)
        {
            using var connection = new SqliteConnection(_sqlite);
            SqliteConnection.ClearPool(connection);
        }
    }

    /// <summary>COMMITs of the SQLite writer so far (tests); 0 on PostgreSQL.</summary>
    internal long SqliteGroupsEnded => _sqliteWriter?.GroupsEnded ?? 0;

    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
            _observation?.Dispose();
        }
        else
        {
            await _sqliteWriter!.DisposeAsync();
            Checkpointer!.Dispose();
            SqliteConnection.ClearAllPools();
        }
    }
}
