using System.Globalization;
using Dapper;
using Microsoft.Extensions.Options;
using Worktime.Api.Data;

namespace Worktime.Api.Auth;

/// <summary>
/// The throttle's verdict before a password attempt. <paramref name="UserCounted"/>: the username has failures in
/// the window (alone or from this address), so a success has counters to clear.
/// </summary>
internal sealed record ThrottleVerdict(TimeSpan? RefusedFor, TimeSpan Delay, bool UserCounted);

/// <summary>
/// Brute-force counters in the database, so every node sees them (docs/security.md, requirement 2, RFC 6749 §4.3.2).
/// Per address and per (username, address): past a threshold the next attempts are refused with 429 for an
/// exponentially growing, capped time. Per username (any address): attempts are only slowed by a short capped
/// wait, never refused, so nobody can lock an owner out from elsewhere. Every unsuccessful attempt counts —
/// refused ones too — with one atomic upsert per counter, so N concurrent failures add exactly N.
/// </summary>
internal sealed class LoginThrottle(Database database, IOptions<AuthOptions> options, TimeProvider time)
{
    private static readonly TimeSpan UserDelayBase = TimeSpan.FromMilliseconds(100);

    public static string UserKey(string username) => "u:" + username;
    public static string UserIpKey(string username, string ip) => "ui:" + username + "|" + ip;
    public static string IpKey(string ip) => "i:" + ip;

    public async Task<ThrottleVerdict> CheckAsync(string username, string ip, CancellationToken ct)
    {
        var o = options.Value.Throttle;
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        await using var connection = await database.OpenAsync(ct);
        var rows = (await connection.QueryAsync<CounterRow>(
            """
            SELECT throttle_key AS ThrottleKey, failures AS Failures, blocked_until AS BlockedUntil FROM login_throttle
            WHERE throttle_key IN (@user, @userIp, @ip) AND last_failure >= @windowStart
            """,
            new { user = UserKey(username), userIp = UserIpKey(username, ip), ip = IpKey(ip), windowStart = now - (long)o.Window.TotalSeconds }))
            .ToDictionary(r => r.ThrottleKey);
        var blockedUntil = new[] { UserIpKey(username, ip), IpKey(ip) }
            .Select(k => rows.TryGetValue(k, out var r) ? r.BlockedUntil : 0).Max();
        TimeSpan? refused = blockedUntil > now ? TimeSpan.FromSeconds(blockedUntil - now) : null;
        var userFailures = rows.TryGetValue(UserKey(username), out var u) ? u.Failures : 0;
        var delay = userFailures >= o.UserFailures ? Min(Backoff(UserDelayBase, userFailures - o.UserFailures + 1), o.UserMaxDelay) : TimeSpan.Zero;
        return new ThrottleVerdict(refused, delay, rows.ContainsKey(UserKey(username)) || rows.ContainsKey(UserIpKey(username, ip)));
    }

    /// <summary>Counts one unsuccessful attempt on all three counters and extends their refusal windows.</summary>
    public async Task RecordFailureAsync(string username, string ip, CancellationToken ct)
    {
        var o = options.Value.Throttle;
        await using var writer = await database.OpenWriterAsync(ct);
        await CountAsync(writer, UserKey(username), int.MaxValue, o);
        await CountAsync(writer, UserIpKey(username, ip), o.UserIpFailures, o);
        await CountAsync(writer, IpKey(ip), o.IpFailures, o);
        await writer.CommitAsync(ct);
    }

    /// <summary>A correct password clears the username counters; the address counter stays (one valid account must not launder an address).</summary>
    public async Task RecordSuccessAsync(string username, string ip, CancellationToken ct)
    {
        await using var writer = await database.OpenWriterAsync(ct);
        await writer.Connection.ExecuteAsync("DELETE FROM login_throttle WHERE throttle_key IN (@user, @userIp)",
            new { user = UserKey(username), userIp = UserIpKey(username, ip) }, writer.Transaction);
        await writer.CommitAsync(ct);
    }

    /// <summary>
    /// Counters of other attempts on the same table (a device's user code typed wrong, device authorization requests):
    /// how long the longest refusal among <paramref name="keys"/> still lasts, or null.
    /// </summary>
    public async Task<TimeSpan?> RefusedForAsync(IReadOnlyList<string> keys, CancellationToken ct)
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        await using var connection = await database.OpenAsync(ct);
        // One named parameter per key: Dapper passes a list to PostgreSQL as an array (which "IN @keys" cannot take)
        // and expands it on SQLite, so the list is spelt out for both.
        var parameters = new DynamicParameters(new { windowStart = now - (long)options.Value.Throttle.Window.TotalSeconds });
        for (var i = 0; i < keys.Count; i++)
        {
            parameters.Add("k" + i.ToString(CultureInfo.InvariantCulture), keys[i]);
        }
        var names = string.Join(", ", Enumerable.Range(0, keys.Count).Select(i => "@k" + i.ToString(CultureInfo.InvariantCulture)));
        var until = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            $"SELECT MAX(blocked_until) FROM login_throttle WHERE throttle_key IN ({names}) AND last_failure >= @windowStart",
            parameters, cancellationToken: ct)) ?? 0;
        return until > now ? TimeSpan.FromSeconds(until - now) : null;
    }

    /// <summary>Counts one attempt on each counter; at its threshold a counter refuses as the login counters do (doubling, capped).</summary>
    public async Task CountAsync(IReadOnlyList<(string Key, int Threshold)> counters, CancellationToken ct)
    {
        var o = options.Value.Throttle;
        await using var writer = await database.OpenWriterAsync(ct);
        foreach (var (key, threshold) in counters)
        {
            await CountAsync(writer, key, threshold, o);
        }
        await writer.CommitAsync(ct);
    }

    /// <summary>Forgets one counter (a sign-in with a passkey alone clears its address's count of ceremony starts).</summary>
    public async Task ClearAsync(string key, CancellationToken ct)
    {
        await using var writer = await database.OpenWriterAsync(ct);
        await writer.Connection.ExecuteAsync("DELETE FROM login_throttle WHERE throttle_key = @key", new { key }, writer.Transaction);
        await writer.CommitAsync(ct);
    }

    /// <summary>Current failure count of a counter in its window (tests and operators).</summary>
    public async Task<long> FailuresAsync(string key, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long?>("SELECT failures FROM login_throttle WHERE throttle_key = @key", new { key }) ?? 0;
    }

    /// <summary>Drops counters idle for longer than the window (housekeeping).</summary>
    public async Task<int> PurgeAsync(CancellationToken ct)
    {
        await using var writer = await database.OpenWriterAsync(ct);
        var before = time.GetUtcNow().ToUnixTimeSeconds() - (long)options.Value.Throttle.Window.TotalSeconds;
        var purged = await writer.Connection.ExecuteAsync("DELETE FROM login_throttle WHERE last_failure < @before AND blocked_until < @now",
            new { before, now = time.GetUtcNow().ToUnixTimeSeconds() }, writer.Transaction);
        await writer.CommitAsync(ct);
        return purged;
    }

    private async Task CountAsync(WriterLease writer, string key, int threshold, ThrottleOptions o)
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var windowStart = now - (long)o.Window.TotalSeconds;
        var failures = await writer.Connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO login_throttle (throttle_key, failures, last_failure, blocked_until) VALUES (@key, 1, @now, 0)
            ON CONFLICT (throttle_key) DO UPDATE SET
              failures = CASE WHEN login_throttle.last_failure < @windowStart THEN 1 ELSE login_throttle.failures + 1 END,
              blocked_until = CASE WHEN login_throttle.last_failure < @windowStart THEN 0 ELSE login_throttle.blocked_until END,
              last_failure = @now
            RETURNING failures
            """, new { key, now, windowStart }, writer.Transaction);
        if (failures >= threshold)
        {
            // The threshold-th failure opens a BaseDelay window; each further one doubles it, up to MaxDelay.
            var until = now + (long)Math.Ceiling(Min(Backoff(o.BaseDelay, failures - threshold + 1), o.MaxDelay).TotalSeconds);
            await writer.Connection.ExecuteAsync(
                "UPDATE login_throttle SET blocked_until = @until WHERE throttle_key = @key AND blocked_until < @until",
                new { key, until }, writer.Transaction);
        }
    }

    /// <summary>base · 2^(n-1), without overflow.</summary>
    private static TimeSpan Backoff(TimeSpan unit, long n) => unit * Math.Pow(2, Math.Min(n - 1, 30));

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private sealed record CounterRow(string ThrottleKey, long Failures, long BlockedUntil);
}
