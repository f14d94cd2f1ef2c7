using System.Collections.Concurrent;
using Dapper;
using Microsoft.Extensions.Options;
using Worktime.Api.Data;

namespace Worktime.Api.Auth;

/// <summary>
/// "Is this bearer token's user still allowed in?" (docs/security.md, requirement 5): the user row must be live and
/// active and the token issued no earlier than <c>tokens_valid_after</c>. Cached per node for
/// <c>Auth:UserStateCacheDuration</c>; changes made through <see cref="Users.UserAccounts"/> invalidate this
/// node's entry at once, other nodes within that duration.
/// </summary>
internal sealed class UserAccessCache(Database database, IOptions<AuthOptions> options, TimeProvider time)
{
    private sealed record Entry(bool Active, long ValidAfter, long LoadedAtMs);

    private readonly ConcurrentDictionary<long, Entry> _entries = new();

    public async Task<bool> AllowsAsync(long userId, long issuedAt, CancellationToken ct)
    {
        var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (!_entries.TryGetValue(userId, out var entry) ||
            nowMs - entry.LoadedAtMs >= options.Value.UserStateCacheDuration.TotalMilliseconds)
        {
            await using var connection = await database.OpenAsync(ct);
            var row = await connection.QuerySingleOrDefaultAsync<StateRow>(
                "SELECT status AS Status, row_status AS RowStatus, tokens_valid_after AS ValidAfter FROM users WHERE id = @userId",
                new { userId });
            entry = new Entry(row is { Status: "active", RowStatus: "normal" }, row?.ValidAfter ?? long.MaxValue, nowMs);
            if (_entries.Count > 100_000)
            {
                _entries.Clear(); // bounded memory; a miss only costs one query
            }
            _entries[userId] = entry;
        }
        return entry.Active && issuedAt >= entry.ValidAfter;
    }

    public void Invalidate(long userId) => _entries.TryRemove(userId, out _);

    private sealed record StateRow(string Status, string RowStatus, long ValidAfter);
}
