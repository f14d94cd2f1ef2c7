using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Worktime.Api.Forms.Definitions;
using static Worktime.Api.ApiReference.SharedComponents;

namespace Worktime.Api.ApiReference;

/// <summary>
/// The schemas of one form, derived from its definition only (docs/forms.md has the rules they describe):
/// | component                 | shape |
/// |---------------------------|-------|
/// | <c>Worktime</c>                | a row: <c>row_info</c>, <c>id</c>, readable fields, link sets (get-one) |
/// | <c>WorktimeCreate</c>          | writable fields, required ones required |
/// | <c>WorktimeChanges</c>         | writable fields, all optional, plus <c>row_info.status</c> (restore/remove) |
/// | <c>WorktimeBulkChanges</c>     | the changes plus <c>id</c>: the rows to change |
/// | <c>Worktime…Body</c>           | <c>{"worktime":{…}}</c> around each of the three |
/// | <c>WorktimeEnvelope</c>        | <c>{"worktime":row}</c> |
/// | <c>WorktimeList</c>            | <c>{"worktimes":[rows],"count":N, …sideload keys}</c> |
/// | <c>WorktimeSideload</c>        | a referenced row in a list: <c>id</c> and display fields |
/// | <c>WorktimeOptions</c>         | choices of a reference field pointing at worktimes: <c>{"worktimes":[{id,text}],"count":N}</c> |
/// </summary>
internal sealed class FormSchemas(OpenApiDocument document, FormRegistry registry)
{
    public const string RowInfo = "RowInfo";
    public const string Option = "Option";
    public const string Removed = "Removed";

    private IDictionary<string, IOpenApiSchema> Schemas => document.Components!.Schemas!;

    /// <summary>Schema names are the form's name in PascalCase (<c>project_task</c> → <c>ProjectTask</c>).</summary>
    public static string Name(FormDefinition form, string suffix = "")
    {
        var camel = Naming.CamelCase(form.Name);
        return char.ToUpperInvariant(camel[0]) + camel[1..] + suffix;
    }

    public IOpenApiSchema Ref(string name) => SharedComponents.Ref(document, name);

    /// <summary>An enum as a named component, so generators make one type of it (<c>WorktimeStatus</c>) instead of one per use.</summary>
    public IOpenApiSchema NamedEnum(string name, string description, params string[] values)
    {
        Schemas.TryAdd(name, Enum(description, values));
        return Ref(name);
    }

    public IOpenApiSchema Validation() =>
        NamedEnum("ValidationSwitch", "`off` skips the required-field rules (types, references and privileges are always checked).", "off");

    public IOpenApiSchema RowStatus() => NamedEnum("RowStatus", "`normal` for a live row, `removed` after a DELETE (until restored).", "normal", "removed");

    public void RegisterShared()
    {
        Schemas[RowInfo] = Object("Bookkeeping of a row, first in every row.", new()
        {
            ["created"] = Text("Creation time, UTC, `YYYY-MM-DD HH:MM:SS`.", "2026-11-02 08:00:00"),
            ["modified"] = Nullable(Text("Last change, UTC, `YYYY-MM-DD HH:MM:SS`; null if never changed.")),
            ["partnerid"] = Text("The owning partner's id (a string, as the public API has it).", "1"),
            ["creatorid"] = Nullable(Text("Id of the user who created the row (a string); null for imported rows.")),
            ["status"] = RowStatus(),
            ["privilege_remove"] = new OpenApiSchema { Type = JsonSchemaType.Boolean, Description = "The caller may remove (or restore) this row." },
            ["privilege_edit"] = new OpenApiSchema { Type = JsonSchemaType.Boolean, Description = "The caller may edit this row (false on a removed row)." },
        }, "created", "modified", "partnerid", "creatorid", "status", "privilege_remove", "privilege_edit");
        Schemas[Option] = Object("One choice of a reference field.", new()
        {
            ["id"] = Integer("Id of the referenced row."),
            ["text"] = Text("The row's display fields joined by a space.", "Anna Virtanen"),
        }, "id", "text");
        Schemas[Removed] = Object("Answer of a removal.", new()
        {
            ["removed"] = new OpenApiSchema { Type = JsonSchemaType.Boolean, Description = "Always true." },
        }, "removed");
    }

    public void Register(FormDefinition form)
    {
        Schemas[Name(form)] = Row(form);
        Schemas[Name(form, "Create")] = Input(form, $"A new {form.Name}. Omitted fields take their default (or null).", create: true);
        Schemas[Name(form, "Changes")] = Input(form, $"Changes to a {form.Name}: only the keys sent are changed; null or \"\" unsets a field.", create: false);
        var bulk = Input(form, $"Changes applied to every {form.Name} named in `id`, in one transaction.", create: false);
        bulk.Properties!["id"] = new OpenApiSchema
        {
            Type = JsonSchemaType.Array,
            Description = "Ids of the rows to change (numbers or numeric strings), 1–1000.",
            MinItems = 1,
            MaxItems = 1000,
            Items = Integer("A row id."),
        };
        bulk.Required = new HashSet<string> { "id" };
        Schemas[Name(form, "BulkChanges")] = bulk;

        var createBody = Wrap(form, Name(form, "Create"), "Body of a create.");
        createBody.Properties!["validation"] = Validation();
        Schemas[Name(form, "CreateBody")] = createBody;
        Schemas[Name(form, "UpdateBody")] = Wrap(form, Name(form, "Changes"), "Body of a partial update (also restore: `\"row_info.status\":\"normal\"`).");
        Schemas[Name(form, "BulkUpdateBody")] = Wrap(form, Name(form, "BulkChanges"), "Body of a bulk update.");
        Schemas[Name(form, "Envelope")] = Wrap(form, Name(form), $"One {form.Name}.");
        Schemas[Name(form, "List")] = List(form);
        if (!registry.All.Any(f => f.Fields.Any(r => r.Target == form.Name)))
        {
            return; // nothing points at this form: no sideload rows, no choices
        }
        Schemas[Name(form, "Sideload")] = Sideload(form);
        Schemas[Name(form, "Options")] = Object($"Choices of a reference field that points at {form.Plural}, sorted by text.", new()
        {
            [form.PluralKey] = new OpenApiSchema { Type = JsonSchemaType.Array, Items = Ref(Option) },
            ["count"] = Integer("How many choices match, ignoring limit and offset."),
        }, form.PluralKey, "count");
    }

    private OpenApiSchema Row(FormDefinition form)
    {
        var properties = new Dictionary<string, IOpenApiSchema>
        {
            ["row_info"] = Ref(RowInfo),
            ["id"] = Integer($"The {form.Name}'s id."),
        };
        var required = new List<string> { "row_info", "id" };
        foreach (var field in form.Fields.Where(f => f.Readable))
        {
            properties[field.Name] = Field(form, field, nullable: !field.Required || field.ReadOnly, input: false);
            required.Add(field.Name);
        }
        foreach (var other in form.Links.Select(registry.Get))
        {
            properties[Naming.LinkKey(other)] = new OpenApiSchema
            {
                Type = JsonSchemaType.Array,
                Description = $"Ids (as strings) of the live {other.Plural} linked to this {form.Name}; only in single-row answers.",
                Items = new OpenApiSchema { Type = JsonSchemaType.String },
            };
        }
        return Object($"A {form.Name} row: `row_info` first, then `id`, then the fields in this order.", properties, [.. required]);
    }

    private OpenApiSchema Input(FormDefinition form, string description, bool create)
    {
        var properties = new Dictionary<string, IOpenApiSchema>();
        foreach (var field in form.Fields.Where(f => f.Writable))
        {
            var schema = Field(form, field, nullable: !(create && field.Required), input: true);
            if (!create && schema is OpenApiSchema changes)
            {
                // Generators (Kiota) put a schema's default into the model's constructor and send it: in a partial
                // update that would overwrite the stored value with the default (a user's level with 1).
                changes.Default = null;
            }
            properties[field.Name] = schema;
        }
        foreach (var other in form.Links.Select(registry.Get))
        {
            properties[Naming.LinkKey(other)] = new OpenApiSchema
            {
                Type = JsonSchemaType.Array,
                Description = $"Replaces the set of linked {other.Plural} (on both sides).",
                Items = Integer($"Id of a {other.Name}."),
            };
        }
        if (!create)
        {
            // `normal` restores a removed row (needs the remove privilege); `removed` removes it, like DELETE.
            properties["row_info.status"] = RowStatus();
        }
        var required = create ? form.Fields.Where(f => f.Writable && f.Required).Select(f => f.Name).ToArray() : [];
        return Object(description, properties, required);
    }

    private OpenApiSchema Wrap(FormDefinition form, string inner, string description) =>
        Object(description + $" The {form.Name} is under the key `{form.Key}`.", new() { [form.Key] = Ref(inner) }, form.Key);

    private OpenApiSchema List(FormDefinition form)
    {
        var properties = new Dictionary<string, IOpenApiSchema>
        {
            [form.PluralKey] = new OpenApiSchema { Type = JsonSchemaType.Array, Items = Ref(Name(form)) },
            ["count"] = Integer("How many rows match, ignoring limit and offset."),
        };
        foreach (var target in SideloadTargets(form))
        {
            properties[target.PluralKey] = new OpenApiSchema
            {
                Type = JsonSchemaType.Array,
                Description = $"Only with `sideload`: the {target.Plural} referenced by the rows of this page, in id order.",
                Items = Ref(Name(target, "Sideload")),
            };
        }
        return Object($"A page of {form.Plural}. Sideload keys appear only when asked for and not empty.", properties, form.PluralKey, "count");
    }

    private OpenApiSchema Sideload(FormDefinition form)
    {
        var properties = new Dictionary<string, IOpenApiSchema> { ["id"] = Integer($"The {form.Name}'s id.") };
        foreach (var field in form.Fields.Where(f => f.Readable))
        {
            properties[field.Name] = Field(form, field, nullable: true, input: false);
        }
        var display = string.Join(", ", form.DisplayFields.Select(d => $"`{d}`"));
        return Object($"A {form.Name} referenced by a listed row: `id` and its display fields ({display}), or the fields named in `sideload[]`.",
            properties, ["id", .. form.DisplayFields]);
    }

    /// <summary>The forms a list of <paramref name="form"/> can sideload: its reference targets, in field order, once each.</summary>
    public IEnumerable<FormDefinition> SideloadTargets(FormDefinition form) =>
        form.Fields.Where(f => f.Type == FieldType.Database).Select(f => registry.Get(f.Target!)).Distinct();

    /// <summary>The JSON shape of one field's values (the types documented in docs/forms.md).</summary>
    private IOpenApiSchema Field(FormDefinition form, FieldDefinition field, bool nullable, bool input)
    {
        if (field.Type == FieldType.Dropdown)
        {
            // Always has a value (its default), so never null; input is matched case-insensitively.
            var name = Name(form) + char.ToUpperInvariant(Naming.CamelCase(field.Name)[0]) + Naming.CamelCase(field.Name)[1..];
            return NamedEnum(name, $"Values of {form.Name}.{field.Name}" + (field.Default is { } d ? $"; default `{d}`." : "."), [.. field.Options!]);
        }
        var schema = field.Type switch
        {
            FieldType.Text => new OpenApiSchema { Type = JsonSchemaType.String },
            FieldType.Number when field.Integer => new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64" },
            FieldType.Number => new OpenApiSchema { Type = JsonSchemaType.Number, Format = "double" },
            FieldType.Date => new OpenApiSchema { Type = JsonSchemaType.String, Format = "date", Description = "`YYYY-MM-DD`." },
            FieldType.Time => new OpenApiSchema
            {
                Type = JsonSchemaType.String, Format = "time",
                Description = input ? "`H:MM`, `HH:MM` or `HH:MM:SS`; stored as `HH:MM`." : "`HH:MM`.",
            },
            FieldType.Minutes => new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64", Minimum = "0", Description = "Whole minutes." },
            FieldType.Checkbox => new OpenApiSchema { Type = JsonSchemaType.Boolean },
            FieldType.Database => DatabaseField(field),
            FieldType.Array => new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema(), Description = "A JSON array; `[]` when empty." },
            _ => new OpenApiSchema
            {
                Type = JsonSchemaType.String, Format = "H:MM", Pattern = "^[0-9]+:[0-5][0-9]$", ReadOnly = true,
                Description = "Computed by the server (hours and minutes, e.g. `7:30`); ignored in input.",
            },
        };
        if (field.Min is { } min)
        {
            schema.Minimum = min.ToString(CultureInfo.InvariantCulture);
        }
        if (field.Max is { } max)
        {
            schema.Maximum = max.ToString(CultureInfo.InvariantCulture);
        }
        if (field.Default is { } value && field.Type != FieldType.Database)
        {
            schema.Default = field.Type switch
            {
                FieldType.Number => JsonValue.Create(double.Parse(value, CultureInfo.InvariantCulture)),
                FieldType.Checkbox => JsonValue.Create(value == "true"), // a boolean's default is a boolean, not the text "true"
                _ => JsonValue.Create(value),
            };
            if (field.Type == FieldType.Number && field.Integer)
            {
                schema.Default = JsonValue.Create(long.Parse(value, CultureInfo.InvariantCulture));
            }
        }
        if (field.ReadOnly && field.Type != FieldType.Computed)
        {
            schema.ReadOnly = true; // set by the server (an absence's requires_approval, from its type)
            schema.Description = "Set by the server; ignored in input.";
        }
        if (field.WriteOnly)
        {
            schema.WriteOnly = true;
            schema.Description = "Write-only: never returned.";
        }
        if (field.Required)
        {
            schema.Description = ((schema.Description ?? "") + " Required on create.").Trim();
        }
        return nullable ? Nullable(schema) : schema;
    }

    private OpenApiSchema DatabaseField(FieldDefinition field)
    {
        var target = registry.Get(field.Target!);
        return new OpenApiSchema
        {
            Type = JsonSchemaType.Integer,
            Format = "int64",
            Description = $"Id of a {target.Name} (`GET /{target.PluralKey}/{{id}}`).",
            Extensions = new Dictionary<string, IOpenApiExtension> { ["x-worktime-form"] = new JsonNodeExtension(JsonValue.Create(target.Name)) },
        };
    }

    private static OpenApiSchema Nullable(OpenApiSchema schema)
    {
        schema.Type |= JsonSchemaType.Null;
        return schema;
    }

    public static OpenApiSchema Enum(string? description, params string[] values) => new()
    {
        Type = JsonSchemaType.String,
        Description = description,
        Enum = [.. values.Select(v => (JsonNode)JsonValue.Create(v))],
    };
}
