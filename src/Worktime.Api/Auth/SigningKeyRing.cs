using System.Collections.Frozen;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Worktime.Api.Accounts;

namespace Worktime.Api.Auth;

/// <summary>
/// This node's in-memory copy of the signing keys: the current one signs, every still-valid one validates.
/// Reloaded from the database every <c>Auth:KeyRefreshInterval</c> so a rotation made by the CLI or another
/// node is picked up. Validation looks keys up only in this snapshot: a token's <c>kid</c> never reaches
/// the database, a URL or the file system.
/// </summary>
internal sealed class SigningKeyRing(SigningKeyStore store, IOptions<AuthOptions> options, TimeProvider time, AuthMetrics metrics) : IDisposable
{
    private sealed record Snapshot(FrozenDictionary<string, SigningKey> ByKid, SigningKey? Current, long LoadedAt);

    private static readonly Snapshot Empty = new(FrozenDictionary<string, SigningKey>.Empty, null, long.MinValue);
    private readonly SemaphoreSlim _reload = new(1, 1);
    private Snapshot _snapshot = Empty;

    public void Dispose() => _reload.Dispose();

    /// <summary>The key that signs new tokens (reloading first when the snapshot is older than the interval).</summary>
    public async Task<SigningKey> CurrentAsync(CancellationToken ct = default)
    {
        await EnsureFreshAsync(ct);
        return Volatile.Read(ref _snapshot).Current
            ?? throw new InvalidOperationException("No current signing key; the start-up step creates one.");
    }

    /// <summary>Every key that still validates (current and retired-but-not-expired), for the JWKS document.</summary>
    public async Task<IReadOnlyList<SigningKey>> ValidKeysAsync(CancellationToken ct = default)
    {
        await EnsureFreshAsync(ct);
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        return Volatile.Read(ref _snapshot).ByKid.Values
            .Where(k => k.ValidUntil is null || k.ValidUntil > now)
            .OrderBy(k => k.RetiredAt is null ? 0 : 1) // the current key first
            .ThenByDescending(k => k.RetiredAt).ThenByDescending(k => k.CreatedAt).ThenBy(k => k.Kid, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Synchronous lookup for token validation: only the in-memory snapshot, never I/O.</summary>
    public IEnumerable<SecurityKey> Resolve(string? kid)
    {
        if (kid is null || kid.Length > 128 || !Volatile.Read(ref _snapshot).ByKid.TryGetValue(kid, out var key))
        {
            return [];
        }
        return key.ValidUntil is { } until && until <= time.GetUtcNow().ToUnixTimeSeconds() ? [] : [key.Key];
    }

    /// <summary>Whether a key still validates, without allocating (<see cref="BearerTokenCache"/> asks on every hit).</summary>
    public bool Validates(string kid) =>
        Volatile.Read(ref _snapshot).ByKid.TryGetValue(kid, out var key)
        && (key.ValidUntil is not { } until || until > time.GetUtcNow().ToUnixTimeSeconds());

    public async Task EnsureFreshAsync(CancellationToken ct)
    {
        var interval = (long)options.Value.KeyRefreshInterval.TotalSeconds;
        if (time.GetUtcNow().ToUnixTimeSeconds() - Volatile.Read(ref _snapshot).LoadedAt >= interval)
        {
            await ReloadAsync(ct);
        }
    }

    /// <summary>Reads the whole key set again (keys already loaded keep their RSA objects).</summary>
    public async Task ReloadAsync(CancellationToken ct = default)
    {
        await _reload.WaitAsync(ct);
        try
        {
            var previous = Volatile.Read(ref _snapshot);
            var rows = await store.LoadRowsAsync(ct);
            metrics.SigningKeyLoads.Add(1);
            var keys = rows.Select(row => previous.ByKid.TryGetValue(row.Kid, out var known) && known.RetiredAt == row.RetiredAt
                    ? known
                    : previous.ByKid.TryGetValue(row.Kid, out var stale)
                        ? stale with { RetiredAt = row.RetiredAt, ValidUntil = row.RetiredAt is { } r ? store.ValidUntil(r) : null }
                        : store.Materialize(row))
                .ToList();
            var current = keys.Where(k => k.RetiredAt is null)
                .OrderByDescending(k => k.CreatedAt).ThenBy(k => k.Kid, StringComparer.Ordinal).FirstOrDefault();
            Volatile.Write(ref _snapshot, new Snapshot(keys.ToFrozenDictionary(k => k.Kid, StringComparer.Ordinal), current,
                time.GetUtcNow().ToUnixTimeSeconds()));
        }
        finally
        {
            _reload.Release();
        }
    }
}
