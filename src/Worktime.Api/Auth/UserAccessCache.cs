using System.Collections.Concurrent;
using Dapper;
using Microsoft.Extensions.Options;
using Worktime.Api.Data;

namespace Worktime.Api.Auth;

/// <summary>
/// "Is this bearer token's user still allowed in?" (docs/security.md, requirement 5): the user row must be live and
/// active and the token must carry the user's current <c>security_version</c> (raised by every change of level,
/// password, status or removal, so a token minted in the same second as the change is refused too).
/// Cached per node for <c>Auth:UserStateCacheDuration</c>: changes made through <see cref="Accounts.UserAccounts"/>
/// take effect on this node at once, on other nodes within that duration (docs/auth.md).
/// </summary>
internal sealed class UserAccessCache(Database database, IOptions<AuthOptions> options, TimeProvider time)
{
    private sealed record Entry(bool Active, long SecurityVersion, long LoadedAtMs);

    private readonly ConcurrentDictionary<long, Entry> _entries = new();

    // Raised by every invalidation. A load that overlapped one is used for its own request but not cached: it may
    // have read the row before the change committed, and caching it would undo the invalidation for this node.
    private long _invalidations;
    private readonly Lock _gate = new();

    public async Task<bool> AllowsAsync(long userId, long securityVersion, CancellationToken ct)
    {
        var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (!_entries.TryGetValue(userId, out var entry) ||
            nowMs - entry.LoadedAtMs >= options.Value.UserStateCacheDuration.TotalMilliseconds)
        {
            long before;
            lock (_gate)
            {
                before = _invalidations;
            }
            await using var connection = await database.OpenAsync(ct);
            var row = await connection.QuerySingleOrDefaultAsync<StateRow>(
                "SELECT status AS Status, row_status AS RowStatus, security_version AS SecurityVersion FROM users WHERE id = @userId",
                new { userId });
            entry = new Entry(row is { Status: "active", RowStatus: "normal" }, row?.SecurityVersion ?? -1, nowMs);
            if (_entries.Count > 100_000)
            {
                _entries.Clear(); // bounded memory; a miss only costs one query
            }
            lock (_gate)
            {
                if (_invalidations == before)
                {
                    _entries[userId] = entry;
                }
            }
        }
        return entry.Active && securityVersion == entry.SecurityVersion;
    }

    public void Invalidate(long userId)
    {
        lock (_gate)
        {
            _invalidations++;
            _entries.TryRemove(userId, out _);
        }
    }

    private sealed record StateRow(string Status, string RowStatus, long SecurityVersion);
}
