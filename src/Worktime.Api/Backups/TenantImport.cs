using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;
using Worktime.Api.Data;

namespace Worktime.Api.Backups;

/// <summary>
/// <c>worktime partner import FILE</c> (docs/deploy.md, "A tenant's data in and out"): a <see cref="TenantFile"/> into a
/// database that may hold other partners. The file is read twice: first checked whole (header, version, every line,
/// the end line's counts) and its row ids collected, then written in one transaction: a new partner id, new row ids
/// from the shared allocator (in the order of the old ones, so findAll's order by id is kept), every reference
/// remapped. Times, creators (remapped) and the rest of every row are kept. Refused, with nothing written, on a
/// malformed or newer file, a username already taken, or a reference that leaves the partner.
/// </summary>
internal static class TenantImport
{
    /// <param name="references">The columns of each form table that reference other form rows (from the forms' definitions).</param>
    public static async Task<BackupOutcome> ImportAsync(string connectionString, string file, string? newName,
        IReadOnlyDictionary<string, IReadOnlyList<string>> references, CancellationToken ct)
    {
        if (!File.Exists(file))
        {
            return BackupOutcome.Fail($"there is no file {file}");
        }
        Contents contents;
        try
        {
            contents = await ReadAsync(file, ct);
        }
        catch (ImportException e)
        {
            return BackupOutcome.Fail($"{file} is not a partner export this worktime can import: {e.Message}; nothing was written");
        }

        var dialect = DbDialectExtensions.FromConnectionString(connectionString);
        await using (var database = new Database(connectionString))
        {
            await new Migrator(database).MigrateAsync(ct); // as every admin command: the binary's schema
        }
        await using var target = await DatabaseCopy.OpenAsync(connectionString, dialect, ct);
        if (await TenantFile.SchemaProblemAsync(target, dialect, "target") is { } problem)
        {
            return BackupOutcome.Fail(problem);
        }
        await using var write = await target.BeginWriteAsync(ct);
        try
        {
            var schema = (await SchemaReader.ReadAsync(target, dialect, write)).ToDictionary(t => t.Name, StringComparer.Ordinal);
            var taken = await TakenAsync(target, write, contents.Usernames);
            if (taken.Count > 0)
            {
                return BackupOutcome.Fail($"the username{(taken.Count == 1 ? "" : "s")} {string.Join(", ", taken.Take(5).Select(n => $"'{n}'"))}{(taken.Count > 5 ? ", …" : "")} already exist{(taken.Count == 1 ? "s" : "")} in this database; nothing was written");
            }
            var ids = await AllocateAsync(target, write, contents.RowIds);
            await using var importer = new Writer(target, write, dialect, schema, ids, references, newName);
            await foreach (var (table, row) in RowsAsync(file, ct))
            {
                await importer.InsertAsync(TableCatalog.Find(table)!, row, ct);
            }
            foreach (var (table, rows) in contents.Counts)
            {
                var entry = TableCatalog.Find(table)!;
                var there = await target.ExecuteScalarAsync<long>(TenantFile.CountRows(entry), new { partner = importer.Partner }, write);
                if (there != rows)
                {
                    return BackupOutcome.Fail(string.Create(CultureInfo.InvariantCulture,
                        $"{table}: {rows} rows in the file, {there} imported; nothing was written"));
                }
            }
            await write.CommitAsync(ct);
            return BackupOutcome.Done(string.Create(CultureInfo.InvariantCulture,
                $"Imported partner {contents.Partner} as partner {importer.Partner}: {contents.Counts.Values.Sum()} rows of {contents.Counts.Count} tables ({contents.Counts.GetValueOrDefault(TableCatalog.Users)} users, {(contents.WithCredentials ? "with their passwords" : "without passwords: set them with worktime user passwd")})."));
        }
        catch (ImportException e)
        {
            return BackupOutcome.Fail($"{e.Message}; nothing was written");
        }
    }

    /// <summary>The usernames of the file (by their comparison key) that this database already has: logins are unique across partners.</summary>
    private static async Task<List<string>> TakenAsync(DbConnection target, DbTransaction write, IReadOnlyCollection<string> names)
    {
        var taken = new List<string>();
        foreach (var name in names)
        {
            if (await target.ExecuteScalarAsync<string?>("SELECT username FROM users WHERE username_norm = @name", new { name }, write) is { } found)
            {
                taken.Add(found);
            }
        }
        return taken;
    }

    /// <summary>New ids from the shared allocator, handed to the old ids in their order.</summary>
    private static async Task<Dictionary<long, long>> AllocateAsync(DbConnection target, DbTransaction write, SortedSet<long> old)
    {
        var map = new Dictionary<long, long>(old.Count);
        if (old.Count == 0)
        {
            return map;
        }
        List<long> fresh;
        if (target is SqliteConnection)
        {
            // Inside the write transaction no other writer runs; the block is ours, and a rollback returns it.
            var last = await target.ExecuteScalarAsync<long>("UPDATE row_ids SET last_id = last_id + @n RETURNING last_id", new { n = old.Count }, write);
            fresh = [.. Enumerable.Range(0, old.Count).Select(i => last - old.Count + 1 + i)];
        }
        else
        {
            fresh = [.. (await target.QueryAsync<long>("SELECT nextval('row_ids') FROM generate_series(1, @n)", new { n = old.Count }, write)).Order()];
        }
        var i = 0;
        foreach (var id in old)
        {
            map[id] = fresh[i++];
        }
        return map;
    }

    /// <summary>What the first pass learnt of a file that is whole and of this version.</summary>
    private sealed record Contents(long Partner, bool WithCredentials, SortedSet<long> RowIds, HashSet<string> Usernames, Dictionary<string, long> Counts);

    private static async Task<Contents> ReadAsync(string file, CancellationToken ct)
    {
        using var lines = File.OpenText(file);
        var header = await lines.ReadLineAsync(ct) ?? throw new ImportException("the file is empty");
        long partner;
        bool withCredentials;
        try
        {
            using var document = JsonDocument.Parse(header);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out var format) || format.ValueKind != JsonValueKind.String
                || format.GetString() != TenantFile.Format)
            {
                throw new ImportException($"its first line is not the header of a {TenantFile.Format} file");
            }
            var version = root.GetProperty("version").GetInt32();
            if (version > TenantFile.Version)
            {
                throw new ImportException(string.Create(CultureInfo.InvariantCulture,
                    $"it is of version {version}, newer than this binary's {TenantFile.Version}: import it with a newer worktime"));
            }
            if (version < 1)
            {
                throw new ImportException(string.Create(CultureInfo.InvariantCulture, $"it claims version {version}"));
            }
            var schema = root.GetProperty("schema").GetString() ?? "";
            var known = Migrator.Scripts(DbDialect.Sqlite).Select(s => s.Version).ToList();
            if (!known.Contains(schema))
            {
                throw new ImportException($"it was written by a schema ({schema}) this binary does not know (its newest is {known[^1]}): import it with a newer worktime");
            }
            partner = root.GetProperty("partner").GetInt64();
            withCredentials = root.GetProperty("with_credentials").GetBoolean();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new ImportException($"its header cannot be read ({FirstLine(e.Message)})");
        }

        var ids = new SortedSet<long>();
        var usernames = new HashSet<string>(StringComparer.Ordinal);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        Dictionary<string, long>? end = null;
        var number = 1;
        while (await lines.ReadLineAsync(ct) is { } line)
        {
            number++;
            if (end is not null)
            {
                throw new ImportException(string.Create(CultureInfo.InvariantCulture, $"line {number} follows the end line"));
            }
            try
            {
                using var document = JsonDocument.Parse(line);
                var root = document.RootElement;
                if (root.TryGetProperty("end", out var last))
                {
                    end = last.GetProperty("rows").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64(), StringComparer.Ordinal);
                    continue;
                }
                var table = root.GetProperty("table").GetString() ?? "";
                var row = root.GetProperty("row");
                var entry = TableCatalog.Find(table);
                if (entry is not { Export: PartnerExport.Rows } || row.ValueKind != JsonValueKind.Object)
                {
                    throw new ImportException(string.Create(CultureInfo.InvariantCulture, $"line {number} holds a row of {table}, which no export carries"));
                }
                counts[table] = counts.GetValueOrDefault(table) + 1;
                if (entry.IsForm)
                {
                    if (!ids.Add(row.GetProperty("id").GetInt64()))
                    {
                        throw new ImportException(string.Create(CultureInfo.InvariantCulture, $"line {number}: the id {row.GetProperty("id").GetInt64()} appears twice"));
                    }
                }
                if (entry.Name == TableCatalog.Users)
                {
                    usernames.Add(row.GetProperty("username_norm").GetString() ?? "");
                }
                if (entry.Name == TableCatalog.Partners && counts[table] > 1)
                {
                    throw new ImportException("it holds more than one partner");
                }
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                throw new ImportException(string.Create(CultureInfo.InvariantCulture, $"line {number} cannot be read ({FirstLine(e.Message)})"));
            }
        }
        if (end is null)
        {
            throw new ImportException("it has no end line (the file is cut off)");
        }
        if (counts.GetValueOrDefault(TableCatalog.Partners) != 1)
        {
            throw new ImportException("it holds no partner row");
        }
        foreach (var table in end.Keys.Union(counts.Keys))
        {
            if (TableCatalog.Find(table) is not { Export: PartnerExport.Rows })
            {
                throw new ImportException($"its end line counts rows of {table}, which no export carries");
            }
            if (end.GetValueOrDefault(table) != counts.GetValueOrDefault(table))
            {
                throw new ImportException(string.Create(CultureInfo.InvariantCulture,
                    $"its end line counts {end.GetValueOrDefault(table)} rows of {table}, the file holds {counts.GetValueOrDefault(table)}"));
            }
        }
        return new Contents(partner, withCredentials, ids, usernames, end);
    }

    /// <summary>The second pass: every row line, parsed (the first pass proved the file whole).</summary>
    private static async IAsyncEnumerable<(string Table, JsonElement Row)> RowsAsync(string file,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        using var lines = File.OpenText(file);
        await lines.ReadLineAsync(ct); // the header
        while (await lines.ReadLineAsync(ct) is { } line)
        {
            using var document = JsonDocument.Parse(line);
            if (document.RootElement.TryGetProperty("table", out var table))
            {
                yield return (table.GetString()!, document.RootElement.GetProperty("row").Clone());
            }
        }
    }

    /// <summary>Inserts rows with their references remapped; one prepared statement per table and column list.</summary>
    private sealed class Writer(DbConnection target, DbTransaction write, DbDialect dialect, Dictionary<string, TableInfo> schema,
        Dictionary<long, long> ids, IReadOnlyDictionary<string, IReadOnlyList<string>> references, string? newName) : IAsyncDisposable
    {
        private readonly Dictionary<string, DbCommand> _commands = new(StringComparer.Ordinal);

        public long Partner { get; private set; }

        public async Task InsertAsync(TableEntry entry, JsonElement row, CancellationToken ct)
        {
            var table = schema.GetValueOrDefault(entry.Name)
                ?? throw new ImportException($"this database has no table {entry.Name}");
            var remapped = TenantFile.RowIdColumns(entry, references);
            var columns = new List<ColumnInfo>();
            var values = new List<object>();
            foreach (var property in row.EnumerateObject())
            {
                var column = table.Columns.FirstOrDefault(c => c.Name == property.Name)
                    ?? throw new ImportException($"this database's table {entry.Name} has no column {property.Name}");
                if (entry.GeneratedColumns.Contains(column.Name) || (entry.Name == TableCatalog.Partners && column.Name == "id"))
                {
                    continue;
                }
                object value;
                try
                {
                    value = TenantFile.ReadValue(property.Value, TenantFile.IsBlob(column));
                }
                catch (FormatException e)
                {
                    throw new ImportException($"{entry.Name}.{column.Name}: {e.Message}");
                }
                if (entry.Name == TableCatalog.Partners && column.Name == "name" && newName is not null)
                {
                    value = newName;
                }
                else if (column.Name == entry.OwnerColumn && entry.Scope == TableScope.Partner)
                {
                    value = Partner;
                }
                else if (value is long old && IsRowId(entry, column.Name, remapped))
                {
                    value = ids.TryGetValue(old, out var fresh) ? fresh
                        // A creator, or an audited person, outside the partner (an installation's admin): unknown here.
                        : column.Name == "creator_id" || (entry.RowIdColumns.Contains(column.Name) && !column.NotNull) ? DBNull.Value
                        : throw new ImportException(string.Create(CultureInfo.InvariantCulture,
                            $"{entry.Name}.{column.Name} refers to row {old}, which is not in the file"));
                }
                columns.Add(column);
                values.Add(value);
            }
            if (entry.Name == TableCatalog.Partners)
            {
                Partner = await InsertRowAsync(table, columns, values, " RETURNING id", ct);
                return;
            }
            if (Partner == 0)
            {
                throw new ImportException("a row comes before the partner's");
            }
            await InsertRowAsync(table, columns, values, "", ct);
        }

        private static bool IsRowId(TableEntry entry, string column, IReadOnlyList<string> remapped) =>
            (column == entry.OwnerColumn && entry.Scope == TableScope.User)
            || (entry.IsForm && column is "id" or "creator_id")
            || remapped.Contains(column);

        public async ValueTask DisposeAsync()
        {
            foreach (var command in _commands.Values)
            {
                await command.DisposeAsync();
            }
        }

        private async Task<long> InsertRowAsync(TableInfo table, List<ColumnInfo> columns, List<object> values, string returning, CancellationToken ct)
        {
            var key = table.Name + ":" + string.Join(",", columns.Select(c => c.Name));
            if (!_commands.TryGetValue(key, out var insert))
            {
                insert = target.CreateCommand();
                insert.Transaction = write;
#pragma warning disable CA2100 // identifiers from the database's own schema, quoted; values bound
                insert.CommandText = string.Create(CultureInfo.InvariantCulture,
                    $"INSERT INTO {DatabaseCheck.Quote(table.Name)} ({string.Join(", ", columns.Select(c => DatabaseCheck.Quote(c.Name)))}) VALUES ({string.Join(", ", columns.Select((_, i) => $"@p{i}"))}){returning}");
#pragma warning restore CA2100
                for (var i = 0; i < columns.Count; i++)
                {
                    var parameter = insert.CreateParameter();
                    parameter.ParameterName = string.Create(CultureInfo.InvariantCulture, $"@p{i}");
                    if (parameter is NpgsqlParameter npgsql)
                    {
                        npgsql.NpgsqlDbType = ColumnValues.PostgresType(columns[i].Type)
                            ?? throw new ImportException($"column {table.Name}.{columns[i].Name} has type {columns[i].Type}, which an import does not know");
                    }
                    insert.Parameters.Add(parameter);
                }
                _commands[key] = insert;
            }
            for (var i = 0; i < columns.Count; i++)
            {
                var parameter = insert.Parameters[i];
                try
                {
                    parameter.Value = values[i] is DBNull ? DBNull.Value
                        : dialect == DbDialect.Postgres ? ColumnValues.ForPostgres(values[i], ((NpgsqlParameter)parameter).NpgsqlDbType)
                        : ColumnValues.ForSqlite(values[i]);
                }
                catch (Exception e) when (e is FormatException or OverflowException or InvalidCastException)
                {
                    throw new ImportException($"{table.Name}.{columns[i].Name} holds '{values[i]}', which is no {columns[i].Type} ({e.Message})");
                }
            }
            try
            {
                return returning.Length > 0
                    ? Convert.ToInt64(await insert.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture)
                    : await insert.ExecuteNonQueryAsync(ct);
            }
            catch (DbException e) when (DbWrites.IsUniqueViolation(e))
            {
                throw new ImportException($"a row of {table.Name} clashes with one already in this database ({FirstLine(e.Message)})");
            }
        }
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();

    /// <summary>A file or row that cannot be imported: the import stops and its transaction rolls back.</summary>
    private sealed class ImportException(string message) : Exception(message);
}
