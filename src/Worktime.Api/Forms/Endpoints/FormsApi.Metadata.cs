using System.Text.Json;
using Worktime.Api.Forms.Definitions;
using Worktime.Api.Http;

namespace Worktime.Api.Forms.Endpoints;

/// <summary><c>GET /forms</c> and <c>GET /forms/&lt;form&gt;</c> (docs/forms.md): the definitions, as clients build their UI from them.</summary>
internal sealed partial class FormsApi
{
    public IResult ListForms() => JsonOut.Ok(w =>
    {
        w.WriteStartObject();
        w.WriteStartArray("forms");
        foreach (var form in registry.All)
        {
            WriteForm(w, form);
        }
        w.WriteEndArray();
        w.WriteNumber("count", registry.All.Count);
        w.WriteEndObject();
    });

    public IResult DescribeForm(string name)
    {
        var form = registry.FindByKey(name)
            ?? registry.All.FirstOrDefault(f => string.Equals(f.PluralKey, name, StringComparison.OrdinalIgnoreCase));
        return form is null
            ? ApiError.NoSuch("form").ToResult()
            : JsonOut.Object(200, "form", w => WriteForm(w, form));
    }

    private void WriteForm(Utf8JsonWriter w, FormDefinition form)
    {
        w.WriteStartObject();
        w.WriteString("name", form.Name);
        w.WriteString("plural", form.PluralKey);
        if (form.DateField is null)
        {
            w.WriteNull("date_field");
        }
        else
        {
            w.WriteString("date_field", form.DateField);
        }
        w.WriteStartArray("fields");
        foreach (var field in form.Fields)
        {
            WriteField(w, field);
        }
        w.WriteEndArray();
        w.WriteStartArray("links");
        foreach (var other in form.Links.Select(registry.Get))
        {
            w.WriteStringValue(Naming.LinkKey(other));
        }
        w.WriteEndArray();
        w.WriteStartArray("display_fields");
        form.DisplayFields.ToList().ForEach(w.WriteStringValue);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteField(Utf8JsonWriter w, FieldDefinition field)
    {
        w.WriteStartObject();
        w.WriteString("name", field.Name);
        w.WriteString("type", field.Type.WireName());
        if (field.Required)
        {
            w.WriteBoolean("required", true);
        }
        if (!field.Writable)
        {
            w.WriteBoolean("read_only", true);
        }
        if (field.WriteOnly)
        {
            w.WriteBoolean("write_only", true);
        }
        if (field.Target is not null)
        {
            w.WriteString("form", field.Target);
        }
        if (field.Options is not null)
        {
            w.WriteStartArray("options");
            field.Options.ToList().ForEach(w.WriteStringValue);
            w.WriteEndArray();
        }
        if (field.Default is not null)
        {
            w.WriteString("default", field.Default);
        }
        if (field.Min is not null && field.Max is not null)
        {
            w.WriteNumber("min", field.Min.Value);
            w.WriteNumber("max", field.Max.Value);
        }
        w.WriteEndObject();
    }
}
