using System.Globalization;
using Dapper;
using Microsoft.Extensions.Options;
using Worktime.Api.Data;

namespace Worktime.Api.Forms.Quota;

/// <summary>Where the caller stands in the current window: requests used (this one included), the limit, and when it resets.</summary>
internal sealed record QuotaState(long Used, int Limit, DateTimeOffset Expires)
{
    public bool Exceeded => Used > Limit;

    /// <summary><c>&lt;used&gt;/&lt;limit&gt; expires &lt;YYYY-MM-DD HH:MM:SS&gt;</c> (UTC).</summary>
    public string Header => string.Create(CultureInfo.InvariantCulture,
        $"{Used}/{Limit} expires {Expires.UtcDateTime:yyyy-MM-dd HH:mm:ss}");
}

/// <summary>
/// Counts requests per user in fixed windows aligned to the epoch, in the database so every node shares the
/// count: one upsert per request, atomic on both databases (no read-then-write race).
/// </summary>
internal sealed class RequestQuota(Database database, IOptions<RequestQuotaOptions> options, TimeProvider time)
{
    public async Task<QuotaState> CountAsync(long userId, CancellationToken ct)
    {
        var windowSeconds = (long)options.Value.Window.TotalSeconds;
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var windowStart = now - now % windowSeconds;
        await using var connection = await database.OpenAsync(ct);
        // A node whose clock lags never resets a newer window: the later window_start wins.
        var used = await connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO request_quota (user_id, window_start, used) VALUES (@userId, @windowStart, 1)
            ON CONFLICT (user_id) DO UPDATE SET
              used = CASE WHEN request_quota.window_start >= excluded.window_start THEN request_quota.used + 1 ELSE 1 END,
              window_start = CASE WHEN request_quota.window_start >= excluded.window_start THEN request_quota.window_start ELSE excluded.window_start END
            RETURNING used
            """,
            new { userId, windowStart });
        return new QuotaState(used, options.Value.RequestsPerWindow, DateTimeOffset.FromUnixTimeSeconds(windowStart + windowSeconds));
    }
}
