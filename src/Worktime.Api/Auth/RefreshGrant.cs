using System.Globalization;
using Worktime.Api.Accounts;

namespace Worktime.Api.Auth;

/// <summary>
/// <c>grant_type=refresh_token</c> (docs/auth.md, docs/security.md, requirement 3). The token must verify like any
/// token of ours, be a refresh token, belong to the requesting client and to a still-active user; then the
/// store rotates it atomically. Every refusal is the same 400 <c>invalid_grant</c>.
/// </summary>
internal sealed class RefreshGrant(
    TokenValidation validation, TokenFactory tokens, RefreshTokenStore store, UserStore users, TokenIssuer issuer, AuditLog audit)
{
    private const string Refused = "The refresh token is invalid, expired or revoked.";

    public async Task<IResult> HandleAsync(HttpContext http, TokenRequest request, TokenClient client, CancellationToken ct)
    {
        var presented = request["refresh_token"];
        if (string.IsNullOrEmpty(presented))
        {
            return OAuthResults.InvalidRequest("The refresh_token grant needs a non-empty refresh_token parameter.");
        }
        var claims = await RefreshClaims.ReadAsync(validation, presented);
        if (claims is null || claims.ClientId != client.Id)
        {
            return OAuthResults.InvalidGrant(Refused);
        }
        var user = await users.FindByIdAsync(claims.UserId, ct);
        if (user is null || !user.IsActive || user.PartnerId != claims.PartnerId || user.SecurityVersion != claims.SecurityVersion)
        {
            return OAuthResults.InvalidGrant(Refused);
        }
        var successor = await tokens.CreateRefreshAsync(TokenIssuer.Subject(user), client.Id, ct);
        var outcome = await store.RotateAsync(claims.Jti, successor, ct);
        var ip = ClientAddress.Of(http);
        switch (outcome)
        {
            case RotationOutcome.Rotated:
                return OAuthResults.Success(await issuer.ResponseAsync(http, user, client, successor.Token, ct));
            case RotationOutcome.Repeated repeated when tokens.Resign(repeated.Payload, repeated.Kid) is { } same:
                return OAuthResults.Success(await issuer.ResponseAsync(http, user, client, same, ct));
            case RotationOutcome.ReuseDetected reuse:
                await audit.WriteAsync(AuditEvents.RefreshReuseDetected, user.PartnerId, user.Id, user.Username, ip, $"family={reuse.FamilyId}", ct);
                await audit.WriteAsync(AuditEvents.FamilyRevoked, user.PartnerId, user.Id, user.Username, ip, $"family={reuse.FamilyId} reason=reuse", ct);
                return OAuthResults.InvalidGrant(Refused);
            default:
                return OAuthResults.InvalidGrant(Refused);
        }
    }
}

/// <summary>The claims a refresh token must carry, read only after full validation.</summary>
internal sealed record RefreshClaims(string Jti, long UserId, long PartnerId, string ClientId, long SecurityVersion)
{
    public static async Task<RefreshClaims?> ReadAsync(TokenValidation validation, string token)
    {
        var result = await validation.ValidateAsync(token);
        if (!result.IsValid
            || !Equals(Claim(result, "token_use"), TokenFactory.RefreshMarker)
            || Claim(result, "jti") is not string { Length: > 0 } jti
            || Claim(result, "client_id") is not string clientId
            || !long.TryParse(Claim(result, "userid") as string, NumberStyles.None, CultureInfo.InvariantCulture, out var userId)
            || !long.TryParse(Claim(result, "partnerid") as string, NumberStyles.None, CultureInfo.InvariantCulture, out var partnerId)
            || TokenFactory.SecurityVersionOf(Claim(result, TokenFactory.SecurityVersionClaim)) is not { } version)
        {
            return null;
        }
        return new RefreshClaims(jti, userId, partnerId, clientId, version);
    }

    private static object? Claim(Microsoft.IdentityModel.Tokens.TokenValidationResult result, string name) =>
        result.Claims.TryGetValue(name, out var value) ? value : null;
}
