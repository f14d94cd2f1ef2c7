using System.Collections;
using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Worktime.Api.Forms.Definitions;

namespace Worktime.Api.Forms.Rows;

/// <summary>
/// What every row read of a form shares: its stored fields in definition order, the slot of each field name and
/// the SELECT list. Built once per form (definitions live as long as the process).
/// </summary>
internal sealed class RowLayout
{
    private static readonly ConditionalWeakTable<FormDefinition, RowLayout> Layouts = [];

    private RowLayout(FormDefinition form)
    {
        Fields = form.StoredFields.ToArray();
        Slots = Fields.Select((f, i) => KeyValuePair.Create(f.Name, i)).ToFrozenDictionary(StringComparer.Ordinal);
        SelectList = RowReader.BuildSelectList(form);
        Readable = form.Fields.Where(f => f.Readable)
            .Select(f => new ReadableField(f, Slots.GetValueOrDefault(f.Name, -1), JsonEncodedText.Encode(f.Name)))
            .ToArray();
    }

    public FieldDefinition[] Fields { get; }

    public FrozenDictionary<string, int> Slots { get; }

    public string SelectList { get; }

    /// <summary>The fields a row shows, in definition order, with their slot (-1: not stored) and their JSON name
    /// escaped once, not once per row.</summary>
    public ReadableField[] Readable { get; }

    public static RowLayout Of(FormDefinition form) => Layouts.GetValue(form, f => new RowLayout(f));
}

/// <summary>A field a row shows: where its value sits in a <see cref="RowValues"/> and its name as JSON.</summary>
internal sealed record ReadableField(FieldDefinition Field, int Slot, JsonEncodedText JsonName);

/// <summary>
/// The field values of one row read from the database: one array in the layout's field order instead of a dictionary
/// per row (docs/benchmarks.md, "Read path"). Read-only, enumerated in field order like the dictionary it replaces.
/// </summary>
internal sealed class RowValues(RowLayout layout, object?[] values) : IReadOnlyDictionary<string, object?>
{
    /// <summary>Whether these values are laid out by <paramref name="other"/> (then <see cref="At"/> reads by slot).</summary>
    public bool IsLaidOutBy(RowLayout other) => ReferenceEquals(layout, other);

    /// <summary>The value in a slot of this row's layout.</summary>
    public object? At(int slot) => values[slot];

    public object? this[string key] => layout.Slots.TryGetValue(key, out var slot) ? values[slot] : throw new KeyNotFoundException(key);

    public IEnumerable<string> Keys => layout.Fields.Select(f => f.Name);

    public IEnumerable<object?> Values => values;

    public int Count => values.Length;

    public bool ContainsKey(string key) => layout.Slots.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object? value)
    {
        if (layout.Slots.TryGetValue(key, out var slot))
        {
            value = values[slot];
            return true;
        }
        value = null;
        return false;
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < values.Length; i++)
        {
            yield return KeyValuePair.Create(layout.Fields[i].Name, values[i]);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
