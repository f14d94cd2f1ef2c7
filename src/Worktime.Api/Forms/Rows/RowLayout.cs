using System.Collections;
using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
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
    }

    public FieldDefinition[] Fields { get; }

    public FrozenDictionary<string, int> Slots { get; }

    public string SelectList { get; }

    public static RowLayout Of(FormDefinition form) => Layouts.GetValue(form, f => new RowLayout(f));
}

/// <summary>
/// The field values of one row read from the database: one array in the layout's field order instead of a dictionary
/// per row (docs/benchmarks.md, "Read path"). Read-only, enumerated in field order like the dictionary it replaces.
/// </summary>
internal sealed class RowValues(RowLayout layout, object?[] values) : IReadOnlyDictionary<string, object?>
{
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
