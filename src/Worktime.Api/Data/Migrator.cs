using System.Globalization;
using System.Data.Common;
using Dapper;

namespace Worktime.Api.Data;

/// <summary>
/// Applies the versioned SQL files embedded under <c>Data/Migrations/&lt;dialect&gt;/NNN_name.sql</c>, in order,
/// each in its own transaction together with its row in <c>schema_migrations</c>.
/// Safe to run from several nodes at once: PostgreSQL takes an advisory lock, SQLite a write lock.
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

    /// <summary>Applies what is pending; returns the versions applied now.</summary>
    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        if (database.Dialect == DbDialect.Sqlite)
        {
            await connection.ExecuteAsync("PRAGMA journal_mode = WAL;");
        }
        else
        {
            await connection.ExecuteAsync("SELECT pg_advisory_lock(@key)", new { key = AdvisoryLockKey }, commandTimeout: LongRunning);
        }
        try
        {
            await connection.ExecuteAsync(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied_at TEXT NOT NULL)");
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
        finally
        {
            if (database.Dialect == DbDialect.Postgres)
            {
                await connection.ExecuteAsync("SELECT pg_advisory_unlock(@key)", new { key = AdvisoryLockKey });
            }
        }
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

    private async Task<bool> ApplyAsync(DbConnection connection, string version, string sql, CancellationToken ct)
    {
        await using var transaction = await connection.BeginWriteAsync(ct);
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
