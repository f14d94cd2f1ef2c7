using Microsoft.OpenApi;
using Worktime.Api.Forms.Definitions;
using static Worktime.Api.ApiReference.SharedComponents;

namespace Worktime.Api.ApiReference;

/// <summary>
/// The operations of one form (the route table of src/Worktime.Api/Forms/Endpoints/FormsEndpoints.cs), with
/// operation ids a generator turns into method names: <c>findAllWorktimes</c>, <c>getWorktime</c>,
/// <c>createWorktime</c>, <c>updateWorktime</c>, <c>bulkUpdateWorktimes</c>, <c>removeWorktime</c>,
/// <c>listWorktimeProjectOptions</c>. Reference options are documented once, at their canonical path
/// <c>/&lt;form&gt;/&lt;camelCase plural of the field&gt;</c>; the other spellings are served but not listed.
/// </summary>
internal sealed class FormPaths(OpenApiDocument document, FormRegistry registry, FormSchemas schemas)
{
    public static string Tag(FormDefinition form) => char.ToUpperInvariant(form.PluralKey[0]) + form.PluralKey[1..];

    /// <summary>The one documented path of a reference field's options (<c>/worktime/tasks</c>, <c>/project/contactUsers</c>).</summary>
    public static string OptionsPath(FormDefinition form, FieldDefinition field) =>
        $"/{form.Key}/{Naming.CamelCase(field.Name.EndsWith('s') ? field.Name : field.Name + "s")}";

    public void Add(FormDefinition form)
    {
        var plural = "/" + form.PluralKey;
        var pascal = FormSchemas.Name(form);
        var pascalPlural = char.ToUpperInvariant(form.PluralKey[0]) + form.PluralKey[1..];
        var tag = Tag(form);

        var list = Operation(tag, "findAll" + pascalPlural, $"List {form.Plural}",
            $"A page of {form.Plural} the caller may read, with the total `count`. Filters combine with AND; see each parameter for its syntax." +
            (form.DateField is { } d ? $" Without a `{d}` or `id` filter, only the current month (UTC) is listed." : ""),
            Ok("200", "The page.", schemas.Ref(FormSchemas.Name(form, "List"))));
        list.Parameters = FindAllParameters.For(form, registry, schemas);

        // Only forms closed by period locks refuse a create or a removal with a 409 (period_locked).
        string[] locked = form.PeriodLock is null ? [] : ["409"];
        var create = Operation(tag, "create" + pascal, $"Create a {form.Name}",
            "Creates one row and answers it as stored (computed fields filled in).",
            Ok("201", $"The new {form.Name}.", schemas.Ref(FormSchemas.Name(form, "Envelope"))), ["403", .. locked]);
        create.RequestBody = Body(schemas.Ref(FormSchemas.Name(form, "CreateBody")));

        var bulk = Operation(tag, "bulkUpdate" + pascalPlural, $"Update several {form.Plural}",
            "Applies the same changes to every row named in `id`, all or nothing: the first failing row (its message starts `Row <id>:`) rolls back the others.",
            Ok("200", "The changed rows.", schemas.Ref(FormSchemas.Name(form, "List"))), "403", "404", "409");
        bulk.RequestBody = Body(schemas.Ref(FormSchemas.Name(form, "BulkUpdateBody")));
        AddPath(plural, (HttpMethod.Get, list), (HttpMethod.Post, create), (HttpMethod.Put, bulk));

        var get = Operation(tag, "get" + pascal, $"Get a {form.Name}",
            "One row by id, removed rows included (so a client can show what it restores); link sets are listed here only.",
            Ok("200", $"The {form.Name}.", schemas.Ref(FormSchemas.Name(form, "Envelope"))), "403", "404");
        var update = Operation(tag, "update" + pascal, $"Update a {form.Name}",
            "Changes only the keys sent. Also restores a removed row (`\"row_info.status\":\"normal\"`) or removes one (`\"removed\"`). " +
            "`?validation=off` skips the required-field rules.",
            Ok("200", $"The {form.Name} as stored.", schemas.Ref(FormSchemas.Name(form, "Envelope"))), "403", "404", "409");
        update.RequestBody = Body(schemas.Ref(FormSchemas.Name(form, "UpdateBody")));
        update.Parameters = [FindAllParameters.Query("validation", schemas.Validation(), "`off` skips the required-field rules.", "off")];
        var remove = Operation(tag, "remove" + pascal, $"Remove a {form.Name}",
            "Soft delete: the row's `row_info.status` becomes `removed` and it can be restored. Removing a removed row changes nothing.",
            Ok("200", "Removed.", schemas.Ref(FormSchemas.Removed)), ["403", "404", .. locked]);
        var byId = AddPath(plural + "/{id}", (HttpMethod.Get, get), (HttpMethod.Put, update), (HttpMethod.Delete, remove));
        byId.Parameters =
        [
            new OpenApiParameter
            {
                Name = "id",
                In = ParameterLocation.Path,
                Required = true,
                Description = $"The {form.Name}'s id.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64", Minimum = "1" },
            },
        ];

        foreach (var field in form.Fields.Where(f => f.Type == FieldType.Database))
        {
            var target = registry.Get(field.Target!);
            var fieldPascal = char.ToUpperInvariant(Naming.CamelCase(field.Name)[0]) + Naming.CamelCase(field.Name)[1..];
            var options = Operation(tag, $"list{pascal}{fieldPascal}Options", $"Choices for {form.Name}.{field.Name}",
                $"The live {target.Plural} a {form.Name}'s `{field.Name}` may point at, as `{{id, text}}` sorted by text. " +
                $"Takes the {target.Plural} filters and paging, plus dependency filters named after the {form.Name}'s other reference fields. " +
                $"Also served at `/{form.Key}/{field.Name}` and other spellings of the field.",
                Ok("200", "The choices.", schemas.Ref(FormSchemas.Name(target, "Options"))), "403");
            options.Parameters = [.. FindAllParameters.For(target, registry, schemas).Where(p => !p.Name!.StartsWith("sideload", StringComparison.Ordinal)),
                .. FindAllParameters.Dependencies(form, field, registry)];
            AddPath(OptionsPath(form, field), (HttpMethod.Get, options));
        }
    }

    public OpenApiOperation Operation(string tag, string id, string summary, string description, OpenApiResponses responses, params string[] errors)
    {
        var operation = new OpenApiOperation
        {
            OperationId = id,
            Summary = summary,
            Description = description,
            Tags = new HashSet<OpenApiTagReference> { new(tag, document) },
            Responses = responses,
        };
        Protect(operation, document);
        foreach (var status in errors)
        {
            AddError(operation, document, status);
        }
        return operation;
    }

    public static OpenApiResponses Ok(string status, string description, IOpenApiSchema schema) =>
        new() { [status] = new OpenApiResponse { Description = description, Content = Json(schema) } };

    private static OpenApiRequestBody Body(IOpenApiSchema schema) => new()
    {
        Required = true,
        Description = "JSON (also accepted when sent as `application/x-www-form-urlencoded`, as the PHP client does).",
        Content = Json(schema),
    };

    public OpenApiPathItem AddPath(string path, params (HttpMethod Method, OpenApiOperation Operation)[] operations)
    {
        var item = new OpenApiPathItem { Operations = [] };
        foreach (var (method, operation) in operations)
        {
            item.Operations[method] = operation;
        }
        document.Paths[path] = item;
        return item;
    }
}
