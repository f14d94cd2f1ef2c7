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
    /// <c>IN</c> a list of values bound as ONE parameter, so a long list costs one bind and linear work (docs/forms.md,
    /// "Query limits"): PostgreSQL <c>= ANY(@p)</c> with a typed array; SQLite <c>IN (SELECT value FROM json_each(@p))</c>,
    /// which SQLite runs as an ephemeral index probed per row (or index lookups per value), never a quadratic scan.
    /// Returns the text that follows the column: <c>"id" {In(...)}</c>.
    /// </summary>
    public string In(DbDialect dialect, IEnumerable<object> values)
    {
        var list = values.ToList();
        if (dialect == DbDialect.Postgres)
        {
            return "= ANY(" + Add(TypedArray(list)) + ")";
        }
        return "IN (SELECT value FROM json_each(" + Add(JsonSerializer.Serialize(list)) + "))";
    }

    private static Array TypedArray(List<object> values) =>
        values.All(v => v is long) ? values.Cast<long>().ToArray()
        : values.All(v => v is string) ? values.Cast<string>().ToArray()
        : values.All(v => v is long or double) ? values.Select(v => Convert.ToDouble(v, CultureInfo.InvariantCulture)).ToArray()
        : throw new InvalidOperationException("A value list mixes types that share no SQL type.");
}
