using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Worktime.Api.Forms;
using Worktime.Api.Forms.Definitions;

namespace Worktime.Api.ApiReference;

/// <summary>
/// The query parameters of findAll (docs/forms.md, "Reading"), generated per form: paging, order, row status,
/// sideload, and one filter per queryable field with the syntax its type accepts.
/// </summary>
internal static class FindAllParameters
{
    public static List<IOpenApiParameter> For(FormDefinition form, FormRegistry registry, FormSchemas schemas)
    {
        var sortable = form.Fields.Where(f => f.Queryable).Select(f => f.Name).Take(2).ToList();
        var parameters = new List<IOpenApiParameter>
        {
            Query("limit", new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "0", Default = JsonValue.Create(FormRows.MaxPageRows) },
                $"Rows per page, 0–{FormRows.MaxPageRows} (larger values are clamped to {FormRows.MaxPageRows}; 0 returns only `count`).", "20"),
            Query("offset", new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "0", Default = JsonValue.Create(0) },
                "Rows to skip; past the end gives an empty page.", "100"),
            Query("order", Text(),
                "Sort keys separated by `,`; a `-` prefix sorts descending. Keys: `id`, `row_info.created`, `row_info.modified` and any filterable field. " +
                (form.DateField is { } d ? $"Default: `{d}`, then `id`." : "Default: `id`."),
                string.Join(",", sortable.Select((n, i) => i == 0 ? "-" + n : n))),
            Query("row_info.status", schemas.NamedEnum("RowStatusFilter", "Which rows a list shows.", "normal", "removed", "all"),
                "`normal` (default) lists live rows, `removed` only removed ones, `all` both.", "all"),
            Query("id", Text(), "Row ids: `5`, `1,2,3` or `1||2`.", "1,2,3"),
        };
        if (form.Fields.Any(f => f.Type == FieldType.Database))
        {
            var first = form.Fields.First(f => f.Type == FieldType.Database);
            var firstTarget = registry.Get(first.Target!);
            parameters.Add(Query("sideload", schemas.NamedEnum("SideloadSwitch", "Sideload every reference field.", "true", "false"),
                "`true` adds, per reference field, a top-level key (the target form's plural) with the referenced rows: `id` and display fields.", "true"));
            parameters.Add(new OpenApiParameter
            {
                Name = "sideload[]",
                In = ParameterLocation.Query,
                Style = ParameterStyle.Form,
                Explode = true,
                Schema = new OpenApiSchema { Type = JsonSchemaType.Array, Items = Text() },
                Description = "Sideload only these fields: `<referenceField>.<field>` (repeat the parameter, or separate with `,`). " +
                    $"The PHP client's indexed form `sideload[0]=…` is accepted too. Example: `{first.Name}.{firstTarget.DisplayFields[0]}`.",
            });
        }
        foreach (var other in form.Links.Select(registry.Get))
        {
            parameters.Add(Query(Naming.LinkKey(other), Text(), $"Only {form.Plural} linked to these {other.Plural}: `12` or `12,13`.", "12"));
        }
        foreach (var field in form.Fields.Where(f => f.Queryable))
        {
            parameters.Add(Query(field.Name, Text(), FilterSyntax(form, field), FilterExample(field)));
        }
        return parameters;
    }

    /// <summary>Filters a reference-options route accepts beyond the target's own: the source form's reference fields.</summary>
    public static IEnumerable<IOpenApiParameter> Dependencies(FormDefinition source, FieldDefinition field, FormRegistry registry)
    {
        var target = registry.Get(field.Target!);
        foreach (var other in source.Fields.Where(f => f.Type == FieldType.Database && f != field))
        {
            var dependency = registry.Get(other.Target!);
            var narrows = target.Fields.Any(f => f.Type == FieldType.Database && f.Target == dependency.Name) || target.Links.Contains(dependency.Name);
            if (narrows && target.Field(other.Name) is null)
            {
                yield return Query(other.Name, Text(),
                    $"Dependency filter: only {target.Plural} belonging to (or linked to) this {dependency.Name}, as chosen in the {source.Name}'s `{other.Name}` field.", "12");
            }
        }
    }

    private static string FilterSyntax(FormDefinition form, FieldDefinition field)
    {
        var alternatives = field.Type.CommaIsList()
            ? "Several values: `a,b` or `a||b`."
            : "Several values: `a||b` (a comma is part of the text).";
        var specific = field.Type switch
        {
            FieldType.Date => "A date `YYYY-MM-DD`, a range `from_to` (either end may be left open), or `CURRENT` (this month, UTC)." +
                (field.Name == form.DateField ? " Without a filter on this field (or on `id`) the list shows the current month." : ""),
            FieldType.Database => $"Id of a {field.Target}." + (field.Target == "user" ? " `self` is the caller's own id." : ""),
            FieldType.Dropdown => "One of: " + string.Join(", ", field.Options!.Select(o => $"`{o}`")) + ".",
            FieldType.Checkbox => "`true`/`false` (or `1`/`0`).",
            FieldType.Time => "A time `HH:MM`.",
            FieldType.Minutes => "Whole minutes.",
            FieldType.Computed => "Hours and minutes `H:MM`.",
            FieldType.Number => "A number.",
            _ => "Exact, case-sensitive text.",
        };
        return $"Filter on `{field.Name}`. {specific} {alternatives} `(empty)` matches rows without a value; an empty parameter filters nothing.";
    }

    private static string FilterExample(FieldDefinition field) => field.Type switch
    {
        FieldType.Date => "2026-11-01_2026-11-30",
        FieldType.Database => field.Target == "user" ? "self" : "12",
        FieldType.Dropdown => field.Options![0],
        FieldType.Checkbox => "true",
        FieldType.Time => "08:00",
        FieldType.Minutes => "30",
        FieldType.Computed => "7:30",
        FieldType.Number => "1",
        _ => "(empty)",
    };

    private static OpenApiSchema Text() => new() { Type = JsonSchemaType.String };

    /// <summary>The example goes into the description, not <c>example</c>: "try it" pages pre-fill examples, and a
    /// first request filtered by made-up values would show an empty list.</summary>
    public static OpenApiParameter Query(string name, IOpenApiSchema schema, string description, string example) => new()
    {
        Name = name,
        In = ParameterLocation.Query,
        Description = $"{description} Example: `{example}`.",
        Schema = schema,
    };
}
