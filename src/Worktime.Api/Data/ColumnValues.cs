using System.Globalization;
using NpgsqlTypes;

namespace Worktime.Api.Backups;

/// <summary>
/// A value read from one database, made fit for a column of the other (<c>db copy</c>). SQLite stores integers,
/// reals, text and blobs whatever a column's declared type; PostgreSQL wants the column's own type. A value that
/// cannot be converted (text that is no number in a number column) is an error naming the column, never a guess.
/// </summary>
internal static class ColumnValues
{
    /// <summary>The Npgsql type of a PostgreSQL column (information_schema's <c>data_type</c>); null when unsupported.</summary>
    public static NpgsqlDbType? PostgresType(string dataType) => dataType switch
    {
        "bigint" => NpgsqlDbType.Bigint,
        "integer" => NpgsqlDbType.Integer,
        "smallint" => NpgsqlDbType.Smallint,
        "double precision" => NpgsqlDbType.Double,
        "real" => NpgsqlDbType.Real,
        "numeric" => NpgsqlDbType.Numeric,
        "text" or "character varying" or "character" => NpgsqlDbType.Text,
        "boolean" => NpgsqlDbType.Boolean,
        "bytea" => NpgsqlDbType.Bytea,
        "timestamp with time zone" => NpgsqlDbType.TimestampTz,
        "timestamp without time zone" => NpgsqlDbType.Timestamp,
        "date" => NpgsqlDbType.Date,
        "uuid" => NpgsqlDbType.Uuid,
        _ => null,
    };

    /// <summary>The value as the PostgreSQL type wants it; throws <see cref="FormatException"/> when it cannot be.</summary>
    public static object ForPostgres(object value, NpgsqlDbType type) => type switch
    {
        NpgsqlDbType.Bigint => ToLong(value),
        NpgsqlDbType.Integer => checked((int)ToLong(value)),
        NpgsqlDbType.Smallint => checked((short)ToLong(value)),
        NpgsqlDbType.Double => ToDouble(value),
        NpgsqlDbType.Real => (float)ToDouble(value),
        NpgsqlDbType.Numeric => value is string s ? decimal.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture) : Convert.ToDecimal(value, CultureInfo.InvariantCulture),
        NpgsqlDbType.Text => ToText(value),
        NpgsqlDbType.Boolean => value switch
        {
            bool b => b,
            long or int or short => ToLong(value) != 0,
            string s => bool.Parse(s),
            _ => throw Unfit(value),
        },
        NpgsqlDbType.Bytea => value as byte[] ?? throw Unfit(value),
        NpgsqlDbType.TimestampTz => DateTime.SpecifyKind(ToDateTime(value), DateTimeKind.Utc),
        NpgsqlDbType.Timestamp => DateTime.SpecifyKind(ToDateTime(value), DateTimeKind.Unspecified),
        NpgsqlDbType.Date => value is DateOnly d ? d : DateOnly.Parse(ToText(value), CultureInfo.InvariantCulture),
        NpgsqlDbType.Uuid => value is Guid g ? g : Guid.Parse(ToText(value)),
        _ => throw Unfit(value),
    };

    /// <summary>The value in one of SQLite's storage classes (integer, real, text, blob).</summary>
    public static object ForSqlite(object value) => value switch
    {
        long or string or double or byte[] => value,
        int or short or byte => Convert.ToInt64(value, CultureInfo.InvariantCulture),
        float or decimal => Convert.ToDouble(value, CultureInfo.InvariantCulture),
        bool b => b ? 1L : 0L,
        DateTime t => t.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        Guid g => g.ToString(),
        _ => ToText(value),
    };

    private static long ToLong(object value) => value switch
    {
        long l => l,
        int or short or byte => Convert.ToInt64(value, CultureInfo.InvariantCulture),
        double d when d == Math.Floor(d) && Math.Abs(d) < 9e15 => (long)d,
        string s when long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => throw Unfit(value),
    };

    private static double ToDouble(object value) => value switch
    {
        double d => d,
        long or int or short or float or decimal => Convert.ToDouble(value, CultureInfo.InvariantCulture),
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => throw Unfit(value),
    };

    private static string ToText(object value) => value switch
    {
        string s => s,
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        byte[] => throw Unfit(value),
        _ => value.ToString() ?? "",
    };

    private static DateTime ToDateTime(object value) => value switch
    {
        DateTime t => t,
        string s => DateTime.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
        _ => throw Unfit(value),
    };

    private static FormatException Unfit(object value) =>
        new($"a value of type {value.GetType().Name} does not fit");
}
