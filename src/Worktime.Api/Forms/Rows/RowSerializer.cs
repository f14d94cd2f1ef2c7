using System.Globalization;
using System.Text.Json;
using Worktime.Api.Auth;
using Worktime.Api.Forms.Access;
using Worktime.Api.Forms.Definitions;
using Worktime.Api.Forms.Storage;

namespace Worktime.Api.Forms.Rows;

/// <summary>
/// Writes a row in the exact shape of docs/forms.md: <c>row_info</c> first (string ids, privilege flags for the
/// caller), then <c>id</c>, then the readable fields in definition order, then — on get-one — the link sets.
/// </summary>
internal static class RowSerializer
{
    // Property names escaped once (JsonEncodedText), not on every row of every page.
    private static readonly JsonEncodedText RowInfo = JsonEncodedText.Encode("row_info");
    private static readonly JsonEncodedText CreatedName = JsonEncodedText.Encode("created");
    private static readonly JsonEncodedText ModifiedName = JsonEncodedText.Encode("modified");
    private static readonly JsonEncodedText PartnerIdName = JsonEncodedText.Encode("partnerid");
    private static readonly JsonEncodedText CreatorIdName = JsonEncodedText.Encode("creatorid");
    private static readonly JsonEncodedText StatusName = JsonEncodedText.Encode("status");
    private static readonly JsonEncodedText PrivilegeRemoveName = JsonEncodedText.Encode("privilege_remove");
    private static readonly JsonEncodedText PrivilegeEditName = JsonEncodedText.Encode("privilege_edit");
    private static readonly JsonEncodedText IdName = JsonEncodedText.Encode("id");

    /// <param name="locks">The partner's period locks, read with the row when it reads <c>locked</c>: a row a lock covers can be
    /// neither edited nor removed by anyone.</param>
    public static void Write(
        Utf8JsonWriter writer, FormDefinition form, StoredRow row, CurrentUser caller,
        IReadOnlyDictionary<FormDefinition, List<long>>? links = null, PeriodLockSet? locks = null)
    {
        writer.WriteStartObject();
        writer.WriteStartObject(RowInfo);
        writer.WriteString(CreatedName, row.Created);
        WriteText(writer, ModifiedName, row.Modified);
        WriteId(writer, PartnerIdName, row.PartnerId);
        if (row.CreatorId is { } creator)
        {
            WriteId(writer, CreatorIdName, creator);
        }
        else
        {
            writer.WriteNull(CreatorIdName);
        }
        writer.WriteString(StatusName, row.Status);
        // A removed row can only be restored (privilege_remove), not edited; a locked one neither (docs/forms.md).
        var locked = FormPrivileges.IsLocked(form, row, locks);
        writer.WriteBoolean(PrivilegeRemoveName, !locked && FormPrivileges.CanRemove(form, caller, row));
        writer.WriteBoolean(PrivilegeEditName, !locked && !row.IsRemoved && FormPrivileges.CanEdit(form, caller, row));
        writer.WriteEndObject();
        writer.WriteNumber(IdName, row.Id);
        var layout = RowLayout.Of(form);
        // Rows read by RowReader carry their values by slot: no name lookup per field.
        var bySlot = row.Values is RowValues values && values.IsLaidOutBy(layout) ? values : null;
        foreach (var readable in layout.Readable)
        {
            writer.WritePropertyName(readable.JsonName);
            var value = bySlot is null ? row[readable.Field.Name] : readable.Slot < 0 ? null : bySlot.At(readable.Slot);
            WriteValue(writer, readable.Field, value);
        }
        if (links is null)
        {
            writer.WriteEndObject();
            return;
        }
        foreach (var (other, ids) in links)
        {
            writer.WriteStartArray(Naming.LinkKey(other));
            foreach (var id in ids)
            {
                writer.WriteStringValue(id.ToString(CultureInfo.InvariantCulture));
            }
            writer.WriteEndArray();
        }
        writer.WriteEndObject();
    }

    /// <summary>A value in its wire type: numbers for ids, references and numbers; strings for text, dates, times; null when unset ([] for arrays).</summary>
    public static void WriteValue(Utf8JsonWriter writer, FieldDefinition field, object? value)
    {
        switch (value)
        {
            case null when field.Type == FieldType.Array:
                writer.WriteStartArray(); // an empty array field is [] as on the live API, never null
                writer.WriteEndArray();
                break;
            case null:
                writer.WriteNullValue();
                break;
            case long minutes when field.Type == FieldType.Computed:
                writer.WriteStringValue(FieldValues.FormatHoursMinutes(minutes));
                break;
            case long number:
                writer.WriteNumberValue(number);
                break;
            case double number:
                writer.WriteNumberValue(number);
                break;
            case bool flag:
                writer.WriteBooleanValue(flag);
                break;
            case string json when field.Type == FieldType.Array:
                writer.WriteRawValue(json); // stored from a parsed JSON array, so it is valid JSON
                break;
            default:
                writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }

    /// <summary>An id as a JSON string (the live API's row_info shape), formatted without a string per row.</summary>
    private static void WriteId(Utf8JsonWriter writer, JsonEncodedText name, long id)
    {
        Span<byte> digits = stackalloc byte[20];
        id.TryFormat(digits, out var written, default, CultureInfo.InvariantCulture);
        writer.WriteString(name, digits[..written]);
    }

    private static void WriteText(Utf8JsonWriter writer, JsonEncodedText name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }
}
