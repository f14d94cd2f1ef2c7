using Worktime.Api.Forms.Definitions;
using Worktime.Api.Forms.Query;

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
        if (QueryLimits.CheckParameterCount(query.Count) is { } tooMany)
        {
            return tooMany.ToResult();
        }
        var compiler = new QueryCompiler(target, caller, registry, reader.Dialect, Today());
        foreach (var (key, values) in query)
        {
            // A field of the source form narrows the target when it can and is otherwise ignored: clients send the
            // row they are editing (otta-cli: /worktime/worktypes?user=5), as they do against the live API.
            var error = compiler.Understands(key)
                ? compiler.Apply(key, values)
                : source.Field(key) is { } sourceField
                    ? compiler.ApplySourceField(key, sourceField, values)
                    : FormError.InvalidFilter(key, $"is neither a filter of {target.Plural} nor a field of {source.Name}");
            if (error is not null)
            {
                return error.ToResult();
            }
        }
        var byDisplay = target.DisplayFields.Select(d => (target.Field(d)!.Column!, false)).ToList();
        var compiled = compiler.Build(listing: false, byDisplay) with { Sideload = SideloadPlan.None };
        var result = await reader.FindAllAsync(compiled, caller.PartnerId, ct);
        return JsonOut.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray(target.PluralKey);
            foreach (var row in result.Rows)
            {
                w.WriteStartObject();
                w.WriteNumber("id", row.Id);
                var text = target.DisplayFields.Select(d => Convert.ToString(row[d], System.Globalization.CultureInfo.InvariantCulture))
                    .Where(t => !string.IsNullOrEmpty(t));
                w.WriteString("text", string.Join(' ', text));
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteNumber("count", result.Count);
            w.WriteEndObject();
        });
    }
}
