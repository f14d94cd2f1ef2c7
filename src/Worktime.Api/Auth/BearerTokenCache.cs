using System.Collections.Concurrent;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Worktime.Api.Auth;

/// <summary>
/// The bearer token handler of <see cref="BearerAuthentication"/>: full validation (<see cref="TokenValidation"/>'s
/// rules: RS256 signature, issuer, audience, lifetime) the first time a token string is seen, then the validated
/// result is reused for the same exact string until the token expires (docs/auth.md, "Bearer validation cache").
/// A client sends one access token for up to an hour; parsing it and verifying its RSA signature again on each
/// request was most of the cost of a small authenticated read (docs/benchmarks.md, "Read path").
/// <para>
/// What a hit still checks: the expiry against the injected clock (an expired token misses and is validated in
/// full, so it gets the same "expired token" answer) and that its signing key is still in the ring (a key removed
/// from the ring stops its tokens at once). Everything about the user (kind of token, <c>security_version</c>,
/// active status) is checked after this handler on every request by <see cref="BearerAuthentication"/>, so a
/// revoked user or session is refused exactly as before. Only successes are cached: a tampered token is a
/// different string and a failure costs a full validation every time.
/// </para>
/// </summary>
internal sealed class BearerTokenCache(SigningKeyRing ring, TimeProvider time) : TokenHandler
{
    /// <summary>
    /// Bound of the cache: about 8 KiB per entry (token text, parsed token, claims), so at most ~16 MiB. When full,
    /// expired entries go first, then everything (a miss only costs one full validation).
    /// </summary>
    public const int MaxEntries = 2048;

    private sealed record Entry(TokenValidationResult Result, string Kid, DateTime ExpiresUtc);

    private readonly JsonWebTokenHandler _handler = new()
    {
        MaximumTokenSizeInBytes = TokenFormat.MaxTokenLength,
        MapInboundClaims = false,
    };

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>Entries currently cached (for tests and diagnostics).</summary>
    public int Count => _entries.Count;

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (_entries.TryGetValue(token, out var entry))
        {
            if (IsLive(entry, now))
            {
                return entry.Result;
            }
            _entries.TryRemove(token, out _);
        }
        var result = await _handler.ValidateTokenAsync(token, validationParameters);
        if (result.IsValid && result.SecurityToken is JsonWebToken { Kid: { } kid } jwt)
        {
            // Built once here, before other threads can see the result; requests only read it from then on (the
            // handler wraps it in a new ClaimsPrincipal per request and nothing adds claims to it).
            _ = result.ClaimsIdentity;
            Add(token, new Entry(result, kid, jwt.ValidTo), now);
        }
        return result;
    }

    private bool IsLive(Entry entry, DateTime now) =>
        // The same comparison as TokenValidation's lifetime rule, so a token expires at the same second either way.
        entry.ExpiresUtc.Add(TokenValidation.ClockSkew) >= now && ring.Validates(entry.Kid);

    private void Add(string token, Entry entry, DateTime now)
    {
        if (_entries.Count >= MaxEntries)
        {
            foreach (var (key, value) in _entries)
            {
                if (!IsLive(value, now))
                {
                    _entries.TryRemove(key, out _);
                }
            }
            if (_entries.Count >= MaxEntries)
            {
                _entries.Clear();
            }
        }
        _entries[token] = entry;
    }
}
