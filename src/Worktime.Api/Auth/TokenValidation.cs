using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Worktime.Api.Auth;

/// <summary>
/// The one set of validation rules for our tokens (docs/security.md, requirements 4-5): RS256 only, keys only from the
/// in-memory ring by <c>kid</c> (never <c>jku</c>/<c>x5u</c>/<c>jwk</c>), issuer, audience, and lifetime against
/// the injected clock with at most 60 s skew. Token kind is checked by the callers.
/// </summary>
internal sealed class TokenValidation(SigningKeyRing ring, IssuerAddress issuer, TimeProvider time)
{
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(60);

    private readonly JsonWebTokenHandler _handler = new()
    {
        MaximumTokenSizeInBytes = TokenFormat.MaxTokenLength,
        MapInboundClaims = false,
    };

    public TokenValidationParameters Parameters()
    {
        return new TokenValidationParameters
        {
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            ValidTypes = ["JWT"],
            ValidIssuer = issuer.Issuer,
            ValidAudience = issuer.Audience,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ValidateIssuerSigningKey = false,
            TryAllIssuerSigningKeys = false,
            IssuerSigningKeyResolver = (_, _, kid, _) => ring.Resolve(kid),
#pragma warning disable CA5405 // not "always true": ValidateLifetime below throws for an expired or not-yet-valid token
            LifetimeValidator = ValidateLifetime,
#pragma warning restore CA5405
            ClockSkew = ClockSkew,
            NameClaimType = "username",
            RoleClaimType = "userlevel",
        };
    }

    /// <summary>Validates signature, issuer, audience and lifetime; the result's Exception says why not.</summary>
    public Task<TokenValidationResult> ValidateAsync(string token) =>
        TokenFormat.IsWellFormed(token)
            ? _handler.ValidateTokenAsync(token, Parameters())
            : Task.FromResult(new TokenValidationResult { IsValid = false, Exception = new SecurityTokenMalformedException("malformed token") });

    private static double? IssuedAt(SecurityToken token)
    {
        try
        {
            return token is JsonWebToken jwt && jwt.TryGetPayloadValue<double>("iat", out var iat) ? iat : null;
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException or InvalidOperationException)
        {
            return double.MaxValue; // unreadable: treated as far in the future, so refused
        }
    }

    // IdentityModel reads DateTime.UtcNow; ours reads the injected clock so tests check expiry at the exact second.
    private bool ValidateLifetime(DateTime? notBefore, DateTime? expires, SecurityToken token, TokenValidationParameters parameters)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (expires is null)
        {
            throw new SecurityTokenNoExpirationException("token has no expiry");
        }
        if (expires.Value.Add(ClockSkew) < now)
        {
            throw new SecurityTokenExpiredException("expired token") { Expires = expires.Value };
        }
        if (notBefore is { } nbf && nbf > now.Add(ClockSkew))
        {
            throw new SecurityTokenNotYetValidException("token not yet valid") { NotBefore = nbf };
        }
        // A token "issued" later than the skew allows was minted by a clock we do not trust (or forged): refuse it
        // like one not yet valid. TokenFormat already made sure iat, when present, is a JSON number.
        if (IssuedAt(token) is { } iat && iat > (time.GetUtcNow() + ClockSkew).ToUnixTimeSeconds())
        {
            throw new SecurityTokenNotYetValidException("token issued in the future");
        }
        return true;
    }
}
