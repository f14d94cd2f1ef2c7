using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Worktime.Api.Auth;

/// <summary>Who a token is about; read from the database at issue time, never from the request.</summary>
internal sealed record TokenSubject(long UserId, long PartnerId, string Username, int UserLevel, long SecurityVersion);

/// <summary>A signed refresh token plus what is stored server-side to re-issue it byte for byte.</summary>
internal sealed record IssuedRefresh(string Token, string Jti, string Kid, string Payload, long IssuedAt, long ExpiresAt);

/// <summary>
/// Builds the token payloads (docs/auth.md) in the documented claim order with their exact JSON types
/// (ids as strings) and signs them RS256 with the ring's current key. RS256 (PKCS#1 v1.5) is deterministic,
/// so re-signing a stored payload with the same key reproduces the same token — the grace-window retry uses that.
/// </summary>
internal sealed class TokenFactory(SigningKeyRing ring, IOptions<AuthOptions> options, IssuerAddress issuer, TimeProvider time)
{
    public const string RefreshMarker = "refresh";

    /// <summary>
    /// The user's <c>security_version</c> when the token was minted: an extra claim after the contract's own, which
    /// stay exactly as they are. A token whose version is not the user's current one is refused (docs/auth.md).
    /// </summary>
    public const string SecurityVersionClaim = "security_version";

    /// <summary>The version a token carries; tokens minted before the claim existed count as 0. Null when malformed.</summary>
    public static long? SecurityVersionOf(object? claimValue) => claimValue switch
    {
        null => 0,
        string text => long.TryParse(text, System.Globalization.NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null,
        int or long => Convert.ToInt64(claimValue, CultureInfo.InvariantCulture),
        _ => null,
    };
    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    public async Task<string> CreateAccessAsync(TokenSubject subject, string clientId, string country, CancellationToken ct)
    {
        var key = await ring.CurrentAsync(ct);
        var iat = time.GetUtcNow().ToUnixTimeSeconds();
        var payload = Payload(subject, clientId, iat, iat + (long)options.Value.AccessTokenLifetime.TotalSeconds, w =>
        {
            w.WriteString("userlevel", subject.UserLevel.ToString(CultureInfo.InvariantCulture));
            w.WriteString("country", country);
            w.WriteString("jti", NewJti());
            w.WriteNumber(SecurityVersionClaim, subject.SecurityVersion);
        });
        return Sign(payload, key.Key);
    }

    public async Task<IssuedRefresh> CreateRefreshAsync(TokenSubject subject, string clientId, CancellationToken ct)
    {
        var key = await ring.CurrentAsync(ct);
        var iat = time.GetUtcNow().ToUnixTimeSeconds();
        var exp = iat + (long)options.Value.RefreshTokenLifetime.TotalSeconds;
        var jti = NewJti();
        var payload = Payload(subject, clientId, iat, exp, w =>
        {
            w.WriteString("jti", jti);
            w.WriteString("token_use", RefreshMarker);
            w.WriteNumber(SecurityVersionClaim, subject.SecurityVersion);
        });
        return new IssuedRefresh(Sign(payload, key.Key), jti, key.Kid, payload, iat, exp);
    }

    /// <summary>Signs a stored payload again with the key it was first signed with; null once that key stopped validating.</summary>
    public string? Resign(string payload, string kid) =>
        ring.Resolve(kid).FirstOrDefault() is { } key ? Sign(payload, key) : null;

    /// <summary>Hex SHA-256 of a token id: what the database stores instead of the id itself.</summary>
    public static string HashJti(string jti) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(jti)));

    private static string NewJti() => Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16));

    private static string Sign(string payload, SecurityKey key) =>
        Handler.CreateToken(payload, new SigningCredentials(key, SecurityAlgorithms.RsaSha256), new Dictionary<string, object>());

    private string Payload(TokenSubject s, string clientId, long iat, long exp, Action<Utf8JsonWriter> tail)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("iss", issuer.Issuer);
            w.WriteString("aud", issuer.Audience);
            w.WriteNumber("exp", exp);
            w.WriteNumber("iat", iat);
            w.WriteString("username", s.Username);
            w.WriteString("userid", s.UserId.ToString(CultureInfo.InvariantCulture));
            w.WriteString("partnerid", s.PartnerId.ToString(CultureInfo.InvariantCulture));
            w.WriteString("client_id", clientId);
            tail(w);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
