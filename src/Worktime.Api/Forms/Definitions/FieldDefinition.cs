namespace Worktime.Api.Forms.Definitions;

/// <summary>
/// One field of a form: its wire name, type, storage column and rules. Everything the engine does with a
/// field (parse, validate, filter, sort, serialize, describe) is decided from this record.
/// </summary>
internal sealed record FieldDefinition(string Name, FieldType Type)
{
    /// <summary>The table column (quoted in SQL); null for a field the engine never stores itself (a password).</summary>
    public string? Column { get; init; } = Name;

    public bool Required { get; init; }

    /// <summary>Returned but never written by clients (computed values); input for it is ignored.</summary>
    public bool ReadOnly { get; init; }

    /// <summary>Written but never returned (a password); handled by the form's hook.</summary>
    public bool WriteOnly { get; init; }

    /// <summary>For <see cref="FieldType.Database"/>: the referenced form's name.</summary>
    public string? Target { get; init; }

    /// <summary>For <see cref="FieldType.Dropdown"/>: the allowed values, in display order.</summary>
    public IReadOnlyList<string>? Options { get; init; }

    /// <summary>Value given on create when the body omits the field (dropdowns: the form's default).</summary>
    public string? Default { get; init; }

    /// <summary>For <see cref="FieldType.Number"/>: whole numbers only.</summary>
    public bool Integer { get; init; }

    public double? Min { get; init; }

    public double? Max { get; init; }

    /// <summary>Can appear in a findAll filter and in <c>order</c>.</summary>
    public bool Queryable => Column is not null && !WriteOnly && Type != FieldType.Array;

    /// <summary>Shown in rows (everything but write-only fields).</summary>
    public bool Readable => !WriteOnly;

    /// <summary>Accepted from a request body.</summary>
    public bool Writable => !ReadOnly && Type != FieldType.Computed;
}

/// <summary>Short constructors so the built-in definitions read as a table.</summary>
internal static class F
{
    public static FieldDefinition Text(string name) => new(name, FieldType.Text);

    public static FieldDefinition Number(string name) => new(name, FieldType.Number);

    public static FieldDefinition Date(string name) => new(name, FieldType.Date);

    public static FieldDefinition Time(string name) => new(name, FieldType.Time);

    public static FieldDefinition Minutes(string name) => new(name, FieldType.Minutes);

    public static FieldDefinition Array(string name) => new(name, FieldType.Array);

    public static FieldDefinition Checkbox(string name) => new(name, FieldType.Checkbox);

    public static FieldDefinition Ref(string name, string target) => new(name, FieldType.Database) { Target = target };

    public static FieldDefinition Dropdown(string name, string[] options, string? defaultValue = null) =>
        new(name, FieldType.Dropdown) { Options = options, Default = defaultValue };

    /// <summary>Computed by a hook and stored in <paramref name="column"/> so it can be filtered and sorted.</summary>
    public static FieldDefinition Computed(string name, string column) =>
        new(name, FieldType.Computed) { Column = column, ReadOnly = true };
}
