using Worktime.Api.Forms.Definitions;
using Worktime.Api.Forms.Storage;

namespace Worktime.Api.Forms.Query;

/// <summary>A compiled findAll: the WHERE text (identifiers from the definition only) with its bound values, order and page.</summary>
internal sealed record FindAllQuery(
    FormDefinition Form,
    string Where,
    SqlArgs Args,
    string OrderBy,
    int Limit,
    long Offset,
    SideloadPlan Sideload,
    WholeMonths? CountFromMonths = null);

/// <summary>
/// The filter is exactly partner + row status + these whole months: the count can be read from the form's per-month
/// counts (<see cref="FormDefinition.MonthCounts"/>) instead of counted row by row.
/// </summary>
internal sealed record WholeMonths(string RowStatus, string From, string To);

/// <summary>Which reference fields to sideload, and which display fields of each target to include.</summary>
internal sealed record SideloadPlan(IReadOnlyDictionary<FieldDefinition, IReadOnlyList<string>> Fields)
{
    public static readonly SideloadPlan None = new(new Dictionary<FieldDefinition, IReadOnlyList<string>>());
}
