using Worktime.Api.Forms.Definitions;
using Worktime.Api.Forms.Rows;

namespace Worktime.Api.Forms.Query;

/// <summary>A compiled findAll: the WHERE text (identifiers from the definition only) with its bound values, order and page.</summary>
internal sealed record FindAllQuery(
    FormDefinition Form,
    string Where,
    SqlArgs Args,
    string OrderBy,
    int Limit,
    long Offset,
    SideloadPlan Sideload);

/// <summary>Which reference fields to sideload, and which display fields of each target to include.</summary>
internal sealed record SideloadPlan(IReadOnlyDictionary<FieldDefinition, IReadOnlyList<string>> Fields)
{
    public static readonly SideloadPlan None = new(new Dictionary<FieldDefinition, IReadOnlyList<string>>());
}
