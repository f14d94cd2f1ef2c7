using Microsoft.Extensions.Options;
using Worktime.Api.Accounts;

namespace Worktime.Api.Auth;

/// <summary>
/// The token endpoint (contract §1) and revocation (RFC 7009).
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
        var group = app.MapGroup("").AllowAnonymous();
        group.MapPost("/login", TokenAsync);
        group.MapPost("/logout", LogoutAsync);
        group.MapMethods("/login", OtherMethods, MethodNotAllowed);
        group.MapMethods("/logout", OtherMethods, MethodNotAllowed);
        return app;
    }

    private static async Task<IResult> TokenAsync(HttpContext http, PasswordGrant password, RefreshGrant refresh,
        IOptions<AuthOptions> options, CancellationToken ct)
    {
        OAuthResults.NoStore(http);
        var (request, error) = await TokenRequestReader.ReadAsync(http.Request, ct);
        if (request is null)
        {
            return OAuthResults.InvalidRequest(error!);
        }
        foreach (var name in (string[])["grant_type", "client_id", "username", "password", "refresh_token"])
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
        if (grantType is not ("password" or "refresh_token"))
        {
            return OAuthResults.Error("unsupported_grant_type", "Only the password and refresh_token grants are supported.");
        }
        var clientId = request["client_id"];
        if (clientId is null || !options.Value.EffectiveClients.Contains(clientId, StringComparer.Ordinal))
        {
            return OAuthResults.Error("invalid_client", "The client_id is missing or not allowed.");
        }
        return grantType == "password"
            ? await password.HandleAsync(http, request, clientId, ct)
            : await refresh.HandleAsync(http, request, clientId, ct);
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
