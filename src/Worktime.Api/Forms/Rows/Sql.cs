using System.Text.RegularExpressions;
using Dapper;

namespace Worktime.Api.Forms.Rows;

/// <summary>Identifier quoting for generated SQL. Identifiers come only from form definitions; this refuses anything else.</summary>
internal static partial class Sql
{
    public static string Id(string identifier) =>
        SafeIdentifier().IsMatch(identifier)
            ? "\"" + identifier + "\""
            : throw new InvalidOperationException("Identifier not from a form definition.");

    [GeneratedRegex("^[a-z][a-z0-9_]{0,62}$")]
    private static partial Regex SafeIdentifier();
}

/// <summary>The bound parameters of one generated statement: every value reaches SQL only through here.</summary>
internal sealed class SqlArgs
{
    private int _next;

    public DynamicParameters Parameters { get; } = new();

    /// <summary>Binds <paramref name="value"/> and returns its placeholder.</summary>
    public string Add(object? value)
    {
        var name = "p" + _next++;
        Parameters.Add(name, value);
        return "@" + name;
    }

    public string AddList(IEnumerable<object> values) => "(" + string.Join(", ", values.Select(Add)) + ")";
}
