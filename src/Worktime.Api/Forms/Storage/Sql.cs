using System.Text.RegularExpressions;
using System.Globalization;
using System.Text.Json;
using Dapper;
using Worktime.Api.Data;

namespace Worktime.Api.Forms.Storage;

/// <summary>Identifier quoting for generated SQL. Identifiers come only from form definitions; this refuses anything else.</summary>
internal static partial class Sql
{
    public static string Id(string identifier) =>
        SafeIdentifier().IsMatch(identifier)
            ? "\"" + identifier + "\""
            : throw new InvalidOperationException("Identifier not from a form definition.");

    /// <summary>
    /// The partner predicate of a statement whose rows are named by id (get one, an id list, the rows of a link):
    /// <c>"partner_id" + 0 = @p</c>, which no index can serve, so the rows are read through the primary key whatever
    /// the statistics say (docs/forms.md, "Query plans"). Every secondary index starts with <c>partner_id</c>, and
    /// without statistics both SQLite (about ten rows for an equality on an index's first column) and PostgreSQL
    /// (0.5 % of the table for any equality) took <c>partner_id = ?</c> for narrower than an id list: SQLite
    /// walked every row of the partner for one id (15.7 ms at 100,000 rows, docs/benchmarks.md).
    /// </summary>
    public static string PartnerOfRowsById(string placeholder) => $"{Id("partner_id")} + 0 = {placeholder}";

    /// <summary>
    /// The row status beside <see cref="PartnerOfRowsById"/>, as an expression no index serves: PostgreSQL read
    /// <c>row_status = 'normal'</c> as the whole of a partial index (<c>... WHERE row_status = 'normal'</c>, every
    /// partner's live rows) to combine with the primary key.
    /// </summary>
    public static string StatusOfRowsById() => $"{Id("row_status")} || ''";

    [GeneratedRegex("^[a-z][a-z0-9_]{0,62}$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex SafeIdentifier();
}

/// <summary>The bound parameters of one generated statement: every value reaches SQL only through here.</summary>
internal sealed class SqlArgs
{
    private readonly List<KeyValuePair<string, object?>> _values = [];

    public DynamicParameters Parameters { get; } = new();

    /// <summary>The same values by placeholder (<c>@p0</c> ...), for a reader that binds them itself.</summary>
    public IReadOnlyList<KeyValuePair<string, object?>> Values => _values;

    /// <summary>Binds <paramref name="value"/> and returns its placeholder.</summary>
    public string Add(object? value)
    {
        var name = "p" + _values.Count.ToString(CultureInfo.InvariantCulture);
        Parameters.Add(name, value);
        _values.Add(new("@" + name, value));
        return "@" + name;
    }

    /// <summary>
    /// <c>IN</c> a list of values (docs/forms.md, "Query limits" and "Query plans"). One value is a plain <c>= @p</c>,
    /// the equality every planner reads as one key. PostgreSQL: <c>= ANY(@p)</c> with a typed array, one parameter
    /// whatever the length. SQLite: a short list (up to <see cref="ShortList"/>) one parameter per value,
    /// <c>IN (@p1, @p2, ...)</c>, which its planner costs by the list's length; a longer one as ONE parameter,
    /// <c>IN (SELECT value FROM json_each(@p))</c>, so a list of a thousand costs one bind and linear work (SQLite
    /// runs it as an ephemeral index probed per row, or index lookups per value, never a quadratic scan) — and is
    /// costed as 25 values, whatever its length. Returns the text that follows the column: <c>"id" {In(...)}</c>.
    /// </summary>
    public string In(DbDialect dialect, IEnumerable<object> values)
    {
        var list = values.ToList();
        if (list.Count == 1)
        {
            return "= " + Add(list[0]);
        }
        if (dialect == DbDialect.Postgres)
        {
            return "= ANY(" + Add(TypedArray(list)) + ")";
        }
        return list.Count <= ShortList
            ? "IN (" + string.Join(", ", list.Select(Add)) + ")"
            : "IN (SELECT value FROM json_each(" + Add(JsonSerializer.Serialize(list)) + "))";
    }

    /// <summary>The longest SQLite list bound value by value: SQLite's planner guesses 25 rows for a list it cannot see.</summary>
    public const int ShortList = 25;

    private static Array TypedArray(List<object> values) =>
        values.All(v => v is long) ? values.Cast<long>().ToArray()
        : values.All(v => v is string) ? values.Cast<string>().ToArray()
        : values.All(v => v is long or double) ? values.Select(v => Convert.ToDouble(v, CultureInfo.InvariantCulture)).ToArray()
        : throw new InvalidOperationException("A value list mixes types that share no SQL type.");
}
