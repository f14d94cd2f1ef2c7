namespace Worktime.Api.Forms.Storage;

/// <summary>
/// A form row as stored: the row_info columns plus the field values keyed by field name, already in their
/// engine types (string, long, double, bool; arrays as JSON text).
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

    public object? this[string field] => Values.TryGetValue(field, out var value) ? value : null;

    public bool IsRemoved => Status == Removed;
}
