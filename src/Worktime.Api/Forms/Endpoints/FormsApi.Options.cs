using Worktime.Api.Forms.Definitions;

namespace Worktime.Api.Forms.Endpoints;

/// <summary>
/// <c>GET /&lt;form&gt;/&lt;referenceField&gt;</c>: the choices for a reference field as <c>{"id","text"}</c>, with the target
/// form's findAll filters plus dependency filters named after the source form's fields; a source field that cannot
/// narrow the target is ignored (docs/forms.md).
/// </summary>
internal sealed partial class FormsApi
{
    public async Task<IResult> OptionsAsync(FormDefinition source, FieldDefinition field, IQueryCollection query, CancellationToken ct)
    {
        var target = registry.Get(field.Target!);
        var found = await rows.OptionsAsync(source, field, caller, query, ct);
        if (found.Error is not null)
        {
            return found.Error.ToResult();
        }
        return JsonOut.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray(target.PluralKey);
            foreach (var option in found.Value!.Options)
            {
                w.WriteStartObject();
                w.WriteNumber("id", option.Id);
                w.WriteString("text", option.Text);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteNumber("count", found.Value.Count);
            w.WriteEndObject();
        });
    }
}
