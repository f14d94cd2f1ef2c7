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
    public static void Write(
        Utf8JsonWriter writer, FormDefinition form, StoredRow row, CurrentUser caller,
        IReadOnlyDictionary<FormDefinition, List<long>>? links = null)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("row_info");
        writer.WriteString("created", row.Created);
        WriteText(writer, "modified", row.Modified);
        writer.WriteString("partnerid", row.PartnerId.ToString(CultureInfo.InvariantCulture));
        WriteText(writer, "creatorid", row.CreatorId?.ToString(CultureInfo.InvariantCulture));
        writer.WriteString("status", row.Status);
        // A removed row can only be restored (privilege_remove), not edited.
        writer.WriteBoolean("privilege_remove", FormPrivileges.CanRemove(form, caller, row));
        writer.WriteBoolean("privilege_edit", !row.IsRemoved && FormPrivileges.CanEdit(form, caller, row));
        writer.WriteEndObject();
        writer.WriteNumber("id", row.Id);
        foreach (var field in form.Fields)
        {
            if (field.Readable)
            {
                writer.WritePropertyName(field.Name);
                WriteValue(writer, field, row[field.Name]);
            }
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

    private static void WriteText(Utf8JsonWriter writer, string name, string? value)
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
