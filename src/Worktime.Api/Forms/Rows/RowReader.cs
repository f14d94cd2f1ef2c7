using System.Data.Common;
using System.Globalization;
using Dapper;
using Worktime.Api.Forms.Definitions;

namespace Worktime.Api.Forms.Rows;

/// <summary>Reads form rows: the column list of a form and the mapping of provider values to engine types.</summary>
internal static class RowReader
{
    private static readonly string[] InfoColumns = ["id", "partner_id", "created", "modified", "creator_id", "row_status"];

    /// <summary><c>"id", "partner_id", ..., "&lt;field columns&gt;"</c> for a SELECT of whole rows.</summary>
    public static string SelectList(FormDefinition form) =>
        string.Join(", ", InfoColumns.Concat(form.StoredFields.Select(f => f.Column!)).Select(Sql.Id));

    public static async Task<List<StoredRow>> QueryAsync(
        DbConnection connection, FormDefinition form, string sql, SqlArgs args, DbTransaction? transaction = null)
    {
        var raw = await connection.QueryAsync(sql, args.Parameters, transaction);
        return raw.Select(r => Map(form, (IDictionary<string, object?>)r)).ToList();
    }

    public static StoredRow Map(FormDefinition form, IDictionary<string, object?> columns)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var field in form.StoredFields)
        {
            values[field.Name] = Normalize(field, columns[field.Column!]);
        }
        return new StoredRow(
            Convert.ToInt64(columns["id"], CultureInfo.InvariantCulture),
            Convert.ToInt64(columns["partner_id"], CultureInfo.InvariantCulture),
            (string)columns["created"]!,
            columns["modified"] as string,
            columns["creator_id"] is null or DBNull ? null : Convert.ToInt64(columns["creator_id"], CultureInfo.InvariantCulture),
            (string)columns["row_status"]!,
            values);
    }

    private static object? Normalize(FieldDefinition field, object? value) => value switch
    {
        null or DBNull => null,
        _ => field.Type switch
        {
            FieldType.Number when !field.Integer => Convert.ToDouble(value, CultureInfo.InvariantCulture),
            FieldType.Number or FieldType.Minutes or FieldType.Database or FieldType.Computed =>
                Convert.ToInt64(value, CultureInfo.InvariantCulture),
            FieldType.Checkbox => Convert.ToInt64(value, CultureInfo.InvariantCulture) != 0,
            _ => Convert.ToString(value, CultureInfo.InvariantCulture),
        },
    };
}
