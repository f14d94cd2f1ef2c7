using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using static Worktime.Api.ApiReference.SharedComponents;

namespace Worktime.Api.ApiReference;

/// <summary>
/// <c>POST /login</c>, <c>POST /logout</c> and <c>GET /me</c> (docs/auth.md). Their bodies are read by hand
/// (src/Worktime.Api/Auth/TokenRequestReader.cs), so the shapes are written here, next to each other.
/// Only POST is listed for /login and /logout: the other methods answer 405 and are not operations.
/// </summary>
internal sealed class AuthPaths(OpenApiDocument document, FormPaths paths, FormSchemas schemas)
{
    public const string Tag = "Authentication";

    /// <summary>The same three encodings carry either grant (docs/auth.md).</summary>
    private static readonly string[] BodyTypes = ["application/x-www-form-urlencoded", "multipart/form-data", "application/json"];

    public void Add()
    {
        var components = document.Components!.Schemas!;
        // One object rather than oneOf per grant: generators (Kiota) serialize only object bodies; the grant rules are in the descriptions.
        components["TokenRequest"] = Object(
            "Either grant: `password` needs `username` and `password`; `refresh_token` needs `refresh_token`. Each parameter at most once.", new()
            {
                ["grant_type"] = schemas.NamedEnum("GrantType", "OAuth 2.0 grant (RFC 6749).", "password", "refresh_token"),
                ["client_id"] = Text("A configured client (`Auth:Clients`; default `openapi` or `ember_app`).", "openapi"),
                ["username"] = Text("`password` grant: the login name (case-insensitive)."),
                ["password"] = new OpenApiSchema { Type = JsonSchemaType.String, WriteOnly = true, Description = "`password` grant: the password." },
                ["refresh_token"] = Text("`refresh_token` grant: the `refresh_token` of the last login or refresh (valid 30 days); the old one stops working."),
            }, "grant_type", "client_id");
        components["TokenResponse"] = Object(
            "Keys in exactly this order: `access_token`, `expires_in`, `token_type`, `scope`, `refresh_token`, `user_id`.", new()
            {
                ["access_token"] = Text("A JWT (RS256) for `Authorization: Bearer`."),
                ["expires_in"] = Integer("Seconds until the access token expires (3600)."),
                ["token_type"] = FormSchemas.Enum("Always `Bearer`.", "Bearer"),
                ["scope"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null, Description = "Always null." },
                ["refresh_token"] = Text("Use once with `grant_type=refresh_token`."),
                ["user_id"] = Integer("The logged-in user's id."),
            }, "access_token", "expires_in", "token_type", "scope", "refresh_token", "user_id");
        components["RevocationRequest"] = Object("RFC 7009 revocation.", new()
        {
            ["token"] = Text("The refresh token whose whole family is revoked (`refresh_token` is accepted too)."),
            ["client_id"] = Text("Optional; when given it must be the token's client.", "openapi"),
        }, "token");
        components["Me"] = Object("The caller's user row and partner.", new()
        {
            ["user"] = Ref(document, "User"),
            ["partner"] = Object("The caller's partner (organisation).", new()
            {
                ["id"] = Integer("The partner's id."),
                ["name"] = Text("The partner's name.", "Default"),
                ["country"] = Text("ISO 3166-1 alpha-2 country code, lower case.", "fi"),
                ["created"] = Text("Creation time, UTC."),
            }, "id", "name", "country", "created"),
        }, "user", "partner");

        var login = new OpenApiOperation
        {
            OperationId = "login",
            Summary = "Log in or refresh tokens",
            Description = "OAuth 2.0 token endpoint (RFC 6749 §4.3 and §6) with the password and refresh_token grants. " +
                "The body is form-urlencoded, multipart or JSON; parameters in the query string are refused. " +
                "Errors: `invalid_request`, `invalid_client`, `unsupported_grant_type`, `invalid_grant` (400); `slow_down` after repeated failures (429).",
            Tags = new HashSet<OpenApiTagReference> { new(Tag, document) },
            Security = [],
            RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = BodyTypes.ToDictionary(t => t, _ => new OpenApiMediaType
                {
                    Schema = Ref(document, "TokenRequest"),
                    Examples = new Dictionary<string, IOpenApiExample>
                    {
                        ["password"] = new OpenApiExample
                        {
                            Summary = "Log in",
                            Value = JsonNode.Parse("""{"grant_type":"password","client_id":"openapi","username":"admin","password":"secret"}"""),
                        },
                        ["refresh_token"] = new OpenApiExample
                        {
                            Summary = "Refresh",
                            Value = JsonNode.Parse("""{"grant_type":"refresh_token","client_id":"openapi","refresh_token":"eyJ..."}"""),
                        },
                    },
                }),
            },
            Responses = FormPaths.Ok("200", "Tokens. Not cacheable (`Cache-Control: no-store`).", Ref(document, "TokenResponse")),
        };
        foreach (var status in (string[])["400", "429", "503"])
        {
            AddError(login, document, status);
        }

        var logout = new OpenApiOperation
        {
            OperationId = "logout",
            Summary = "Revoke a refresh token",
            Description = "RFC 7009: revokes the refresh token's whole family. Always 200 `{}`, so it reveals nothing about the token.",
            Tags = new HashSet<OpenApiTagReference> { new(Tag, document) },
            Security = [],
            RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = BodyTypes.ToDictionary(t => t, _ => new OpenApiMediaType { Schema = Ref(document, "RevocationRequest") }),
            },
            Responses = FormPaths.Ok("200", "Done (whether or not the token was valid).",
                new OpenApiSchema { Type = JsonSchemaType.Object, Description = "Empty object." }),
        };
        foreach (var status in (string[])["400", "429", "503"])
        {
            AddError(logout, document, status);
        }

        var me = paths.Operation(Tag, "getMe", "Who am I", "The caller's own user row (the user form's shape) and partner.",
            FormPaths.Ok("200", "The caller.", schemas.Ref("Me")), "404");

        paths.AddPath("/login", (HttpMethod.Post, login));
        paths.AddPath("/logout", (HttpMethod.Post, logout));
        paths.AddPath("/me", (HttpMethod.Get, me));
    }
}
