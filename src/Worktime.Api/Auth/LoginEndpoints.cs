using Microsoft.Extensions.Options;
using Worktime.Api.Accounts;

namespace Worktime.Api.Auth;

/// <summary>
/// The token endpoint (docs/auth.md) and revocation (RFC 7009). The password and refresh grants are here; the grants
/// of registered apps (authorization code, device code) plug in as <see cref="ITokenGrant"/>s.
/// | route          | handler            |
/// |----------------|--------------------|
/// | POST /login    | <see cref="TokenAsync"/>  |
/// | POST /logout   | <see cref="LogoutAsync"/> |
/// | other methods  | 405, <c>Allow: POST</c>   |
/// </summary>
internal static class LoginEndpoints
{
    private static readonly string[] OtherMethods = ["GET", "PUT", "DELETE", "PATCH", "HEAD"];

    public static IEndpointRouteBuilder MapLogin(this IEndpointRouteBuilder app)
    {
        // Described in /openapi/v1.json by src/Worktime.Api/ApiReference/AuthPaths.cs (bodies are read by hand); the 405s are not operations.
        var group = app.MapGroup("").AllowAnonymous().ExcludeFromDescription();
        group.MapPost("/login", TokenAsync);
        group.MapPost("/logout", LogoutAsync);
        group.MapMethods("/login", OtherMethods, MethodNotAllowed);
        group.MapMethods("/logout", OtherMethods, MethodNotAllowed);
        return app;
    }

    private static async Task<IResult> TokenAsync(HttpContext http, PasswordGrant password, RefreshGrant refresh,
        IEnumerable<ITokenGrant> otherGrants, IClientRegistry registry, IOptions<AuthOptions> options, CancellationToken ct)
    {
        OAuthResults.NoStore(http);
        var (request, error) = await TokenRequestReader.ReadAsync(http.Request, ct);
        if (request is null)
        {
            return OAuthResults.InvalidRequest(error!);
        }
        var grants = otherGrants.ToDictionary(g => g.GrantType, StringComparer.Ordinal);
        foreach (var name in SharedParameters.Concat(grants.Values.SelectMany(g => g.Parameters)))
        {
            if (request[name] is { Length: 0 })
            {
                return OAuthResults.InvalidRequest($"The {name} parameter is empty.");
            }
        }
        var grantType = request["grant_type"];
        if (grantType is null)
        {
            return OAuthResults.InvalidRequest("The grant_type parameter is missing.");
        }
        if (grantType is not (TokenClient.Password or TokenClient.RefreshToken) && !grants.ContainsKey(grantType))
        {
            return OAuthResults.Error("unsupported_grant_type",
                $"Supported grants: {string.Join(", ", new[] { TokenClient.Password, TokenClient.RefreshToken }.Concat(grants.Keys))}.");
        }
        var (clientId, clientError, clientDescription) = ClientCredentials.Resolve(http.Request, request["client_id"]);
        if (clientError is not null)
        {
            return OAuthResults.Error(clientError, clientDescription!);
        }
        var client = await FindClientAsync(clientId, registry, options.Value, ct);
        if (client is null)
        {
            return OAuthResults.Error("invalid_client", "The client_id is missing or not allowed.");
        }
        if (!client.GrantTypes.Contains(grantType))
        {
            // RFC 6749 section 5.2: a known client that may not use this grant (a registered app asking for the password
            // grant, a seed client asking for an authorization code).
            return OAuthResults.Error("unauthorized_client", $"The client {client.Id} may not use the {grantType} grant.");
        }
        return grantType switch
        {
            TokenClient.Password => await password.HandleAsync(http, request, client, ct),
            TokenClient.RefreshToken => await refresh.HandleAsync(http, request, client, ct),
            _ => await grants[grantType].HandleAsync(http, request, client, ct),
        };
    }

    private static readonly string[] SharedParameters = ["grant_type", "client_id", "username", "password", "refresh_token"];

    /// <summary>A seed client of <c>Auth:Clients</c> (ordinal), else a registered one.</summary>
    public static async Task<TokenClient?> FindClientAsync(string? clientId, IClientRegistry registry, AuthOptions options, CancellationToken ct)
    {
        if (clientId is null)
        {
            return null;
        }
        if (options.EffectiveClients.Contains(clientId, StringComparer.Ordinal))
        {
            return new TokenClient(clientId, options.StrictClients?.Contains(clientId, StringComparer.Ordinal) == true, TokenClient.SeedGrants);
        }
        return await registry.FindAsync(clientId, ct);
    }

    /// <summary>RFC 7009: revokes a refresh token's whole family; always 200, so it reveals nothing about the token.</summary>
    private static async Task<IResult> LogoutAsync(HttpContext http, TokenValidation validation, RefreshTokenStore store,
        AuditLog audit, CancellationToken ct)
    {
        OAuthResults.NoStore(http);
        var (request, _) = await TokenRequestReader.ReadAsync(http.Request, ct);
        var token = request?["token"] ?? request?["refresh_token"];
        if (token is { Length: > 0 } && await RefreshClaims.ReadAsync(validation, token) is { } claims
            && (request!["client_id"] is null || request["client_id"] == claims.ClientId)
            && await store.RevokeFamilyOfAsync(claims.Jti, "logout", ct) is { } familyId)
        {
            await audit.WriteAsync(AuditEvents.FamilyRevoked, claims.PartnerId, claims.UserId, ip: ClientAddress.Of(http),
                detail: $"family={familyId} reason=logout", ct: ct);
        }
        return Results.Json(new { });
    }

    private static IResult MethodNotAllowed(HttpContext http)
    {
        OAuthResults.NoStore(http);
        http.Response.Headers.Allow = "POST";
        return OAuthResults.Error("method_not_allowed", "Use POST.", 405);
    }
}
