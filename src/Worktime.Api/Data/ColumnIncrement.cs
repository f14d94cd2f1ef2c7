namespace Worktime.Api.Data;

/// <summary>
/// A column value that means "its current value + 1" in an UPDATE's SET list, so a counter (a user's
/// <c>security_version</c>, docs/auth.md) is raised atomically in the same statement as the change it records.
/// Statement builders that take a column → value map render it as <c>"col" = "col" + 1</c> instead of binding it.
/// </summary>
internal sealed class ColumnIncrement
{
    public static readonly ColumnIncrement One = new();

    private ColumnIncrement()
    {
    }

    /// <summary><c>col = col + 1</c> for an increment, else <c>col = </c><paramref name="bind"/>(value).</summary>
    public static string Assignment(string quotedColumn, object? value, Func<object?, string> bind) =>
        value is ColumnIncrement ? $"{quotedColumn} = {quotedColumn} + 1" : $"{quotedColumn} = {bind(value)}";
}
