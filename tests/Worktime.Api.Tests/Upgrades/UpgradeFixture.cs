using System.Data.Common;
using System.Globalization;
using Dapper;
using Worktime.Api.Data;
using Worktime.Api.Tests.Infrastructure;
using Worktime.Api.Tests.MultiNode;

namespace Worktime.Api.Tests.Upgrades;

/// <summary>
/// A database as an earlier release left it (docs/deploy.md, "Upgrade fixtures"): the migrations up to a version,
/// each followed by <c>Upgrades/Fixtures/&lt;version&gt;.sql</c> — the rows that release wrote, in portable SQL —
/// as that release's migrator and writer would have: each migration in a transaction with its
/// <c>schema_migrations</c> row, and after each step the id counters where that release's writer left them (the
/// shared allocator at the highest id, PostgreSQL's identity sequences at their column's highest value).
/// Migrations are never edited once released, so the embedded scripts are the old ones.
/// </summary>
public static class UpgradeFixture
{
    public static string Folder { get; } = Path.Combine(RepoPaths.Root, "tests", "Worktime.Api.Tests", "Upgrades", "Fixtures");

    private static DbDialect Dialect => TestBackend.IsPostgres ? DbDialect.Postgres : DbDialect.Sqlite;

    /// <summary>Every schema version this binary carries, oldest first.</summary>
    public static IReadOnlyList<string> Versions => Migrator.Scripts(Dialect).Select(s => s.Version).ToList();

    public static string DataFile(string version) => Path.Combine(Folder, version + ".sql");

    /// <summary>A new database of the suite's backend at <paramref name="version"/>, with the data of every step up to it.</summary>
    public static async Task<string> BuildAsync(string version)
    {
        if (!Versions.Contains(version))
        {
            throw new ArgumentException($"No migration {version}", nameof(version));
        }
        var connectionString = await TestBackend.CreateDatabaseAsync();
        await ClimbAsync(connectionString, migration => Task.FromResult(migration != version));
        return connectionString;
    }

    /// <summary>
    /// A database of every version at once, each as <see cref="BuildAsync"/> makes it, from one climb up the chain:
    /// after each step the climbing database is copied (a file copy on SQLite, <c>CREATE DATABASE … TEMPLATE</c> on
    /// PostgreSQL). Building each version from empty repeated the earlier steps: 171 migrations for 18 versions
    /// instead of 18.
    /// </summary>
    public static async Task<Dictionary<string, string>> BuildEveryAsync()
    {
        var databases = new Dictionary<string, string>(StringComparer.Ordinal);
        var climbing = await TestBackend.CreateDatabaseAsync();
        try
        {
            await ClimbAsync(climbing, async migration =>
            {
                databases[migration] = await TestBackend.CopyDatabaseAsync(climbing);
                return true;
            });
        }
        finally
        {
            await TestBackend.DropDatabaseAsync(climbing);
        }
        return databases;
    }

    /// <summary>
    /// Runs the migrations on a new, empty database, each followed by its fixture's rows and the counters, as the
    /// release's migrator and writer would have; after each step asks <paramref name="next"/> whether to go on (no
    /// connection is open on the database while it runs).
    /// </summary>
    private static async Task ClimbAsync(string connectionString, Func<string, Task<bool>> next)
    {
        // Not pooled on PostgreSQL: a pooled idle connection would keep the database from being copied.
        await using var database = new Database(TestBackend.IsPostgres ? connectionString + ";Pooling=false" : connectionString);
        await using (var connection = await database.OpenAsync())
        {
            if (Dialect == DbDialect.Sqlite)
            {
                await connection.ExecuteAsync("PRAGMA journal_mode = WAL");
            }
            await connection.ExecuteAsync("CREATE TABLE schema_migrations (version TEXT PRIMARY KEY, applied_at TEXT NOT NULL)");
        }
        var step = 0;
        foreach (var (migration, sql) in Migrator.Scripts(Dialect))
        {
            step++;
            await using (var connection = await database.OpenAsync())
            {
                await using var transaction = await connection.BeginTransactionAsync();
                await connection.ExecuteAsync(sql, transaction: transaction);
                await connection.ExecuteAsync("INSERT INTO schema_migrations (version, applied_at) VALUES (@migration, @at)",
                    new { migration, at = string.Create(CultureInfo.InvariantCulture, $"2025-{step:00}-01 06:00:00") }, transaction);
                await connection.ExecuteAsync(await File.ReadAllTextAsync(DataFile(migration)), transaction: transaction);
                await AdvanceCountersAsync(connection, transaction);
                await transaction.CommitAsync();
            }
            if (!await next(migration))
            {
                return;
            }
        }
    }

    /// <summary>The id counters as the release's writer left them: never below an id in use.</summary>
    private static async Task AdvanceCountersAsync(DbConnection connection, DbTransaction transaction)
    {
        var tables = (await SchemaReader.ReadAsync(connection, Dialect, transaction)).Select(t => t.Name).ToHashSet();
        var highest = 0L;
        foreach (var table in TableCatalog.AllocatorTables.Where(t => tables.Contains(t.Name)))
        {
            highest = Math.Max(highest, await connection.ExecuteScalarAsync<long?>($"SELECT MAX(id) FROM {table.Name}", transaction: transaction) ?? 0);
        }
        if (Dialect == DbDialect.Sqlite)
        {
            if (tables.Contains(TableCatalog.RowIds))
            {
                await connection.ExecuteAsync("UPDATE row_ids SET last_id = MAX(last_id, @highest)", new { highest }, transaction);
            }
            return; // INTEGER PRIMARY KEY continues above the highest rowid by itself
        }
        if (await connection.ExecuteScalarAsync<bool>("SELECT to_regclass('row_ids') IS NOT NULL", transaction: transaction) && highest > 0)
        {
            await connection.ExecuteAsync("SELECT setval('row_ids', GREATEST(@highest, (SELECT last_value FROM row_ids)))", new { highest }, transaction);
        }
        var identities = await connection.QueryAsync<(string Table, string Column)>(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() AND is_identity = 'YES'",
            transaction: transaction);
        foreach (var (table, column) in identities)
        {
            await connection.ExecuteAsync(
                $"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), COALESCE(MAX({column}), 0) + 1, false) FROM {table}",
                transaction: transaction);
        }
    }

    /// <summary>Every row of every table, each as one line of its columns' values, by table (what an upgrade must keep).</summary>
    public static async Task<Dictionary<string, List<Dictionary<string, string>>>> SnapshotAsync(string connectionString)
    {
        await using var database = new Database(connectionString);
        await using var connection = await database.OpenAsync();
        var snapshot = new Dictionary<string, List<Dictionary<string, string>>>(StringComparer.Ordinal);
        foreach (var table in await SchemaReader.ReadAsync(connection, Dialect))
        {
            var rows = new List<Dictionary<string, string>>();
            await using var reader = await connection.ExecuteReaderAsync($"SELECT * FROM {table.Name}");
            while (await reader.ReadAsync())
            {
                var row = new Dictionary<string, string>(StringComparer.Ordinal);
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    row[reader.GetName(i)] = await reader.IsDBNullAsync(i) ? "(null)" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture)!;
                }
                rows.Add(row);
            }
            snapshot[table.Name] = rows;
        }
        return snapshot;
    }
}
