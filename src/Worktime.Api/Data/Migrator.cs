using System.Globalization;
using System.Data.Common;
using Dapper;

namespace Worktime.Api.Data;

/// <summary>
/// Applies the versioned SQL files embedded under <c>Data/Migrations/&lt;dialect&gt;/NNN_name.sql</c>, in order,
/// each in its own transaction together with its row in <c>schema_migrations</c>.
/// Safe to run from several nodes at once: on PostgreSQL each file's transaction first takes a transaction-level
/// advisory lock (so it also works through PgBouncer in transaction-pooling mode, where a session lock would be
/// taken on one server connection and released on another), on SQLite a write lock. A database that records a
/// migration this binary does not know is newer than the binary: it is refused before anything is written.
/// </summary>
internal sealed class Migrator(Database database)
{
    // Any constant works; it only has to be the same on every node.
    private const long AdvisoryLockKey = 0x776F726B74696D65; // "worktime"

    // No command timeout for the lock wait and the scripts: another node may hold the lock while it builds an
    // index on a large table, and a migration cut off by a timeout would only make the next start redo it.
    private int? LongRunning => database.Dialect == DbDialect.Postgres ? 0 : null;

    public static IReadOnlyList<(string Version, string Sql)> Scripts(DbDialect dialect)
    {
        var prefix = $"migrations/{dialect.MigrationFolder()}/";
        var assembly = typeof(Migrator).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(prefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(name =>
            {
                using var stream = assembly.GetManifestResourceStream(name)!;
                using var reader = new StreamReader(stream);
                return (Path.GetFileNameWithoutExtension(name[prefix.Length..]), reader.ReadToEnd());
            })
            .ToList();
    }

    /// <summary>The newest migration this binary carries (the schema version it writes).</summary>
    public static string LatestVersion(DbDialect dialect) => Scripts(dialect)[^1].Version;

    /// <summary>Applies what is pending; returns the versions applied now. Throws <see cref="SchemaTooNewException"/> first when the database is newer.</summary>
    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken ct = default)
    {
        await EnsureNotNewerAsync(ct);
        await using var connection = await database.OpenAsync(ct);
        if (database.Dialect == DbDialect.Sqlite)
        {
            await connection.ExecuteAsync("PRAGMA journal_mode = WAL;");
            await connection.ExecuteAsync(CreateVersionTable);
        }
        var applied = new List<string>();
        foreach (var (version, sql) in Scripts(database.Dialect))
        {
            if (await ApplyAsync(connection, version, sql, ct))
            {
                applied.Add(version);
            }
        }
        return applied;
    }

    /// <summary>
    /// Refuses a database that records migrations this binary does not carry (made by a newer version): running on
    /// it could write rows the newer schema does not expect. Reads only; an empty database passes.
    /// </summary>
    public async Task EnsureNotNewerAsync(CancellationToken ct = default)
    {
        var recorded = await AppliedVersionsAsync(ct);
        var known = Scripts(database.Dialect).Select(s => s.Version).ToHashSet(StringComparer.Ordinal);
        var unknown = recorded.Where(v => !known.Contains(v)).Order(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            throw new SchemaTooNewException(unknown[^1], LatestVersion(database.Dialect));
        }
    }

    /// <summary>The versions recorded in <c>schema_migrations</c>, oldest first; empty when the table does not exist yet.</summary>
    public async Task<IReadOnlyList<string>> AppliedVersionsAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await AppliedVersionsAsync(connection, database.Dialect);
    }

    internal static async Task<IReadOnlyList<string>> AppliedVersionsAsync(DbConnection connection, DbDialect dialect)
    {
        var exists = dialect == DbDialect.Postgres
            ? await connection.ExecuteScalarAsync<bool>("SELECT to_regclass('schema_migrations') IS NOT NULL")
            : await connection.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'") > 0;
        if (!exists)
        {
            return [];
        }
        return (await connection.QueryAsync<string>("SELECT version FROM schema_migrations")).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>True when every embedded migration is recorded as applied (used by <c>/health/ready</c>).</summary>
    public async Task<bool> IsUpToDateAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var expected = Scripts(database.Dialect).Select(s => s.Version).ToHashSet();
        try
        {
            var applied = await connection.QueryAsync<string>("SELECT version FROM schema_migrations");
            expected.ExceptWith(applied);
            return expected.Count == 0;
        }
        catch (DbException)
        {
            return false; // no schema_migrations table yet
        }
    }

    private const string CreateVersionTable =
        "CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied_at TEXT NOT NULL)";

    private async Task<bool> ApplyAsync(DbConnection connection, string version, string sql, CancellationToken ct)
    {
        await using var transaction = await connection.BeginWriteAsync(ct);
        if (database.Dialect == DbDialect.Postgres)
        {
            // Held until this transaction ends: the next node waits here, then finds the version recorded.
            await connection.ExecuteAsync("SELECT pg_advisory_xact_lock(@key)", new { key = AdvisoryLockKey }, transaction,
                commandTimeout: LongRunning);
            await connection.ExecuteAsync(CreateVersionTable, transaction: transaction);
        }
        var done = await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM schema_migrations WHERE version = @version", new { version }, transaction);
        if (done > 0)
        {
            await transaction.RollbackAsync(ct);
            return false;
        }
        await connection.ExecuteAsync(sql, transaction: transaction, commandTimeout: LongRunning);
        await connection.ExecuteAsync(
            "INSERT INTO schema_migrations (version, applied_at) VALUES (@version, @at)",
            new { version, at = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) }, transaction);
        await transaction.CommitAsync(ct);
        return true;
    }
}

/// <summary>The database records a migration this binary does not carry: it was made (or upgraded) by a newer version.</summary>
internal sealed class SchemaTooNewException(string databaseVersion, string binaryVersion)
    : Exception($"the database's schema is {databaseVersion}, newer than this binary's {binaryVersion}; run a newer worktime (nothing was changed)")
{
    public string DatabaseVersion { get; } = databaseVersion;

    public string BinaryVersion { get; } = binaryVersion;
}
