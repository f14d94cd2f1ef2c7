using System.Data.Common;
using System.Globalization;
using Dapper;
using Worktime.Api.Data;

namespace Worktime.Api.Backups;

/// <summary>What <see cref="DatabaseCheck"/> found: the problems (empty when none) and the facts it read.</summary>
internal sealed record CheckResult(IReadOnlyList<string> Problems, string? SchemaVersion, long Allocator, long HighestId)
{
    public string Summary => string.Create(CultureInfo.InvariantCulture,
        $"schema {SchemaVersion ?? "(none)"}, id allocator at {Allocator} (highest id {HighestId}), integrity and foreign keys ok");
}

/// <summary>
/// <c>worktime db check</c> (docs/deploy.md, "Checking a database"): the database's own integrity check, foreign keys,
/// the shared id allocator above every id it has handed out, and every migration of this binary applied (none unknown).
/// Reads only. Also verifies a backup before it is called done, and a copy before a restore replaces anything.
/// </summary>
internal static class DatabaseCheck
{
    public static async Task<CheckResult> RunAsync(DbConnection connection, DbDialect dialect, bool structureOnly = false)
    {
        var problems = new List<string>();
        problems.AddRange(await IntegrityAsync(connection, dialect));
        problems.AddRange(await ForeignKeysAsync(connection, dialect));
        var versions = await Migrator.AppliedVersionsAsync(connection, dialect);
        if (!structureOnly)
        {
            problems.AddRange(Migrations(versions, dialect));
        }
        var (allocator, highest, allocatorProblems) = await AllocatorAsync(connection, dialect);
        if (!structureOnly)
        {
            problems.AddRange(allocatorProblems);
        }
        return new CheckResult(problems, versions.Count == 0 ? null : versions[^1], allocator, highest);
    }

    /// <summary>SQLite: <c>PRAGMA integrity_check</c>. PostgreSQL: every table reads, no index is invalid, no constraint is left unvalidated.</summary>
    public static async Task<IReadOnlyList<string>> IntegrityAsync(DbConnection connection, DbDialect dialect)
    {
        if (dialect == DbDialect.Sqlite)
        {
            var rows = (await connection.QueryAsync<string>("PRAGMA integrity_check")).ToList();
            return rows is ["ok"] ? [] : rows.Select(r => $"integrity: {r}").ToList();
        }
        var problems = new List<string>();
        foreach (var table in await SchemaReader.ReadAsync(connection, dialect))
        {
            try
            {
                await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {Quote(table.Name)}");
            }
            catch (DbException e)
            {
                problems.Add($"integrity: table {table.Name} cannot be read: {e.Message}");
            }
        }
        problems.AddRange((await connection.QueryAsync<string>(
            """
            SELECT 'integrity: index ' || i.relname || ' is invalid (rebuild it with REINDEX)'
            FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
            WHERE NOT x.indisvalid AND i.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())
            UNION ALL
            SELECT 'integrity: constraint ' || conname || ' is not validated'
            FROM pg_constraint WHERE NOT convalidated AND connamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())
            """)).Order(StringComparer.Ordinal));
        return problems;
    }

    /// <summary>Rows whose foreign key points at no row (possible when keys were off during a load, or after damage).</summary>
    public static async Task<IReadOnlyList<string>> ForeignKeysAsync(DbConnection connection, DbDialect dialect)
    {
        if (dialect == DbDialect.Sqlite)
        {
            var rows = await connection.QueryAsync<(string Table, long? RowId, string Parent)>(
                "SELECT \"table\", rowid, parent FROM pragma_foreign_key_check");
            return rows.Select(r => string.Create(CultureInfo.InvariantCulture,
                $"foreign key: {r.Table} row {r.RowId} points at a missing {r.Parent} row")).ToList();
        }
        var problems = new List<string>();
        foreach (var table in await SchemaReader.ReadAsync(connection, dialect))
        {
            foreach (var key in table.ForeignKeys)
            {
                var orphans = await connection.ExecuteScalarAsync<long>(
                    $"""
                    SELECT COUNT(*) FROM {Quote(key.Table)} c WHERE c.{Quote(key.Column)} IS NOT NULL AND NOT EXISTS
                      (SELECT 1 FROM {Quote(key.ParentTable)} p WHERE p.{Quote(key.ParentColumn)} = c.{Quote(key.Column)})
                    """);
                if (orphans > 0)
                {
                    problems.Add(string.Create(CultureInfo.InvariantCulture,
                        $"foreign key: {orphans} {key.Table} row(s) point at a missing {key.ParentTable} row ({key.Column})"));
                }
            }
        }
        return problems;
    }

    /// <summary>Every embedded migration recorded, and none this binary does not know.</summary>
    private static IEnumerable<string> Migrations(IReadOnlyList<string> applied, DbDialect dialect)
    {
        var known = Migrator.Scripts(dialect).Select(s => s.Version).ToList();
        foreach (var missing in known.Except(applied, StringComparer.Ordinal))
        {
            yield return $"migration {missing} is not applied (run worktime db migrate)";
        }
        foreach (var unknown in applied.Except(known, StringComparer.Ordinal))
        {
            yield return $"migration {unknown} is recorded but unknown to this binary (the database is newer: use a newer worktime)";
        }
    }

    /// <summary>The allocator's last handed-out id, the highest id of every table that takes ids from it, and a problem if the first is below the second.</summary>
    private static async Task<(long Allocator, long Highest, IReadOnlyList<string> Problems)> AllocatorAsync(DbConnection connection, DbDialect dialect)
    {
        var present = (await SchemaReader.ReadAsync(connection, dialect)).Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        long highest = 0;
        var highestTable = "";
        foreach (var table in TableCatalog.AllocatorTables.Where(t => present.Contains(t.Name)))
        {
            var max = await connection.ExecuteScalarAsync<long?>($"SELECT MAX(id) FROM {Quote(table.Name)}") ?? 0;
            if (max > highest)
            {
                (highest, highestTable) = (max, table.Name);
            }
        }
        var allocator = await ReadAllocatorAsync(connection, dialect);
        if (allocator is null)
        {
            return (0, highest, present.Contains(TableCatalog.Users) ? ["id allocator: row_ids is missing"] : []);
        }
        return allocator < highest
            ? (allocator.Value, highest, [string.Create(CultureInfo.InvariantCulture,
                $"id allocator: the last id handed out is {allocator}, but {highestTable} holds id {highest} (new rows would collide)")])
            : (allocator.Value, highest, []);
    }

    /// <summary>The last id the allocator handed out (SQLite's row_ids row, PostgreSQL's sequence); null when there is none.</summary>
    internal static async Task<long?> ReadAllocatorAsync(DbConnection connection, DbDialect dialect, DbTransaction? transaction = null)
    {
        if (dialect == DbDialect.Sqlite)
        {
            var exists = await connection.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'row_ids'", transaction: transaction) > 0;
            return exists ? await connection.ExecuteScalarAsync<long?>("SELECT last_id FROM row_ids", transaction: transaction) : null;
        }
        if (!await connection.ExecuteScalarAsync<bool>("SELECT to_regclass('row_ids') IS NOT NULL", transaction: transaction))
        {
            return null;
        }
        var (last, called) = await connection.QuerySingleAsync<(long, bool)>("SELECT last_value, is_called FROM row_ids", transaction: transaction);
        return called ? last : last - 1;
    }

    /// <summary>Sets the allocator so that the next id handed out is <paramref name="last"/> + 1.</summary>
    internal static Task WriteAllocatorAsync(DbConnection connection, DbDialect dialect, long last, DbTransaction transaction) =>
        dialect == DbDialect.Sqlite
            ? connection.ExecuteAsync("UPDATE row_ids SET last_id = @last", new { last }, transaction)
            : last > 0
                ? connection.ExecuteAsync("SELECT setval('row_ids', @last, true)", new { last }, transaction)
                : connection.ExecuteAsync("SELECT setval('row_ids', 1, false)", transaction: transaction);

    /// <summary>An identifier from the database's own catalog, quoted for both dialects.</summary>
    internal static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
