using System.Text.Json;
using Worktime.Api.Auth;
using Worktime.Api.Forms.Definitions;
using Worktime.Api.Forms.Rows;

namespace Worktime.Api.Forms;

/// <summary>
/// The wire shape of rows (docs/forms.md), for a route outside the engine that answers form rows as the API does:
/// the same writer the engine's own routes use, so the shapes cannot drift apart.
/// </summary>
internal static class FormJson
{
    /// <summary>
    /// A whole row: <c>row_info</c> (with the caller's privileges; pass the <c>Locks</c> the row came with), <c>id</c>,
    /// the readable fields; links on get-one.
    /// </summary>
    public static void WriteRow(Utf8JsonWriter writer, FormDefinition form, StoredRow row, CurrentUser caller,
        IReadOnlyDictionary<FormDefinition, List<long>>? links = null, PeriodLockSet? locks = null) =>
        RowSerializer.Write(writer, form, row, caller, links, locks);

    /// <summary>A field's value in its wire type (<c>work_hours</c> as <c>H:MM</c>, an unset array as <c>[]</c>).</summary>
    public static void WriteValue(Utf8JsonWriter writer, FieldDefinition field, object? value) => RowSerializer.WriteValue(writer, field, value);

    /// <summary>A sideload's rows as the array findAll answers under the target's plural: <c>[{"id":…, display fields…}]</c>.</summary>
    public static void WriteSideloadRows(Utf8JsonWriter writer, FormSideload sideload)
    {
        writer.WriteStartArray();
        foreach (var row in sideload.Rows)
        {
            writer.WriteStartObject();
            writer.WriteNumber("id", row.Id);
            foreach (var field in sideload.Fields)
            {
                writer.WritePropertyName(field.Name);
                RowSerializer.WriteValue(writer, field, row[field.Name]);
            }
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }
}
