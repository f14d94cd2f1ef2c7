using System.Globalization;
using Worktime.Api.Forms.Definitions;

namespace Worktime.Api.Forms;

// What FormRows answers (docs/architecture.md, "The forms engine's door"): plain values, no SQL, no HTTP.

/// <summary>One page of a findAll, as <c>GET /&lt;forms&gt;</c> answers it: the rows, the count of every match, the sideloads.</summary>
internal sealed record FormPage(IReadOnlyList<StoredRow> Rows, long Count, IReadOnlyList<FormSideload> Sideloads)
{
    /// <summary>The partner's period locks when a row of the page may be covered by one (for <see cref="FormRows.Privileges"/>), else none.</summary>
    public PeriodLockSet Locks { get; init; } = PeriodLockSet.None;
}

/// <summary>
/// Rows of <paramref name="Target"/> referenced by a page, in order of first appearance, with the fields of them the
/// caller may see (<paramref name="Fields"/>; the id always).
/// </summary>
internal sealed record FormSideload(FormDefinition Target, IReadOnlyList<FieldDefinition> Fields, IReadOnlyList<StoredRow> Rows);

/// <summary>One row (any status) and, per linked form, the ids of the live rows it is linked to.</summary>
internal sealed record FoundRow(StoredRow Row, IReadOnlyDictionary<FormDefinition, List<long>> Links)
{
    /// <summary>The partner's period locks when the row may be covered by one (for <see cref="FormRows.Privileges"/>), else none.</summary>
    public PeriodLockSet Locks { get; init; } = PeriodLockSet.None;
}

/// <summary>A choice for a reference field: the row's id and its display fields joined by spaces.</summary>
internal readonly record struct FormOption(long Id, string Text);

/// <summary>The choices of one page and the count of every choice.</summary>
internal sealed record FormOptions(IReadOnlyList<FormOption> Options, long Count);

/// <summary>What a caller may do with one row: <c>row_info.privilege_edit</c> and <c>privilege_remove</c>.</summary>
internal readonly record struct RowPrivileges(bool Edit, bool Remove);

/// <summary>How many rows a month (<c>YYYY-MM</c>) of a form's date field holds.</summary>
internal readonly record struct MonthCount(string Month, long Count);

/// <summary>
/// The sideloads asked for by <c>sideload=true</c> / <c>sideload[]=field.display</c> on one form, parsed and
/// checked against what the caller may read (<see cref="FormRows.ParseSideloads"/>).
/// </summary>
internal sealed class FormSideloadRequest
{
    internal FormSideloadRequest(FormDefinition form, IReadOnlyDictionary<FieldDefinition, List<string>> plan)
    {
        Form = form;
        Plan = plan;
    }

    public FormDefinition Form { get; }

    public bool IsEmpty => Plan.Count == 0;

    internal IReadOnlyDictionary<FieldDefinition, List<string>> Plan { get; }
}

/// <summary>
/// One group of <see cref="FormRows.SumAsync"/>: its key values by grouping name (a field, or <c>field:month</c>),
/// how many rows it holds and the sums by field name. Sums of minutes, references and whole numbers are exact
/// integers; sums of other numbers are doubles.
/// </summary>
internal sealed class FormGroup(IReadOnlyDictionary<string, object?> keys, long count, IReadOnlyDictionary<string, object?> sums)
{
    public IReadOnlyDictionary<string, object?> Keys { get; } = keys;

    public long Count { get; } = count;

    public IReadOnlyDictionary<string, object?> Sums { get; } = sums;

    /// <summary>A key as a reference or whole number; null for rows without a value.</summary>
    public long? KeyLong(string grouping) => Keys[grouping] is { } value ? Convert.ToInt64(value, CultureInfo.InvariantCulture) : null;

    /// <summary>A key as text (a date, a month <c>YYYY-MM</c>, a dropdown value).</summary>
    public string? KeyText(string grouping) => Keys[grouping] as string;

    /// <summary>An integer sum (minutes, whole numbers); 0 when every value was unset.</summary>
    public long SumLong(string field) => Sums[field] is { } value ? Convert.ToInt64(value, CultureInfo.InvariantCulture) : 0;

    /// <summary>A sum as a double; 0 when every value was unset.</summary>
    public double SumDouble(string field) => Sums[field] is { } value ? Convert.ToDouble(value, CultureInfo.InvariantCulture) : 0;
}
