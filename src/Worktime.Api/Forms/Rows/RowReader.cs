using System.Data.Common;
using System.Globalization;
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
    /// Rows straight from the database's row cursor (no intermediate dynamic row per record): a 100-row page is one
    /// of the hottest paths, and every object per row shows in its allocations (docs/benchmarks.md).
    /// </summary>
    public static async Task<List<StoredRow>> QueryAsync(
        DbConnection connection, FormDefinition form, string sql, SqlArgs args, DbTransaction? transaction = null,
        CancellationToken ct = default)
    {
        await using var cursor = await RowCursor.OpenAsync(connection, sql, args.Values, transaction, ct);
        var rows = new List<StoredRow>();
        var columns = new Columns(cursor, RowLayout.Of(form));
        while (await cursor.ReadAsync(ct))
        {
            rows.Add(columns.Read(cursor));
        }
        return rows;
    }

    /// <summary>The same rows one at a time, for a caller that must not hold them all (an export of a year).</summary>
    public static async IAsyncEnumerable<StoredRow> StreamAsync(
        DbConnection connection, FormDefinition form, string sql, SqlArgs args,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var cursor = await RowCursor.OpenAsync(connection, sql, args.Values, null, ct);
        var columns = new Columns(cursor, RowLayout.Of(form));
        while (await cursor.ReadAsync(ct))
        {
            yield return columns.Read(cursor);
        }
    }

    /// <summary>Where each column of a form's row sits in the result, looked up once per query.</summary>
    private sealed class Columns
    {
        private readonly RowLayout _layout;
        private readonly int[] _fields;
        private readonly int _id, _partner, _created, _modified, _creator, _status;

        public Columns(RowCursor cursor, RowLayout layout)
        {
            _layout = layout;
            _fields = layout.Fields.Select(f => cursor.Ordinal(f.Column!)).ToArray();
            (_id, _partner, _created, _modified, _creator, _status) = (cursor.Ordinal("id"), cursor.Ordinal("partner_id"),
                cursor.Ordinal("created"), cursor.Ordinal("modified"), cursor.Ordinal("creator_id"), cursor.Ordinal("row_status"));
        }

        /// <summary>
        /// The current row: typed reads by the cell's kind for the usual case, the provider's conversions
        /// (<see cref="Normalize"/>) for anything else, so both databases give equal rows. One array per row instead
        /// of a dictionary (docs/benchmarks.md, "Read path").
        /// </summary>
        public StoredRow Read(RowCursor cursor)
        {
            var fields = _layout.Fields;
            var values = new object?[fields.Length];
            for (var i = 0; i < fields.Length; i++)
            {
                values[i] = ReadField(cursor, fields[i], _fields[i]);
            }
            return new StoredRow(
                cursor.Int64(_id),
                cursor.Int64(_partner),
                cursor.Text(_created),
                cursor.Kind(_modified) == CellKind.Null ? null : cursor.Text(_modified),
                cursor.Kind(_creator) == CellKind.Null ? null : cursor.Int64(_creator),
                cursor.Text(_status),
                new RowValues(_layout, values));
        }
    }

    private static object? ReadField(RowCursor cursor, FieldDefinition field, int column) =>
        (cursor.Kind(column), field.Type) switch
        {
            (CellKind.Null, _) => null,
            (CellKind.Real, FieldType.Number) when !field.Integer => cursor.Double(column),
            (CellKind.Integer, FieldType.Number or FieldType.Minutes or FieldType.Database or FieldType.Computed)
                when field.Type != FieldType.Number || field.Integer => cursor.Int64(column),
            (CellKind.Integer, FieldType.Checkbox) => cursor.Int64(column) != 0 ? True : False,
            (CellKind.Text, not (FieldType.Number or FieldType.Minutes or FieldType.Database or FieldType.Computed or FieldType.Checkbox))
                => cursor.Text(column),
            _ => Normalize(field, cursor.Value(column)),
        };

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
