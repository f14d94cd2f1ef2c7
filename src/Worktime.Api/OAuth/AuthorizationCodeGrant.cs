using Worktime.Api.Accounts;
using Worktime.Api.Auth;

namespace Worktime.Api.OAuth;

/// <summary>
/// <c>POST /login</c> with <c>grant_type=authorization_code</c> (RFC 6749 section 4.1.3, RFC 7636 section 4.5): the
/// code, the redirect URI it was issued for and the PKCE verifier. The answer is the password grant's: the same
/// claims, a new refresh-token family with the same rotation and reuse detection.
/// </summary>
internal sealed class AuthorizationCodeGrant(AuthorizationCodes codes, UserStore users, TokenIssuer issuer, AuditLog audit, TimeProvider time)
    : ITokenGrant
{
    public string GrantType => OAuthPaths.AuthorizationCodeGrant;

    public IReadOnlyList<string> Parameters { get; } = ["code", "redirect_uri", "code_verifier"];

    public async Task<IResult> HandleAsync(HttpContext http, TokenRequest request, TokenClient client, CancellationToken ct)
    {
        if (request["code"] is not { } code || request["redirect_uri"] is not { } redirectUri)
        {
            return OAuthResults.InvalidRequest("The authorization_code grant needs code, redirect_uri and code_verifier.");
        }
        if (request["code_verifier"] is not { } verifier)
        {
            return OAuthResults.InvalidRequest("PKCE is required: send the code_verifier of the authorization request's code_challenge.");
        }
        if (!Pkce.IsVerifier(verifier))
        {
            return OAuthResults.InvalidRequest("The code_verifier must be 43 to 128 characters of A-Z, a-z, 0-9, '-', '.', '_' and '~'.");
        }
        var ip = ClientAddress.Of(http);
        switch (await codes.RedeemAsync(code, ct))
        {
            case CodeRedemption.Again again:
                await audit.WriteAsync(AuditEvents.CodeReuseDetected, userId: again.UserId, ip: ip, detail: $"client={client.Id}", ct: ct);
                if (again.RevokedFamily is { } family)
                {
                    await audit.WriteAsync(AuditEvents.FamilyRevoked, userId: again.UserId, ip: ip, detail: $"family={family} reason=code reused", ct: ct);
                }
                return OAuthResults.InvalidGrant("The authorization code was used before; what it issued is revoked.");
            case CodeRedemption.First { Code: var issued }:
                var refusal = issued switch
                {
                    _ when issued.ExpiresAt <= time.GetUtcNow().ToUnixTimeSeconds() => "The authorization code has expired (codes live 60 seconds).",
                    _ when issued.ClientId != client.Id => "The authorization code was issued to another client.",
                    _ when issued.RedirectUri != redirectUri => "The redirect_uri is not the one of the authorization request.",
                    _ when !Pkce.Matches(verifier, issued.CodeChallenge) => "The code_verifier does not match the code_challenge.",
                    _ => null,
                };
                if (refusal is not null)
                {
                    return OAuthResults.InvalidGrant(refusal);
                }
                var user = await users.FindByIdAsync(issued.UserId, ct);
                if (user is null || !user.IsActive || user.SecurityVersion != issued.SecurityVersion)
                {
                    return OAuthResults.InvalidGrant("The person who signed in can no longer sign in, or changed their password since.");
                }
                var response = await issuer.StartAsync(http, user, client, ct, (writer, familyId) => AuthorizationCodes.AttachFamilyAsync(writer, code, familyId));
                if (response is null)
                {
                    return OAuthResults.InvalidGrant("The authorization code was used twice at once; neither use gets tokens.");
                }
                await audit.WriteAsync(AuditEvents.TokensIssued, user.PartnerId, user.Id, user.Username, ip, $"client={client.Id} grant=authorization_code", ct);
                return OAuthResults.Success(response);
            default:
                return OAuthResults.InvalidGrant("The authorization code is not valid.");
        }
    }
}
