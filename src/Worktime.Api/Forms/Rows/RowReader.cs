using System.Data;
using System.Data.Common;
using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;
using Worktime.Api.Data;
using Worktime.Api.Forms.Definitions;
using Worktime.Api.Forms.Storage;

namespace Worktime.Api.Forms.Rows;

/// <summary>Reads form rows: the column list of a form and the mapping of provider values to engine types.</summary>
internal static class RowReader
{
    private static readonly string[] InfoColumns = ["id", "partner_id", "created", "modified", "creator_id", "row_status"];

    /// <summary><c>"id", "partner_id", ..., "&lt;field columns&gt;"</c> for a SELECT of whole rows.</summary>
    public static string SelectList(FormDefinition form) => RowLayout.Of(form).SelectList;

    internal static string BuildSelectList(FormDefinition form) =>
        string.Join(", ", InfoColumns.Concat(form.StoredFields.Select(f => f.Column!)).Select(Sql.Id));

    /// <summary>
    /// Rows straight from the data reader (no intermediate dynamic row per record): a 100-row page is one of the
    /// hottest paths, and every object per row shows in its allocations (docs/benchmarks.md).
    /// </summary>
    public static async Task<List<StoredRow>> QueryAsync(
        DbConnection connection, FormDefinition form, string sql, SqlArgs args, DbTransaction? transaction = null)
    {
        if (transaction is null && connection is SqliteConnection { State: ConnectionState.Open } sqlite && SqliteQuery.CanBind(args.Values))
        {
            return ReadSqlite(sqlite, form, sql, args);
        }
        await using var reader = await connection.ExecuteReaderAsync(sql, args.Parameters, transaction);
        var rows = new List<StoredRow>();
        if (!await reader.ReadAsync())
        {
            return rows;
        }
        var layout = RowLayout.Of(form);
        var fields = layout.Fields;
        var ordinals = new int[fields.Length];
        for (var i = 0; i < fields.Length; i++)
        {
            ordinals[i] = reader.GetOrdinal(fields[i].Column!);
        }
        int id = reader.GetOrdinal("id"), partner = reader.GetOrdinal("partner_id"), created = reader.GetOrdinal("created"),
            modified = reader.GetOrdinal("modified"), creator = reader.GetOrdinal("creator_id"), status = reader.GetOrdinal("row_status");
        // GetValue after ReadAsync reads the current row, which the provider has already buffered: no I/O to await.
#pragma warning disable CA1849
        do
        {
            // One array per row instead of a dictionary: a 100-row page is one of the hottest paths, and every
            // object per row shows in its allocations (docs/benchmarks.md, "Read path").
            var values = new object?[fields.Length];
            for (var i = 0; i < fields.Length; i++)
            {
                values[i] = Normalize(fields[i], reader.GetValue(ordinals[i])); // DBNull becomes null
            }
            rows.Add(new StoredRow(
                reader.GetInt64(id),
                reader.GetInt64(partner),
                reader.GetString(created),
                reader.IsDBNull(modified) ? null : reader.GetString(modified),
                reader.IsDBNull(creator) ? null : reader.GetInt64(creator),
                reader.GetString(status),
                new RowValues(layout, values)));
        }
        while (await reader.ReadAsync());
#pragma warning restore CA1849
        return rows;
    }

    /// <summary>
    /// The same rows read through SQLite's C API (<see cref="SqliteQuery"/>): typed reads by storage class for the
    /// usual case, the provider's conversions (<see cref="Normalize"/>) for anything else, so both paths give equal rows.
    /// </summary>
    private static List<StoredRow> ReadSqlite(SqliteConnection connection, FormDefinition form, string sql, SqlArgs args)
    {
        using var query = new SqliteQuery(connection, sql, args.Values);
        var rows = new List<StoredRow>();
        if (!query.Step())
        {
            return rows;
        }
        var layout = RowLayout.Of(form);
        var fields = layout.Fields;
        var names = query.ColumnNames();
        var ordinals = new int[fields.Length];
        for (var i = 0; i < fields.Length; i++)
        {
            ordinals[i] = Column(names, fields[i].Column!);
        }
        int id = Column(names, "id"), partner = Column(names, "partner_id"), created = Column(names, "created"),
            modified = Column(names, "modified"), creator = Column(names, "creator_id"), status = Column(names, "row_status");
        do
        {
            var values = new object?[fields.Length];
            for (var i = 0; i < fields.Length; i++)
            {
                values[i] = ReadField(query, fields[i], ordinals[i]);
            }
            rows.Add(new StoredRow(
                Long(query, id),
                Long(query, partner),
                Text(query, created),
                query.CellAt(modified).Type == SqliteQuery.Null ? null : Text(query, modified),
                query.CellAt(creator).Type == SqliteQuery.Null ? null : Long(query, creator),
                Text(query, status),
                new RowValues(layout, values)));
        }
        while (query.Step());
        return rows;
    }

    private static int Column(string[] names, string name) =>
        Array.IndexOf(names, name) is var ordinal and >= 0 ? ordinal : throw new InvalidOperationException($"No column {name} in the result.");

    /// <summary>A column read as an integer: its own value when stored as one, SQLite's conversion otherwise.</summary>
    private static long Long(SqliteQuery query, int column) =>
        query.CellAt(column) is { Type: SqliteQuery.Integer } cell ? cell.Int64 : query.Int64(column);

    /// <summary>A column read as text: its own bytes when stored as text, SQLite's conversion otherwise.</summary>
    private static string Text(SqliteQuery query, int column) =>
        query.CellAt(column) is { Type: SqliteQuery.Text } cell ? cell.Text : query.String(column);

    private static object? ReadField(SqliteQuery query, FieldDefinition field, int column)
    {
        var cell = query.CellAt(column);
        return (cell.Type, field.Type) switch
        {
            (SqliteQuery.Null, _) => null,
            (SqliteQuery.Float, FieldType.Number) when !field.Integer => cell.Double,
            (SqliteQuery.Integer, FieldType.Number or FieldType.Minutes or FieldType.Database or FieldType.Computed)
                when field.Type != FieldType.Number || field.Integer => cell.Int64,
            (SqliteQuery.Integer, FieldType.Checkbox) => cell.Int64 != 0 ? True : False,
            (SqliteQuery.Text, not (FieldType.Number or FieldType.Minutes or FieldType.Database or FieldType.Computed or FieldType.Checkbox))
                => cell.Text,
            _ => Normalize(field, query.Value(column)),
        };
    }

    // A value the provider already returns in the engine's type is kept as it is (no second box); the stored
    // types are the same on both databases (BIGINT/INTEGER, TEXT, REAL/DOUBLE), so that is almost every value.
    private static object? Normalize(FieldDefinition field, object? value) => value switch
    {
        null or DBNull => null,
        _ => field.Type switch
        {
            FieldType.Number when !field.Integer => value as double? ?? Convert.ToDouble(value, CultureInfo.InvariantCulture),
            FieldType.Number or FieldType.Minutes or FieldType.Database or FieldType.Computed =>
                value is long ? value : Convert.ToInt64(value, CultureInfo.InvariantCulture),
            FieldType.Checkbox => Convert.ToInt64(value, CultureInfo.InvariantCulture) != 0 ? True : False,
            _ => value as string ?? Convert.ToString(value, CultureInfo.InvariantCulture),
        },
    };

    private static readonly object True = true;
    private static readonly object False = false;
}
