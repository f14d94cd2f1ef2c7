using System.Data.Common;
using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;
using Worktime.Api.Data;

namespace Worktime.Api.Backups;

/// <summary>
/// <c>worktime db copy --to CONNECTION</c> (docs/deploy.md, "Moving to PostgreSQL"): the whole database into an empty
/// one of either kind — every table by its schema (so a table added later is copied without a change here), except
/// the <see cref="TableEntry.Derived"/> ones, which the target's triggers rebuild from the rows they derive from. The
/// source is read in one snapshot; the target is written in one transaction (all or nothing), then the id allocator
/// and PostgreSQL's identity counters are set where the source's are, and the copy is compared table by table.
/// Passwords, signing keys, refresh-token families and audit records are rows like any other, so nobody logs in again.
/// </summary>
internal static class DatabaseCopy
{
    public static async Task<BackupOutcome> CopyAsync(string sourceString, string targetString, CancellationToken ct)
    {
        var sourceDialect = DbDialectExtensions.FromConnectionString(sourceString);
        var targetDialect = DbDialectExtensions.FromConnectionString(targetString);
        if (SameDatabase(sourceString, targetString))
        {
            return BackupOutcome.Fail("the source and the target are the same database");
        }
        if (sourceDialect == DbDialect.Sqlite && (SqliteBackups.DataSource(sourceString) is not { } path || !File.Exists(path)))
        {
            return BackupOutcome.Fail($"there is no database at {SqliteBackups.DataSource(sourceString) ?? ":memory:"}");
        }
        await using var source = await OpenAsync(sourceString, sourceDialect, ct);
        var applied = await Migrator.AppliedVersionsAsync(source, sourceDialect);
        var known = Migrator.Scripts(sourceDialect).Select(s => s.Version).ToList();
        if (!applied.SequenceEqual(known))
        {
            return BackupOutcome.Fail(applied.Except(known).Any()
                ? $"the source's schema is {applied[^1]}, newer than this binary's {known[^1]}; copy it with a newer worktime"
                : "the source database is not up to date: run worktime db migrate on it first");
        }

        await using (var target = await OpenAsync(targetString, targetDialect, ct))
        {
            if (await RowsInAsync(target, targetDialect) is { } occupied)
            {
                return BackupOutcome.Fail($"the target database is not empty ({occupied}); db copy writes only into an empty database");
            }
        }
        await using (var targetDatabase = new Database(targetString))
        {
            await new Migrator(targetDatabase).MigrateAsync(ct); // the same schema as the source, made by the same binary
        }

        await using var read = await BeginSnapshotAsync(source, ct);
        var sourceTables = await SchemaReader.ReadAsync(source, sourceDialect, read);
        await using var writer = await OpenAsync(targetString, targetDialect, ct);
        await using var write = await writer.BeginWriteAsync(ct);
        var targetTables = (await SchemaReader.ReadAsync(writer, targetDialect, write)).ToDictionary(t => t.Name, StringComparer.Ordinal);
        var copied = new List<(string Table, long Rows)>();
        try
        {
            foreach (var table in SchemaReader.InsertOrder([.. targetTables.Values]))
            {
                var entry = TableCatalog.Find(table.Name);
                if (entry is { Derived: true } || table.Name == TableCatalog.RowIds)
                {
                    continue;
                }
                var from = sourceTables.FirstOrDefault(t => t.Name == table.Name)
                    ?? throw new CopyException($"the source has no table {table.Name}");
                if (table.Name == TableCatalog.SchemaMigrations)
                {
                    await writer.ExecuteAsync("DELETE FROM schema_migrations", transaction: write); // the source's history replaces the target's
                }
                var rows = await CopyTableAsync(source, read, from, writer, write, table, targetDialect, ct);
                copied.Add((table.Name, rows));
            }
            var allocator = await DatabaseCheck.ReadAllocatorAsync(source, sourceDialect, read) ?? 0;
            await DatabaseCheck.WriteAllocatorAsync(writer, targetDialect, allocator, write);
            if (targetDialect == DbDialect.Postgres)
            {
                await AdvanceIdentitiesAsync(writer, write);
            }
            var mismatch = await CompareAsync(source, read, writer, write, targetDialect, copied, allocator);
            if (mismatch is not null)
            {
                return BackupOutcome.Fail($"the copy differs from the source ({mismatch}); nothing was written");
            }
            await write.CommitAsync(ct);
            var check = await DatabaseCheck.RunAsync(writer, targetDialect);
            if (check.Problems.Count > 0)
            {
                return BackupOutcome.Fail([.. check.Problems.Select(p => $"the copy fails its check: {p}")]);
            }
            return BackupOutcome.Done(string.Create(CultureInfo.InvariantCulture,
                $"Copied {copied.Sum(c => c.Rows)} rows of {copied.Count} tables from {Name(sourceDialect)} to {Name(targetDialect)}: {check.Summary}."));
        }
        catch (CopyException e)
        {
            return BackupOutcome.Fail($"{e.Message}; nothing was written");
        }
    }

    private static async Task<long> CopyTableAsync(DbConnection source, DbTransaction read, TableInfo from, DbConnection writer,
        DbTransaction write, TableInfo table, DbDialect targetDialect, CancellationToken ct)
    {
        var columns = table.Columns.Select(c => c.Name).ToList();
        var missing = columns.Where(c => !from.Has(c)).ToList();
        if (missing.Count > 0 || from.Columns.Count != columns.Count)
        {
            throw new CopyException($"table {table.Name} has other columns in the source than in the target");
        }
        var list = string.Join(", ", columns.Select(DatabaseCheck.Quote));
        await using var select = source.CreateCommand();
        select.Transaction = read;
#pragma warning disable CA2100 // identifiers from the database's own catalog, quoted
        select.CommandText = $"SELECT {list} FROM {DatabaseCheck.Quote(table.Name)}";
#pragma warning restore CA2100
        await using var reader = await select.ExecuteReaderAsync(ct);
        return targetDialect == DbDialect.Postgres
            ? await CopyIntoPostgresAsync(reader, (NpgsqlConnection)writer, table, list, ct)
            : await InsertIntoSqliteAsync(reader, (SqliteConnection)writer, (SqliteTransaction)write, table, list, ct);
    }

    /// <summary>PostgreSQL's binary COPY: one stream per table, each value in the column's own type.</summary>
    private static async Task<long> CopyIntoPostgresAsync(DbDataReader reader, NpgsqlConnection writer, TableInfo table, string list, CancellationToken ct)
    {
        var types = table.Columns.Select(c => ColumnValues.PostgresType(c.Type)
            ?? throw new CopyException($"column {table.Name}.{c.Name} has type {c.Type}, which db copy does not know")).ToArray();
        await using var import = await writer.BeginBinaryImportAsync($"COPY {DatabaseCheck.Quote(table.Name)} ({list}) FROM STDIN (FORMAT BINARY)", ct);
        long rows = 0;
        while (await reader.ReadAsync(ct))
        {
            await import.StartRowAsync(ct);
            for (var i = 0; i < types.Length; i++)
            {
                if (await reader.IsDBNullAsync(i, ct))
                {
                    await import.WriteNullAsync(ct);
                    continue;
                }
                var value = reader.GetValue(i);
                object converted;
                try
                {
                    converted = ColumnValues.ForPostgres(value, types[i]);
                }
                catch (Exception e) when (e is FormatException or OverflowException or InvalidCastException)
                {
                    throw new CopyException($"{table.Name}.{table.Columns[i].Name} holds '{value}', which is no {table.Columns[i].Type} ({e.Message})");
                }
                await import.WriteAsync(converted, types[i], ct);
            }
            rows++;
        }
        await import.CompleteAsync(ct);
        return rows;
    }

    /// <summary>One prepared INSERT per table, executed per row inside the copy's transaction.</summary>
    private static async Task<long> InsertIntoSqliteAsync(DbDataReader reader, SqliteConnection writer, SqliteTransaction write, TableInfo table,
        string list, CancellationToken ct)
    {
        await using var insert = writer.CreateCommand();
        insert.Transaction = write;
        var names = table.Columns.Select((_, i) => string.Create(CultureInfo.InvariantCulture, $"@p{i}")).ToList();
#pragma warning disable CA2100 // identifiers from the database's own catalog, quoted; values bound
        insert.CommandText = $"INSERT INTO {DatabaseCheck.Quote(table.Name)} ({list}) VALUES ({string.Join(", ", names)})";
#pragma warning restore CA2100
        var parameters = names.Select(n => insert.Parameters.Add(new SqliteParameter(n, null))).ToArray();
        long rows = 0;
        while (await reader.ReadAsync(ct))
        {
            for (var i = 0; i < parameters.Length; i++)
            {
                parameters[i].Value = await reader.IsDBNullAsync(i, ct) ? DBNull.Value : ColumnValues.ForSqlite(reader.GetValue(i));
            }
            await insert.ExecuteNonQueryAsync(ct);
            rows++;
        }
        return rows;
    }

    /// <summary>Identity columns (partners, audit records) continue above the copied ids, as they did in the source.</summary>
    private static async Task AdvanceIdentitiesAsync(DbConnection writer, DbTransaction write)
    {
        var identities = await writer.QueryAsync<(string Table, string Column)>(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() AND is_identity = 'YES'",
            transaction: write);
        foreach (var (table, column) in identities)
        {
            await writer.ExecuteAsync(
                $"SELECT setval(pg_get_serial_sequence(@table, @column), COALESCE(MAX({DatabaseCheck.Quote(column)}), 0) + 1, false) FROM {DatabaseCheck.Quote(table)}",
                new { table = DatabaseCheck.Quote(table), column }, write);
        }
    }

    /// <summary>Row counts of every copied table, the derived rows the triggers rebuilt, and the allocator; null when all agree.</summary>
    private static async Task<string?> CompareAsync(DbConnection source, DbTransaction read, DbConnection writer, DbTransaction write,
        DbDialect targetDialect, List<(string Table, long Rows)> copied, long allocator)
    {
        foreach (var (table, rows) in copied)
        {
            var there = await writer.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {DatabaseCheck.Quote(table)}", transaction: write);
            if (there != rows)
            {
                return string.Create(CultureInfo.InvariantCulture, $"{table}: {rows} rows read, {there} in the target");
            }
        }
        foreach (var derived in TableCatalog.All.Where(t => t.Derived))
        {
            var query = $"SELECT * FROM {DatabaseCheck.Quote(derived.Name)}";
            var expected = await RowsAsTextAsync(source, read, query);
            var rebuilt = await RowsAsTextAsync(writer, write, query);
            if (!expected.SequenceEqual(rebuilt))
            {
                return $"{derived.Name} as rebuilt by the target differs from the source's";
            }
        }
        var targetAllocator = await DatabaseCheck.ReadAllocatorAsync(writer, targetDialect, write) ?? 0;
        return targetAllocator == allocator ? null
            : string.Create(CultureInfo.InvariantCulture, $"the id allocator is at {targetAllocator}, the source's at {allocator}");
    }

    private static async Task<List<string>> RowsAsTextAsync(DbConnection connection, DbTransaction transaction, string query)
    {
        var rows = new List<string>();
        await using var reader = await connection.ExecuteReaderAsync(query, transaction: transaction);
        while (await reader.ReadAsync())
        {
            var values = new string[reader.FieldCount];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture) ?? "";
            }
            rows.Add(string.Join("|", values));
        }
        rows.Sort(StringComparer.Ordinal);
        return rows;
    }

    /// <summary>A description of the first table holding rows (beyond the schema's bookkeeping), or null when the database is empty.</summary>
    private static async Task<string?> RowsInAsync(DbConnection connection, DbDialect dialect)
    {
        foreach (var table in await SchemaReader.ReadAsync(connection, dialect))
        {
            if (table.Name is TableCatalog.SchemaMigrations or TableCatalog.RowIds)
            {
                continue;
            }
            var rows = await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {DatabaseCheck.Quote(table.Name)}");
            if (rows > 0)
            {
                return string.Create(CultureInfo.InvariantCulture, $"{rows} rows in {table.Name}");
            }
        }
        var allocator = await DatabaseCheck.ReadAllocatorAsync(connection, dialect);
        return allocator is > 0 ? string.Create(CultureInfo.InvariantCulture, $"its id allocator is at {allocator}") : null;
    }

    /// <summary>
    /// A read transaction that sees one moment of the source for the whole copy and blocks no writer of a running
    /// server: SQLite's deferred transaction (a WAL snapshot from its first read), PostgreSQL's REPEATABLE READ.
    /// </summary>
    internal static async Task<DbTransaction> BeginSnapshotAsync(DbConnection source, CancellationToken ct) =>
        source is SqliteConnection sqlite
#pragma warning disable CA1849 // SQLite has no asynchronous BEGIN
            ? sqlite.BeginTransaction(deferred: true)
#pragma warning restore CA1849
            : await source.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);

    internal static async Task<DbConnection> OpenAsync(string connectionString, DbDialect dialect, CancellationToken ct)
    {
        if (dialect == DbDialect.Sqlite)
        {
            return await SqliteBackups.OpenAsync(SqliteBackups.DataSource(connectionString)!, SqliteOpenMode.ReadWriteCreate, ct);
        }
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, CommandTimeout = 0 }.ConnectionString);
        await connection.OpenAsync(ct);
        return connection;
    }

    private static bool SameDatabase(string a, string b)
    {
        var dialect = DbDialectExtensions.FromConnectionString(a);
        if (dialect != DbDialectExtensions.FromConnectionString(b))
        {
            return false;
        }
        if (dialect == DbDialect.Sqlite)
        {
            return SqliteBackups.DataSource(a) == SqliteBackups.DataSource(b);
        }
        var (x, y) = (new NpgsqlConnectionStringBuilder(a), new NpgsqlConnectionStringBuilder(b));
        return string.Equals(x.Host, y.Host, StringComparison.OrdinalIgnoreCase) && x.Port == y.Port && x.Database == y.Database;
    }

    private static string Name(DbDialect dialect) => dialect == DbDialect.Postgres ? "PostgreSQL" : "SQLite";

    /// <summary>A row or table that cannot be copied: the copy stops and its transaction rolls back.</summary>
    private sealed class CopyException(string message) : Exception(message);
}
