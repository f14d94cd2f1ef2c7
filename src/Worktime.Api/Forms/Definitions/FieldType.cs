namespace Worktime.Api.Forms.Definitions;

/// <summary>The field types of docs/forms.md; the wire name is the lower-case member name.</summary>
internal enum FieldType
{
    Text,
    Number,
    Date,
    Time,
    Minutes,
    Checkbox,
    Dropdown,
    /// <summary>A reference to a row of another form of the same partner.</summary>
    Database,
    /// <summary>A JSON array, stored as its JSON text.</summary>
    Array,
    /// <summary>Derived by the form's hook from other fields; never written by clients.</summary>
    Computed,
}

internal static class FieldTypeExtensions
{
    public static string WireName(this FieldType type) => type switch
    {
        FieldType.Text => "text",
        FieldType.Number => "number",
        FieldType.Date => "date",
        FieldType.Time => "time",
        FieldType.Minutes => "minutes",
        FieldType.Checkbox => "checkbox",
        FieldType.Dropdown => "dropdown",
        FieldType.Database => "database",
        FieldType.Array => "array",
        _ => "computed",
    };

    /// <summary>Types whose values never contain a comma, so <c>a,b</c> in a filter can only mean "a or b".</summary>
    public static bool CommaIsList(this FieldType type) => type is not (FieldType.Text or FieldType.Array);
}
