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
            "One grant per request: `password` needs `username` and `password`; `refresh_token` needs `refresh_token`; `authorization_code` " +
            "(registered clients, docs/auth.md \"Sign-in for other apps\") needs `code`, `redirect_uri` and `code_verifier`; " +
            "`urn:ietf:params:oauth:grant-type:device_code` (clients registered with `--device`) needs `device_code`. Each parameter at most once.", new()
            {
                ["grant_type"] = schemas.NamedEnum("GrantType", "OAuth 2.0 grant (RFC 6749).", "password", "refresh_token", "authorization_code",
                    "urn:ietf:params:oauth:grant-type:device_code"),
                ["client_id"] = Text("A configured client (`Auth:Clients`; default `openapi` or `ember_app`) or a registered one (`worktime client add`).", "openapi"),
                ["username"] = Text("`password` grant: the login name (case-insensitive)."),
                ["password"] = new OpenApiSchema { Type = JsonSchemaType.String, WriteOnly = true, Description = "`password` grant: the password." },
                ["refresh_token"] = Text("`refresh_token` grant: the `refresh_token` of the last login or refresh (valid 30 days); the old one stops working."),
                ["code"] = Text("`authorization_code` grant: the `code` the redirect from `GET /authorize` carried (valid 60 s, once)."),
                ["redirect_uri"] = Text("`authorization_code` grant: exactly the `redirect_uri` of the authorization request."),
                ["code_verifier"] = Text("`authorization_code` grant: the PKCE verifier whose S256 hash was the `code_challenge` (RFC 7636)."),
                ["device_code"] = Text("Device grant: the `device_code` of `POST /device_authorization`; poll at most every `interval` seconds (RFC 8628 §3.4)."),
            }, "grant_type", "client_id");
        components["TokenResponse"] = Object(
            "Keys in exactly this order: `access_token`, `expires_in`, `token_type`, `scope`, `refresh_token`, `user_id`. Strict and " +
            "registered clients get no `scope` member (null members are left out).", new()
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
            Description = "OAuth 2.0 token endpoint (RFC 6749 §4.3 and §6) with the password and refresh_token grants, and for registered " +
                "clients the authorization_code grant with PKCE (RFC 6749 §4.1.3, RFC 7636) and the device grant (RFC 8628 §3.4). " +
                "The body is form-urlencoded, multipart or JSON; parameters in the query string are refused. " +
                "Errors: `invalid_request`, `invalid_client`, `unauthorized_client`, `unsupported_grant_type`, `invalid_grant` (400); `slow_down` after repeated failures (429). " +
                "The device grant also answers 400 `authorization_pending` (poll again after `interval`), `slow_down` (with the new, 5 s longer " +
                "`interval` to keep), `access_denied` and `expired_token` (RFC 8628 §3.5).",
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

        paths.AddPath("/authorize", (HttpMethod.Get, Authorize()));
        paths.AddPath("/login", (HttpMethod.Post, login));
        paths.AddPath("/logout", (HttpMethod.Post, logout));
        paths.AddPath("/me", (HttpMethod.Get, me));
    }

    /// <summary>
    /// The authorization endpoint: a page of the web app (src/Worktime.Api/WebApp/Components/Pages/Authorize.razor), so
    /// it is described here rather than by endpoint metadata. Its answers are pages and redirects, not JSON.
    /// </summary>
    private OpenApiOperation Authorize()
    {
        OpenApiParameter Query(string name, string description, bool required, string? example = null, params string[] values) => new()
        {
            Name = name,
            In = ParameterLocation.Query,
            Required = required,
            Description = description,
            Schema = values.Length > 0 ? FormSchemas.Enum(null, values) : Text(description, example),
        };
        var html = new Dictionary<string, OpenApiMediaType> { ["text/html"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String } } };
        return new OpenApiOperation
        {
            OperationId = "authorize",
            Summary = "Sign a person in for a registered app",
            Description = "OAuth 2.0 authorization endpoint (RFC 6749 §4.1.1) for registered clients (`worktime client add`), opened in the " +
                "person's browser, never called by the app itself. Without a browser session it redirects to the web app's login page, which " +
                "returns here; a client that is not first-party gets a consent page once. Then it redirects to `redirect_uri` with `code`, " +
                "`state` and `iss` (RFC 9207). A bad `client_id` or `redirect_uri` shows an error page (400) and never redirects; every " +
                "other error redirects with `error`, `error_description`, `state` and `iss`. docs/auth.md, \"Sign-in for other apps\".",
            Tags = new HashSet<OpenApiTagReference> { new(Tag, document) },
            Security = [],
            Parameters =
            [
                Query("response_type", "Only `code`.", true, null, "code"),
                Query("client_id", "A registered client.", true, "mobile.app"),
                Query("redirect_uri", "Exactly one of the client's registered redirect URIs (compared as a string).", true, "https://app.example/callback"),
                Query("state", "Returned unchanged (at most 1024 printable ASCII characters); use it against cross-site request forgery.", false, "af0ifjsldkj"),
                Query("code_challenge", "BASE64URL(SHA-256(code_verifier)): 43 characters (RFC 7636). Required.", true, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"),
                Query("code_challenge_method", "Only `S256` (`plain` is refused).", true, null, "S256"),
                Query("scope", "Optional; the only scope is `api` (the whole API at the person's level).", false, "api"),
            ],
            Responses = new OpenApiResponses
            {
                ["200"] = new OpenApiResponse { Description = "The consent page (HTML), for a client the person has not allowed yet.", Content = html },
                ["302"] = new OpenApiResponse { Description = "To the login page, or back to the app's `redirect_uri` with `code`, `state` and `iss` (or `error`)." },
                ["400"] = new OpenApiResponse { Description = "An error page (HTML): unknown client or unregistered `redirect_uri`; nothing is sent to the app.", Content = html },
            },
        };
    }
}
