using Microsoft.OpenApi;
using Worktime.Api.Forms.Definitions;
using static Worktime.Api.ApiReference.SharedComponents;

namespace Worktime.Api.ApiReference;

/// <summary><c>GET /forms</c>, <c>GET /forms/{form}</c> (definitions for clients that build their UI) and <c>POST /service/postFindAll</c>.</summary>
internal sealed class MetadataPaths(OpenApiDocument document, FormRegistry registry, FormPaths paths)
{
    public const string Tag = "Forms";

    public void Add()
    {
        var schemas = document.Components!.Schemas!;
        var wireTypes = Enum.GetValues<FieldType>().Select(t => t.WireName()).Distinct().ToArray();
        schemas["FieldDescription"] = Object("One field of a form; optional keys appear only when they apply.", new()
        {
            ["name"] = Text("Wire name.", "date"),
            ["type"] = FormSchemas.Enum("Field type.", wireTypes),
            ["required"] = new OpenApiSchema { Type = JsonSchemaType.Boolean },
            ["read_only"] = new OpenApiSchema { Type = JsonSchemaType.Boolean },
            ["write_only"] = new OpenApiSchema { Type = JsonSchemaType.Boolean },
            ["form"] = Text("For references: the target form."),
            ["options"] = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
            ["default"] = Text("Value given on create when omitted."),
            ["min"] = new OpenApiSchema { Type = JsonSchemaType.Number },
            ["max"] = new OpenApiSchema { Type = JsonSchemaType.Number },
        }, "name", "type");
        schemas["FormDescription"] = Object("A form definition.", new()
        {
            ["name"] = Text("Singular name.", "worktime"),
            ["plural"] = Text("Path segment and list key.", "worktimes"),
            ["date_field"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null, Description = "The date field of a date-indexed form." },
            ["fields"] = new OpenApiSchema { Type = JsonSchemaType.Array, Items = Ref(document, "FieldDescription") },
            ["links"] = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
            ["display_fields"] = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
        }, "name", "plural", "date_field", "fields", "links", "display_fields");
        schemas["FormList"] = Object("Every form.", new()
        {
            ["forms"] = new OpenApiSchema { Type = JsonSchemaType.Array, Items = Ref(document, "FormDescription") },
            ["count"] = Integer("Number of forms."),
        }, "forms", "count");
        schemas["FormEnvelope"] = Object("One form.", new() { ["form"] = Ref(document, "FormDescription") }, "form");

        paths.AddPath("/forms", (HttpMethod.Get,
            paths.Operation(Tag, "listForms", "List form definitions", "Every form with its fields, links and display fields.",
                FormPaths.Ok("200", "The forms.", Ref(document, "FormList")))));
        var describe = paths.Operation(Tag, "getForm", "Get a form definition", "One form by name, camelCase key or plural.",
            FormPaths.Ok("200", "The form.", Ref(document, "FormEnvelope")), "404");
        var item = paths.AddPath("/forms/{form}", (HttpMethod.Get, describe));
        item.Parameters =
        [
            new OpenApiParameter
            {
                Name = "form", In = ParameterLocation.Path, Required = true, Description = "The form's name.",
                Schema = FormSchemas.Enum(null, [.. registry.All.Select(f => f.Name)]),
            },
        ];

        schemas["FindAllPage"] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "The named form's findAll answer (e.g. `WorktimeList`): its rows under the form's plural, `count`, and sideload keys.",
            Required = new HashSet<string> { "count" },
            Properties = new Dictionary<string, IOpenApiSchema> { ["count"] = Integer("How many rows match, ignoring limit and offset.") },
            AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.Object } },
        };
        var postFindAll = paths.Operation(Tag, "postFindAll", "List rows with parameters in the body",
            "findAll for long filters: the same parameters as `GET /<forms>`, sent as a form-urlencoded body or a flat JSON object " +
            "(an array value is a repeated parameter). The answer is that form's list.",
            FormPaths.Ok("200", "The page, shaped like the form's findAll answer.", Ref(document, "FindAllPage")), "404");
        postFindAll.Parameters =
        [
            new OpenApiParameter
            {
                Name = "form", In = ParameterLocation.Query, Required = true, Description = "The form to list (name or plural).",
                Schema = FormSchemas.Enum(null, [.. registry.All.Select(f => f.Name)]),
            },
        ];
        var parameters = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "findAll parameters by name, e.g. `{\"date\":\"2026-11-01_2026-11-30\",\"limit\":20}`.",
            AdditionalProperties = new OpenApiSchema(),
        };
        postFindAll.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/json"] = new() { Schema = parameters },
                ["application/x-www-form-urlencoded"] = new() { Schema = parameters },
            },
        };
        paths.AddPath("/service/postFindAll", (HttpMethod.Post, postFindAll));
    }
}
