using System.Globalization;
using System.Text.Json;
using Worktime.Api.Forms.Definitions;
using Worktime.Api.Forms.Storage;

namespace Worktime.Api.Forms.Writes;

/// <summary>The body of a create or update, sorted into what the engine does with each key.</summary>
internal sealed class ParsedInput
{
    public Dictionary<string, object?> Changes { get; } = [];

    public Dictionary<string, string> WriteOnly { get; } = [];

    public Dictionary<FormDefinition, List<long>> Links { get; } = [];

    /// <summary>The <c>row_info.status</c> asked for (restore or remove), if any.</summary>
    public string? RowStatus { get; private set; }

    public List<long>? BulkIds { get; private set; }

    public Dictionary<string, string> Errors { get; } = [];

    /// <summary>True when the call changes the row itself (not only its status).</summary>
    public bool ChangesRow => Changes.Count > 0 || WriteOnly.Count > 0 || Links.Count > 0;

    /// <summary>Most ids one call may name (bulk update, a link set).</summary>
    public const int MaxIds = 1000;

    /// <summary>
    /// Keys: fields (parsed by type); <c>link.&lt;forms&gt;</c> (a set of ids); <c>row_info.status</c> (restore);
    /// <c>id</c> (the id list of a bulk update). Ignored, as public clients send them back: <c>row_info</c> and other
    /// <c>row_info.*</c> keys, a single row's <c>id</c>, read-only and computed fields. Anything else is a field error.
    /// </summary>
    public static ParsedInput Parse(FormDefinition form, FormRegistry registry, JsonElement body, bool bulk)
    {
        var input = new ParsedInput();
        foreach (var property in body.EnumerateObject())
        {
            input.Read(form, registry, property.Name, property.Value, bulk);
        }
        if (bulk && input.BulkIds is null)
        {
            input.Errors["id"] = "must list the ids of the rows to update";
        }
        return input;
    }

    private void Read(FormDefinition form, FormRegistry registry, string key, JsonElement value, bool bulk)
    {
        if (key == "row_info.status")
        {
            if (value.ValueKind == JsonValueKind.String && value.GetString() is StoredRow.Normal or StoredRow.Removed)
            {
                RowStatus = value.GetString();
            }
            else
            {
                Errors[key] = "must be normal or removed";
            }
            return;
        }
        if (key == "row_info" || key.StartsWith("row_info.", StringComparison.Ordinal))
        {
            return;
        }
        if (key == "id")
        {
            if (bulk)
            {
                ReadBulkIds(value);
            }
            return;
        }
        if (key.StartsWith("link.", StringComparison.Ordinal))
        {
            ReadLink(form, registry, key, value);
            return;
        }
        if (form.Field(key) is not { } field)
        {
            Errors[key] = "is not a field of this form";
        }
        else if (field.WriteOnly)
        {
            if (value.ValueKind == JsonValueKind.String && FieldValues.IsSafeText(value.GetString()!))
            {
                WriteOnly[key] = value.GetString()!;
            }
            else if (value.ValueKind != JsonValueKind.Null)
            {
                Errors[key] = "must be text";
            }
        }
        else if (field.Writable)
        {
            if (FieldValues.TryParseJson(field, value, out var parsed, out var problem))
            {
                Changes[key] = parsed;
            }
            else
            {
                Errors[key] = problem!;
            }
        }
    }

    private void ReadBulkIds(JsonElement value)
    {
        var ids = Ids(value);
        if (ids is null || ids.Count == 0 || ids.Count > MaxIds)
        {
            Errors["id"] = $"must be a list of 1 to {MaxIds} row ids";
            return;
        }
        BulkIds = ids.Distinct().ToList();
    }

    private void ReadLink(FormDefinition form, FormRegistry registry, string key, JsonElement value)
    {
        var other = form.Links.Select(registry.Get).FirstOrDefault(o => Naming.LinkKey(o) == key);
        var ids = value.ValueKind == JsonValueKind.Null ? [] : Ids(value);
        if (other is null)
        {
            Errors[key] = "is not a link of this form";
        }
        else if (ids is null || ids.Count > MaxIds)
        {
            Errors[key] = $"must be a list of at most {MaxIds} row ids";
        }
        else
        {
            Links[other] = ids.Distinct().ToList();
        }
    }

    /// <summary>An array (or a single value) of ids as numbers or numeric strings, the way clients send them.</summary>
    private static List<long>? Ids(JsonElement value)
    {
        var items = value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().ToList() : [value];
        var ids = new List<long>();
        foreach (var item in items)
        {
            var text = item.ValueKind switch
            {
                JsonValueKind.Number => item.GetRawText(),
                JsonValueKind.String => item.GetString()!.Trim(),
                _ => "",
            };
            if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id <= 0)
            {
                return null;
            }
            ids.Add(id);
        }
        return ids;
    }
}
