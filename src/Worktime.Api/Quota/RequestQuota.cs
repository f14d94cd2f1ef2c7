using System.Collections.Concurrent;
using System.Globalization;
using Dapper;
using Microsoft.Extensions.Options;
using Worktime.Api.Data;

namespace Worktime.Api.Quota;

/// <summary>Where the caller stands in the current window: requests used (this one included), the limit, and when it resets.</summary>
internal sealed record QuotaState(long Used, int Limit, DateTimeOffset Expires)
{
    public bool Exceeded => Used > Limit;

    /// <summary><c>&lt;used&gt;/&lt;limit&gt; expires &lt;YYYY-MM-DD HH:MM:SS&gt;</c> (UTC).</summary>
    public string Header => string.Create(CultureInfo.InvariantCulture,
        $"{Used}/{Limit} expires {Expires.UtcDateTime:yyyy-MM-dd HH:mm:ss}");
}

/// <summary>
/// Counts requests per user in fixed windows aligned to the epoch. A request is counted in memory only (a read
/// must not write); <see cref="FlushAsync"/> adds every user's unflushed count to the shared <c>request_quota</c>
/// table in one batched upsert per interval and learns the totals the other nodes wrote. A node enforces the
/// shared total it last saw plus what it counted since, so N nodes overshoot the limit by at most the traffic of
/// one flush interval on the other nodes (docs/forms.md, "Request quota").
/// </summary>
internal sealed class RequestQuota(Database database, IOptions<RequestQuotaOptions> options, TimeProvider time) : IDisposable
{
    public void Dispose() => _flushGate.Dispose();

    /// <summary>Rows per upsert statement: far below both databases' parameter limits (3 parameters a row).</summary>
    private const int BatchRows = 500;

    private readonly ConcurrentDictionary<long, Counter> _counters = new();
    private readonly SemaphoreSlim _flushGate = new(1, 1);

    public async ValueTask<QuotaState> CountAsync(long userId, CancellationToken ct)
    {
        var windowSeconds = (long)options.Value.Window.TotalSeconds;
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var windowStart = now - now % windowSeconds;
        while (true)
        {
            var counter = _counters.GetOrAdd(userId, static _ => new Counter());
            // The first request of a user in a window on this node reads the shared total once (a read, no write);
            // every later one is counted in memory.
            if (!counter.TryLoadFor(windowStart, () => LoadSharedAsync(counter, userId, windowStart), out var load))
            {
                continue; // a flush retired this counter between the lookup and now: count in its successor
            }
            if (!load.IsCompletedSuccessfully)
            {
                await load.WaitAsync(ct);
            }
            if (counter.Increment(windowStart) is { } used)
            {
                return new QuotaState(used, options.Value.RequestsPerWindow, DateTimeOffset.FromUnixTimeSeconds(windowStart + windowSeconds));
            }
        }
    }

    // The counter is passed in, not looked up: a flush may retire it from the dictionary meanwhile.
    private async Task LoadSharedAsync(Counter counter, long userId, long windowStart)
    {
        await using var connection = await database.OpenAsync();
        var row = await connection.QuerySingleOrDefaultAsync<(long WindowStart, long Used)?>(
            "SELECT window_start, used FROM request_quota WHERE user_id = @userId", new { userId });
        if (row is { } r && r.WindowStart == windowStart)
        {
            counter.Learn(windowStart, r.Used);
        }
    }

    /// <summary>
    /// Writes the counts of this node since the last flush and refreshes the shared totals of every user seen in
    /// the current window. One statement per 500 users with new requests, one per 500 users without.
    /// </summary>
    public async Task FlushAsync(CancellationToken ct = default)
    {
        await _flushGate.WaitAsync(ct);
        try
        {
            var windowSeconds = (long)options.Value.Window.TotalSeconds;
            var now = time.GetUtcNow().ToUnixTimeSeconds();
            var currentWindow = now - now % windowSeconds;
            var deltas = new List<(long UserId, long WindowStart, long Delta)>();
            var idle = new List<long>();
            foreach (var (userId, counter) in _counters)
            {
                var (windowStart, delta) = counter.TakeUnflushed();
                if (delta > 0)
                {
                    deltas.Add((userId, windowStart, delta));
                }
                else if (windowStart == currentWindow)
                {
                    idle.Add(userId);
                }
                else if (counter.TryRetire(currentWindow))
                {
                    // Window over, nothing to write. Retired under the counter's lock, so a request that looked it
                    // up just before is not counted into an object no flush will see again.
                    _counters.TryRemove(new KeyValuePair<long, Counter>(userId, counter));
                }
            }
            if (deltas.Count == 0 && idle.Count == 0)
            {
                return;
            }
            await using var writer = await database.OpenWriterAsync(ct);
            var (connection, transaction) = (writer.Connection, writer.Transaction);
            try
            {
                foreach (var chunk in deltas.Chunk(BatchRows))
                {
                    await UpsertAsync(connection, transaction, chunk, ct);
                }
                foreach (var chunk in idle.Chunk(BatchRows))
                {
                    var rows = await connection.QueryAsync<(long UserId, long WindowStart, long Used)>(new CommandDefinition(
                        database.Dialect == DbDialect.Postgres
                            ? "SELECT user_id, window_start, used FROM request_quota WHERE user_id = ANY(@ids)"
                            : "SELECT user_id, window_start, used FROM request_quota WHERE user_id IN @ids", // Dapper expands the list
                        new { ids = chunk }, transaction, cancellationToken: ct));
                    Learn(rows);
                }
                await writer.CommitAsync(ct);
            }
            catch
            {
                // Not written: counted again at the next flush (a total learned above may already hold them; the
                // next flush learns the true one, and counting high for a second refuses early, never late).
                foreach (var (userId, windowStart, delta) in deltas)
                {
                    _counters.GetOrAdd(userId, static _ => new Counter()).Restore(windowStart, delta);
                }
                throw;
            }
        }
        finally
        {
            _flushGate.Release();
        }
    }

    private async Task UpsertAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction,
        (long UserId, long WindowStart, long Delta)[] rows, CancellationToken ct)
    {
        var sql = new System.Text.StringBuilder("INSERT INTO request_quota (user_id, window_start, used) VALUES ");
        var parameters = new DynamicParameters();
        for (var i = 0; i < rows.Length; i++)
        {
            sql.Append(i == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture, $"(@u{i}, @w{i}, @d{i})");
            parameters.Add(string.Create(CultureInfo.InvariantCulture, $"u{i}"), rows[i].UserId);
            parameters.Add(string.Create(CultureInfo.InvariantCulture, $"w{i}"), rows[i].WindowStart);
            parameters.Add(string.Create(CultureInfo.InvariantCulture, $"d{i}"), rows[i].Delta);
        }
        // Same window: add. A newer window in the table (another node's clock is ahead): keep it, drop ours.
        // An older one: ours starts the window afresh.
        sql.Append("""

            ON CONFLICT (user_id) DO UPDATE SET
              used = CASE WHEN request_quota.window_start = excluded.window_start THEN request_quota.used + excluded.used
                          WHEN request_quota.window_start > excluded.window_start THEN request_quota.used
                          ELSE excluded.used END,
              window_start = CASE WHEN request_quota.window_start >= excluded.window_start THEN request_quota.window_start ELSE excluded.window_start END
            RETURNING user_id, window_start, used
            """);
        Learn(await connection.QueryAsync<(long UserId, long WindowStart, long Used)>(
            new CommandDefinition(sql.ToString(), parameters, transaction, cancellationToken: ct)));
    }

    private void Learn(IEnumerable<(long UserId, long WindowStart, long Used)> rows)
    {
        foreach (var (userId, windowStart, used) in rows)
        {
            if (_counters.TryGetValue(userId, out var counter))
            {
                counter.Learn(windowStart, used);
            }
        }
    }

    /// <summary>One user's count on this node: the shared total last seen plus the requests not yet flushed.</summary>
    private sealed class Counter
    {
        private readonly Lock _lock = new();
        private long _windowStart = -1;
        private long _shared;
        private long _unflushed;
        private Task? _load;
        private long _loadWindow = -1;
        private bool _retired;

        /// <summary>The load of the shared total for the window; false once this counter is retired.</summary>
        public bool TryLoadFor(long windowStart, Func<Task> load, out Task loading)
        {
            lock (_lock)
            {
                if (_retired)
                {
                    loading = Task.CompletedTask;
                    return false;
                }
                MoveTo(windowStart); // from now on a flush sees this user as active in the window
                if (_loadWindow != windowStart || _load is { IsFaulted: true } or { IsCanceled: true })
                {
                    _loadWindow = windowStart;
                    _load = load();
                }
                loading = _load!;
                return true;
            }
        }

        /// <summary>The requests used in the window, this one included, or null once this counter is retired.</summary>
        public long? Increment(long windowStart)
        {
            lock (_lock)
            {
                if (_retired)
                {
                    return null;
                }
                MoveTo(windowStart);
                _unflushed++;
                return _shared + _unflushed;
            }
        }

        /// <summary>A total read from the table (it includes everything flushed so far, this node's too).</summary>
        public void Learn(long windowStart, long shared)
        {
            lock (_lock)
            {
                if (windowStart >= _windowStart)
                {
                    MoveTo(windowStart);
                    _shared = Math.Max(_shared, shared);
                }
            }
        }

        public (long WindowStart, long Delta) TakeUnflushed()
        {
            lock (_lock)
            {
                var delta = _unflushed;
                _shared += delta; // until the table answers, our own flushed requests stay counted
                _unflushed = 0;
                return (_windowStart, delta);
            }
        }

        /// <summary>Retires the counter if it holds nothing unflushed and belongs to no current window.</summary>
        public bool TryRetire(long currentWindow)
        {
            lock (_lock)
            {
                _retired |= _unflushed == 0 && _windowStart != currentWindow;
                return _retired;
            }
        }

        public void Restore(long windowStart, long delta)
        {
            lock (_lock)
            {
                if (windowStart == _windowStart)
                {
                    _shared -= delta;
                    _unflushed += delta;
                }
            }
        }

        private void MoveTo(long windowStart)
        {
            if (windowStart > _windowStart)
            {
                _windowStart = windowStart;
                _shared = 0;
                _unflushed = 0;
            }
        }
    }
}
