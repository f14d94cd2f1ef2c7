using Worktime.Api.Forms.Definitions;
using Worktime.Api.Quota;

namespace Worktime.Api.Forms.Endpoints;

/// <summary>
/// The forms API of docs/forms.md, generated from the form definitions (paths are each form's camelCase plural):
/// | route                              | handler |
/// |------------------------------------|---------|
/// | GET    /forms                      | <see cref="FormsApi.ListForms"/> |
/// | GET    /forms/{form}               | <see cref="FormsApi.DescribeForm"/> |
/// | POST   /service/postFindAll?form=  | <see cref="FormsApi.PostFindAllAsync"/> |
/// | GET    /{forms}                    | <see cref="FormsApi.FindAllAsync"/> |
/// | GET    /{forms}/{id}               | <see cref="FormsApi.GetAsync"/> |
/// | POST   /{forms}                    | <see cref="FormsApi.CreateAsync"/> (201) |
/// | PUT    /{forms}/{id}               | <see cref="FormsApi.UpdateAsync"/> (also restore via row_info.status) |
/// | PUT    /{forms}                    | <see cref="FormsApi.BulkUpdateAsync"/> |
/// | DELETE /{forms}/{id}               | <see cref="FormsApi.RemoveAsync"/> (soft delete) |
/// | GET    /{form}/{referenceField}    | <see cref="FormsApi.OptionsAsync"/> (e.g. /worktime/tasks?project=12) |
/// Every route needs a bearer token; the request quota (docs/forms.md) is counted by <c>RequireRequestQuota</c>.
/// </summary>
internal static class FormsEndpoints
{
    public static WebApplication MapForms(this WebApplication app)
    {
        // Described in /openapi/v1.json from the definitions themselves (src/Worktime.Api/ApiReference/FormPaths.cs).
        var group = app.MapGroup("").RequireAuthorization().RequireRequestQuota().ExcludeFromDescription();
        group.MapGet("/forms", (FormsApi api) => api.ListForms());
        group.MapGet("/forms/{form}", (FormsApi api, string form) => api.DescribeForm(form));
        group.MapPost("/service/postFindAll", (FormsApi api, HttpRequest request, CancellationToken ct) => api.PostFindAllAsync(request, ct));
        foreach (var form in app.Services.GetRequiredService<FormRegistry>().All)
        {
            var plural = "/" + form.PluralKey;
            group.MapGet(plural, (FormsApi api, HttpRequest request, CancellationToken ct) => api.FindAllAsync(form, request.Query, ct));
            group.MapGet(plural + "/{id}", (FormsApi api, string id, CancellationToken ct) => api.GetAsync(form, id, ct));
            group.MapPost(plural, (FormsApi api, HttpRequest request, CancellationToken ct) => api.CreateAsync(form, request, ct));
            group.MapPut(plural + "/{id}", (FormsApi api, HttpRequest request, string id, CancellationToken ct) => api.UpdateAsync(form, id, request, ct));
            group.MapPut(plural, (FormsApi api, HttpRequest request, CancellationToken ct) => api.BulkUpdateAsync(form, request, ct));
            group.MapDelete(plural + "/{id}", (FormsApi api, string id, CancellationToken ct) => api.RemoveAsync(form, id, ct));
            foreach (var field in form.Fields.Where(f => f.Type == FieldType.Database))
            {
                foreach (var segment in ReferenceSegments(field.Name))
                {
                    group.MapGet($"/{form.Key}/{segment}", (FormsApi api, HttpRequest request, CancellationToken ct) =>
                        api.OptionsAsync(form, field, request.Query, ct));
                }
            }
        }
        return app;
    }

    /// <summary>A reference field is addressed by its name or its plural, as written or in camelCase (<c>tasks</c>, <c>contactUsers</c>).</summary>
    private static IEnumerable<string> ReferenceSegments(string field)
    {
        var plural = field.EndsWith('s') ? field : field + "s";
        return new[] { field, plural, Naming.CamelCase(field), Naming.CamelCase(plural) }.Distinct(StringComparer.Ordinal);
    }
}
