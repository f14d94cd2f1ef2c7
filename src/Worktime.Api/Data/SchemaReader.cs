using System.Data.Common;
using Dapper;

namespace Worktime.Api.Data;

/// <summary>A column as the database describes it (the type in the database's own words, lower-case).</summary>
internal sealed record ColumnInfo(string Name, string Type, bool NotNull);

/// <summary>A foreign key of one column: <c>Table.Column</c> references <c>ParentTable.ParentColumn</c>.</summary>
internal sealed record ForeignKeyInfo(string Table, string Column, string ParentTable, string ParentColumn);

/// <summary>A table of the schema: its columns in order and the tables its foreign keys point at.</summary>
internal sealed record TableInfo(string Name, IReadOnlyList<ColumnInfo> Columns, IReadOnlyList<ForeignKeyInfo> ForeignKeys)
{
    public bool Has(string column) => Columns.Any(c => c.Name == column);
}

/// <summary>
/// Reads the schema of the open database from its own catalog (SQLite's <c>sqlite_master</c> and pragmas,
/// PostgreSQL's <c>information_schema</c> of the current schema), so the commands that copy or check every table
/// cover a table added by a later migration without a list of tables of their own.
/// </summary>
internal static class SchemaReader
{
    public static async Task<IReadOnlyList<TableInfo>> ReadAsync(DbConnection connection, DbDialect dialect, DbTransaction? transaction = null)
    {
        var names = dialect == DbDialect.Postgres
            ? await connection.QueryAsync<string>(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
                transaction: transaction)
            : await connection.QueryAsync<string>(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'", transaction: transaction);
        var tables = new List<TableInfo>();
        foreach (var name in names.Order(StringComparer.Ordinal))
        {
            tables.Add(dialect == DbDialect.Postgres
                ? await ReadPostgresAsync(connection, name, transaction)
                : await ReadSqliteAsync(connection, name, transaction));
        }
        return tables;
    }

    private static async Task<TableInfo> ReadSqliteAsync(DbConnection connection, string table, DbTransaction? transaction)
    {
        var columns = await connection.QueryAsync<(string Name, string Type, long NotNull)>(
            "SELECT name, lower(type), \"notnull\" FROM pragma_table_info(@table) ORDER BY cid", new { table }, transaction);
        var keys = await connection.QueryAsync<(string Parent, string From, string? To)>(
            "SELECT \"table\", \"from\", \"to\" FROM pragma_foreign_key_list(@table)", new { table }, transaction);
        return new TableInfo(table,
            columns.Select(c => new ColumnInfo(c.Name, c.Type, c.NotNull != 0)).ToList(),
            keys.Select(k => new ForeignKeyInfo(table, k.From, k.Parent, k.To ?? "id")).ToList());
    }

    private static async Task<TableInfo> ReadPostgresAsync(DbConnection connection, string table, DbTransaction? transaction)
    {
        var columns = await connection.QueryAsync<(string Name, string Type, string Nullable)>(
            """
            SELECT column_name, data_type, is_nullable FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = @table ORDER BY ordinal_position
            """, new { table }, transaction);
        var keys = await connection.QueryAsync<(string Column, string Parent, string ParentColumn)>(
            """
            SELECT a.attname, p.relname, pa.attname
            FROM pg_constraint k
            JOIN pg_class c ON c.oid = k.conrelid
            JOIN pg_class p ON p.oid = k.confrelid
            JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1]
            JOIN pg_attribute pa ON pa.attrelid = k.confrelid AND pa.attnum = k.confkey[1]
            WHERE k.contype = 'f' AND c.relname = @table AND c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())
            """, new { table }, transaction);
        return new TableInfo(table,
            columns.Select(c => new ColumnInfo(c.Name, c.Type.ToLowerInvariant(), c.Nullable == "NO")).ToList(),
            keys.Select(k => new ForeignKeyInfo(table, k.Column, k.Parent, k.ParentColumn)).ToList());
    }

    /// <summary>Parents before children (by the foreign keys), otherwise by name: the order to insert rows in.</summary>
    public static IReadOnlyList<TableInfo> InsertOrder(IReadOnlyList<TableInfo> tables)
    {
        var byName = tables.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var ordered = new List<TableInfo>();
        var state = new Dictionary<string, bool>(StringComparer.Ordinal); // false: on the path, true: placed
        void Visit(TableInfo table)
        {
            if (state.TryGetValue(table.Name, out var placed))
            {
                if (!placed)
                {
                    throw new InvalidOperationException($"Foreign keys form a cycle through {table.Name}.");
                }
                return;
            }
            state[table.Name] = false;
            foreach (var key in table.ForeignKeys.Where(k => k.ParentTable != table.Name))
            {
                if (byName.TryGetValue(key.ParentTable, out var parent))
                {
                    Visit(parent);
                }
            }
            state[table.Name] = true;
            ordered.Add(table);
        }
        foreach (var table in tables.OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            Visit(table);
        }
        return ordered;
    }
}
