using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace Worktime.Api.ApiReference;

/// <summary>
/// Pieces every part of the document uses: the error body (src/Worktime.Api/Http/ApiError.cs), the bearer scheme,
/// the shared error answers and small schema helpers.
/// </summary>
internal static class SharedComponents
{
    public const string BearerScheme = "bearer";
    public const string ErrorSchema = "Error";

    /// <summary>Shared answers by status code; each is a component referenced by the operations that can give it.</summary>
    private static readonly (string Status, string Name, string Description)[] Errors =
    [
        ("400", "BadRequest", "The request is malformed or a value is invalid (`invalid_request`, `invalid_filter`, `validation_failed` with per-field `fields`). Nothing was changed."),
        ("401", "Unauthorized", "No access token, or it is invalid or expired (`invalid_token`). Log in again or refresh."),
        ("403", "Forbidden", "The caller's user level does not allow this (`forbidden`)."),
        ("404", "NotFound", "The row or form does not exist for the caller's partner (`not_found`)."),
        ("409", "Conflict", "The row is removed; restore it with `\"row_info.status\":\"normal\"` (`row_removed`). Or (worktimes and absences) " +
            "the row, as stored or as it would be stored, is dated in a locked period of its user (`period_locked`): a manager removes or moves the `periodlock` to correct it."),
        ("429", "TooManyRequests", "Request quota of the window used up (`rate_limited`) or too many failed logins (`slow_down`); wait `Retry-After` seconds."),
        ("503", "ServiceUnavailable", "The database is unreachable or asked for a retry; try again later."),
    ];

    public static void Register(OpenApiDocument document)
    {
        document.Components ??= new OpenApiComponents();
        var components = document.Components;
        components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        components.Responses ??= new Dictionary<string, IOpenApiResponse>();
        components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        components.Schemas[ErrorSchema] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "The one error shape of the whole API.",
            Required = new HashSet<string> { "error", "error_description" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["error"] = Text("A snake_case code a program can branch on.", "invalid_filter"),
                ["error_description"] = Text("One sentence for a human.", "Query parameter 'limit' must be a whole number."),
                ["fields"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Description = "`validation_failed` only: a message per invalid field.",
                    AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.String },
                },
            },
        };
        foreach (var (status, name, description) in Errors)
        {
            var response = new OpenApiResponse
            {
                Description = description,
                Content = Json(Ref(document, ErrorSchema)),
            };
            if (status is "429" or "503")
            {
                response.Headers = new Dictionary<string, IOpenApiHeader>
                {
                    ["Retry-After"] = new OpenApiHeader
                    {
                        Description = "Seconds to wait before trying again (RFC 9110 §10.2.3).",
                        Schema = new OpenApiSchema { Type = JsonSchemaType.Integer },
                    },
                };
            }
            components.Responses[name] = response;
        }
        components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "The `access_token` from `POST /login` (valid one hour), as `Authorization: Bearer <token>`.",
        };
    }

    /// <summary>Bearer requirement plus the answers every protected route can give.</summary>
    public static void Protect(OpenApiOperation operation, OpenApiDocument document)
    {
        operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] }];
        operation.Responses ??= new OpenApiResponses();
        foreach (var status in (string[])["400", "401", "429", "503"])
        {
            AddError(operation, document, status);
        }
    }

    public static void AddError(OpenApiOperation operation, OpenApiDocument document, string status)
    {
        operation.Responses ??= new OpenApiResponses();
        if (!operation.Responses.ContainsKey(status))
        {
            operation.Responses[status] = new OpenApiResponseReference(Errors.Single(e => e.Status == status).Name, document);
        }
    }

    public static OpenApiSchemaReference Ref(OpenApiDocument document, string name) => new(name, document);

    public static Dictionary<string, OpenApiMediaType> Json(IOpenApiSchema schema) =>
        new() { ["application/json"] = new OpenApiMediaType { Schema = schema } };

    public static OpenApiSchema Text(string description, string? example = null) => new()
    {
        Type = JsonSchemaType.String,
        Description = description,
        Examples = example is null ? null : [JsonValue.Create(example)],
    };

    public static OpenApiSchema Integer(string description) =>
        new() { Type = JsonSchemaType.Integer, Format = "int64", Description = description };

    public static OpenApiSchema Object(string description, Dictionary<string, IOpenApiSchema> properties, params string[] required) => new()
    {
        Type = JsonSchemaType.Object,
        Description = description,
        Properties = properties,
        Required = required.Length == 0 ? null : new HashSet<string>(required),
    };
}
