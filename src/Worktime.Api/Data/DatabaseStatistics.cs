using Dapper;
using Microsoft.Extensions.Options;

namespace Worktime.Api.Data;

/// <summary>
/// Keeps the query planner's statistics without an operator. SQLite gathers none by itself: the server runs
/// SQLite's recommended <c>PRAGMA optimize=0x10002</c> (https://www.sqlite.org/pragma.html#pragma_optimize) when it
/// starts and every <see cref="DatabaseOptions.OptimizeInterval"/> after, on the one writer connection (ANALYZE
/// writes <c>sqlite_stat1</c>, so it takes its turn like any write). It analyses a table only when it has rows and
/// no statistics yet, or has grown or shrunk 25-fold since, with a row limit per index, so a run is a no-op most
/// of the time and milliseconds otherwise. PostgreSQL's autovacuum keeps its statistics; the server only warns at
/// start when it is off. Plans do not depend on statistics (docs/forms.md, "Query plans"); they are kept so that
/// whatever the planner estimates stays near the data. See docs/deploy.md, "Statistics".
/// </summary>
internal sealed partial class DatabaseStatistics(
    Database database, IOptions<DatabaseOptions> options, TimeProvider time, ILogger<DatabaseStatistics> logger) : BackgroundService
{
    /// <summary>Check every table, not just those this connection queried; analyse those that need it.</summary>
    internal const string OptimizeSql = "PRAGMA optimize=0x10002";

    private readonly Lock _lock = new();
    private readonly TaskCompletionSource _firstRun = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _nextRun = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Runs of <see cref="OptimizeSql"/> completed so far.</summary>
    internal long Runs { get; private set; }

    /// <summary>Completes when the run at start has ended (PostgreSQL: the check of autovacuum).</summary>
    internal Task FirstRun => _firstRun.Task;

    /// <summary>Completes when the next run (or the current one) has ended (tests: no clock involved).</summary>
    internal Task NextRunAsync()
    {
        lock (_lock)
        {
            return _nextRun.Task;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (database.Dialect == DbDialect.Postgres)
        {
            await WarnWithoutAutovacuumAsync(stoppingToken);
            return;
        }
        var interval = options.Value.OptimizeInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await OptimizeAsync(stoppingToken);
                if (interval <= TimeSpan.Zero)
                {
                    return; // only at start
                }
                await Task.Delay(interval, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException or InvalidOperationException)
            {
                LogFailed(logger, e.GetType().Name);
                Finished();
                await Task.Delay(interval > TimeSpan.Zero ? interval : TimeSpan.FromMinutes(1), time, stoppingToken);
            }
        }
    }

    private async Task OptimizeAsync(CancellationToken ct)
    {
        bool changed;
        await using (var lease = await database.OpenWriterAsync(ct))
        {
            var before = await StatisticsAsync(lease, ct);
            await lease.Connection.ExecuteAsync(new CommandDefinition(OptimizeSql, transaction: lease.Transaction, cancellationToken: ct));
            changed = await StatisticsAsync(lease, ct) != before;
            await lease.CommitAsync(ct);
        }
        if (changed)
        {
            // A connection reads the statistics with the schema, once: the pooled readers would keep planning by the old.
            database.ReopenSqliteReaders();
        }
        Runs++;
        Finished();
    }

    /// <summary>The whole of <c>sqlite_stat1</c> as one text (a few hundred bytes: a row per index).</summary>
    private static async Task<string> StatisticsAsync(WriterLease lease, CancellationToken ct) =>
        await lease.Connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM sqlite_schema WHERE name = 'sqlite_stat1'", transaction: lease.Transaction, cancellationToken: ct)) == 0
            ? ""
            : await lease.Connection.ExecuteScalarAsync<string>(new CommandDefinition(
                "SELECT COALESCE(group_concat(tbl || '.' || COALESCE(idx, '') || '=' || stat, ';'), '') FROM sqlite_stat1",
                transaction: lease.Transaction, cancellationToken: ct)) ?? "";

    private void Finished()
    {
        lock (_lock)
        {
            var done = _nextRun;
            _nextRun = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            done.SetResult();
            _firstRun.TrySetResult();
        }
    }

    private async Task WarnWithoutAutovacuumAsync(CancellationToken ct)
    {
        try
        {
            await using var connection = await database.OpenAsync(ct);
            var setting = await connection.ExecuteScalarAsync<string>(new CommandDefinition("SHOW autovacuum", cancellationToken: ct));
            if (!string.Equals(setting, "on", StringComparison.OrdinalIgnoreCase))
            {
                LogAutovacuumOff(logger);
            }
        }
        catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException or OperationCanceledException)
        {
            // Not worth failing or retrying for: the warning is advice, and the database's own health is checked elsewhere.
        }
        Finished();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Gathering SQLite statistics (PRAGMA optimize) failed ({ExceptionType}); retrying next interval.")]
    private static partial void LogFailed(ILogger logger, string exceptionType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "PostgreSQL's autovacuum is off: nothing keeps the planner's statistics. Turn it on, or run ANALYZE regularly (docs/deploy.md, \"Statistics\").")]
    private static partial void LogAutovacuumOff(ILogger logger);
}
