
namespace Worktime.Api.Forms.Definitions;

/// <summary>
/// A form: its names on the wire, its table, its fields in definition (= output) order, and the rules the
/// engine applies to it. Behaviour a form does not share with the others lives in its <see cref="Hooks.FormHooks"/> (registered in DI, found by form name).
/// </summary>
internal sealed record FormDefinition(string Name, string Table, IReadOnlyList<FieldDefinition> Fields)
{
    /// <summary>Plural = name + s unless the name already ends in s (docs/forms.md).</summary>
    public string Plural => Name.EndsWith('s') ? Name : Name + "s";

    /// <summary>Root key of one row in bodies: camelCase of the name (<c>project_task</c> → <c>projectTask</c>).</summary>
    public string Key => Naming.CamelCase(Name);

    /// <summary>Path segment and root key of lists: camelCase of the plural.</summary>
    public string PluralKey => Naming.CamelCase(Plural);

    /// <summary>The date field of a date-indexed form: default sort, implicit current month.</summary>
    public string? DateField { get; init; }

    /// <summary>Fields shown for a referenced row (sideload) and joined into an option's <c>text</c>.</summary>
    public IReadOnlyList<string> DisplayFields { get; init; } = ["name"];

    /// <summary>Forms this one is linked to many-to-many (symmetric: the other side lists this one).</summary>
    public IReadOnlyList<string> Links { get; init; } = [];

    public AccessRules Access { get; init; } = AccessRules.Shared(writeLevel: 3);

    /// <summary>
    /// The table of this form's rows counted per partner, row status and month of its <see cref="DateField"/>, kept
    /// by triggers in the row's own transaction (worktimes: migration 008); null when the form has none. A month
    /// listing's count and the per-month counts of the engine's surface read it instead of counting rows.
    /// </summary>
    public string? MonthCounts { get; init; }

    /// <summary>Set on forms whose rows a period lock closes (worktimes, absences); null: locks do not apply.</summary>
    public PeriodLockRule? PeriodLock { get; init; }

    /// <summary>One sentence for the API reference (the form's tag); null: the generic one.</summary>
    public string? Description { get; init; }

    public FieldDefinition? Field(string name) => Fields.FirstOrDefault(f => f.Name == name);

    public IEnumerable<FieldDefinition> StoredFields => Fields.Where(f => f.Column is not null);
}

/// <summary>Wire naming rules shared by paths and keys.</summary>
internal static class Naming
{
    public static string CamelCase(string name)
    {
        var parts = name.Split('_', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 0 ? name : parts[0] + string.Concat(parts.Skip(1).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
    }

    public static string LinkKey(FormDefinition target) => "link." + target.PluralKey;
}
