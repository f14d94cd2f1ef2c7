using System.Globalization;

namespace Worktime.Api.Forms;

/// <summary>
/// A form row as stored: the row_info columns plus the field values keyed by field name, already in their
/// engine types (string for text, dates <c>YYYY-MM-DD</c>, times <c>HH:MM</c> and dropdowns; long for references,
/// minutes and whole numbers; double for other numbers; bool for checkboxes; arrays as JSON text). Part of the
/// engine's public surface (docs/architecture.md, "The forms engine's door").
/// </summary>
internal sealed record StoredRow(
    long Id,
    long PartnerId,
    string Created,
    string? Modified,
    long? CreatorId,
    string Status,
    IReadOnlyDictionary<string, object?> Values)
{
    public const string Normal = "normal";
    public const string Removed = "removed";

    /// <summary>A field's value; null when unset (or not a field of the form).</summary>
    public object? this[string field] => Values.TryGetValue(field, out var value) ? value : null;

    public bool IsRemoved => Status == Removed;

    /// <summary>A reference, minutes or whole-number field; null when unset.</summary>
    public long? Long(string field) => this[field] switch
    {
        null => null,
        long value => value,
        var other => Convert.ToInt64(other, CultureInfo.InvariantCulture),
    };

    /// <summary>A number field; null when unset.</summary>
    public double? Double(string field) => this[field] switch
    {
        null => null,
        double value => value,
        var other => Convert.ToDouble(other, CultureInfo.InvariantCulture),
    };

    /// <summary>A text, time or dropdown field; null when unset.</summary>
    public string? Text(string field) => this[field] as string;

    /// <summary>A date field; null when unset.</summary>
    public DateOnly? Date(string field) =>
        this[field] is string text && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : null;

    /// <summary>A checkbox field; null when unset.</summary>
    public bool? Flag(string field) => this[field] as bool?;
}
