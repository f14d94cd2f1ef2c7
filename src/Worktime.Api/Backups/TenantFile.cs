using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Worktime.Api.Data;

namespace Worktime.Api.Backups;

/// <summary>
/// The file of <c>worktime partner export</c> and <c>partner import</c> (docs/deploy.md, "A tenant's data in and out"):
/// NDJSON, one JSON object a line. The first line is the header (<see cref="Format"/>, <see cref="Version"/>, the schema
/// it was written by, the partner's id), then one line per row (<c>{"table":…,"row":{column: value}}</c>), then the end
/// line with the number of rows of each table, so a cut-off file is refused rather than half imported.
/// </summary>
internal static class TenantFile
{
    public const string Format = "worktime-partner-export";

    /// <summary>The version of the layout; a file of a higher version is refused by this binary.</summary>
    public const int Version = 1;

    /// <summary>Which columns of an exported table hold ids of the shared row-id space, by table (the forms' references).</summary>
    public static IReadOnlyList<string> RowIdColumns(TableEntry entry, IReadOnlyDictionary<string, IReadOnlyList<string>> references) =>
        [.. entry.RowIdColumns, .. references.GetValueOrDefault(entry.Name) ?? []];

    /// <summary>A database value as JSON: numbers, text, booleans, null; a blob as base64 text, a time as ISO 8601 text.</summary>
    public static void WriteValue(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null or DBNull:
                json.WriteNullValue();
                break;
            case long or int or short or byte:
                json.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case double or float:
                json.WriteNumberValue(Convert.ToDouble(value, CultureInfo.InvariantCulture));
                break;
            case decimal d:
                json.WriteNumberValue(d);
                break;
            case bool b:
                json.WriteBooleanValue(b);
                break;
            case string s:
                json.WriteStringValue(s);
                break;
            case byte[] bytes:
                json.WriteBase64StringValue(bytes);
                break;
            case DateTime t:
                json.WriteStringValue(t.ToString("O", CultureInfo.InvariantCulture));
                break;
            default:
                json.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }

    /// <summary>A JSON value of the file as a database value (<see cref="DBNull"/> for null); a blob column's text is base64.</summary>
    public static object ReadValue(JsonElement value, bool blob) => value.ValueKind switch
    {
        JsonValueKind.Null => DBNull.Value,
        JsonValueKind.Number => value.TryGetInt64(out var whole) ? whole : (object)value.GetDouble(), // not double for both
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.String when blob => value.GetBytesFromBase64(),
        JsonValueKind.String => value.GetString()!,
        _ => throw new FormatException($"a {value.ValueKind} where a column value belongs"),
    };

    /// <summary>Whether a column of the target's schema holds bytes.</summary>
    public static bool IsBlob(ColumnInfo column) => column.Type is "blob" or "bytea";

    /// <summary>The quoted column list and a SELECT of one table's exported rows of one partner.</summary>
    public static string SelectRows(TableEntry entry, IReadOnlyList<string> columns)
    {
        var list = string.Join(", ", columns.Select(DatabaseCheck.Quote));
        var order = columns.Contains("id") ? " ORDER BY id" : "";
        return $"SELECT {list} FROM {DatabaseCheck.Quote(entry.Name)} WHERE {OfPartner(entry)}{order}";
    }

    /// <summary>The number of one table's rows of the partner <c>@partner</c>.</summary>
    public static string CountRows(TableEntry entry) => $"SELECT COUNT(*) FROM {DatabaseCheck.Quote(entry.Name)} WHERE {OfPartner(entry)}";

    private static string OfPartner(TableEntry entry)
    {
        var owner = DatabaseCheck.Quote(entry.OwnerColumn!);
        return entry.Scope == TableScope.User
            ? $"{owner} IN (SELECT id FROM users WHERE partner_id = @partner)"
            : $"{owner} = @partner";
    }

    /// <summary>The tables an export carries, in the catalog's order (partners first, then users, then the rest).</summary>
    public static IEnumerable<TableEntry> ExportedTables => TableCatalog.All.Where(t => t.Export == PartnerExport.Rows);

    /// <summary>Reads the applied migrations and says why the database cannot take part (null: it is this binary's schema).</summary>
    public static async Task<string?> SchemaProblemAsync(DbConnection connection, DbDialect dialect, string which)
    {
        var applied = await Migrator.AppliedVersionsAsync(connection, dialect);
        var known = Migrator.Scripts(dialect).Select(s => s.Version).ToList();
        if (applied.SequenceEqual(known))
        {
            return null;
        }
        return applied.Except(known).Any()
            ? $"the {which} database's schema is {applied[^1]}, newer than this binary's {known[^1]}; use a newer worktime"
            : $"the {which} database is not up to date: run worktime db migrate on it first";
    }
}
