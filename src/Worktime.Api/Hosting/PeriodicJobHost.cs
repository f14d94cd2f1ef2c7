namespace Worktime.Api.Hosting;

/// <summary>
/// Runs every <see cref="PeriodicJob"/>, each in its own loop on the injected clock: wait the job's interval plus up to
/// <see cref="Jitter"/> of it more (so the nodes of a cluster started together do not all purge in the same second),
/// run it, and again until the app stops; then the jobs that ask for it run once more. A failed run is logged with
/// the job's name and the exception's type only — a database error's message can hold SQL values or a connection
/// string — and the job runs again after its next interval. The jobs do not share a loop, so a slow purge never
/// delays the quota flush.
/// </summary>
internal sealed partial class PeriodicJobHost(IEnumerable<PeriodicJob> jobs, IServiceProvider services, TimeProvider time,
    ILogger<PeriodicJobHost> logger) : BackgroundService
{
    /// <summary>The most a job's wait is lengthened, as a fraction of its interval.</summary>
    public const double Jitter = 0.1;

    private readonly PeriodicJob[] _jobs = [.. jobs];
    private readonly Lock _lock = new();
    private int _stopped;
    private readonly Dictionary<string, (long Runs, TaskCompletionSource Next)> _state = new(StringComparer.Ordinal);

    /// <summary>Runs of a job so far, failed ones included (tests and diagnostics).</summary>
    internal long Runs(string job)
    {
        lock (_lock)
        {
            return _state.TryGetValue(job, out var state) ? state.Runs : 0;
        }
    }

    /// <summary>Completes when the job's next run has ended (tests drive the fake clock until it does).</summary>
    internal Task NextRunAsync(string job)
    {
        lock (_lock)
        {
            return StateOf(job).Next.Task;
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(_jobs.Select(job => LoopAsync(job, stoppingToken)));

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        // Once per app: a host may be asked to stop twice (the test host's dispose after RunAsync's own stop).
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }
        foreach (var job in _jobs.Where(j => j.AlsoAtStop))
        {
            await RunOnceAsync(job, cancellationToken);
        }
    }

    private async Task LoopAsync(PeriodicJob job, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Delay(job.Interval(services)), time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            await RunOnceAsync(job, stoppingToken);
        }
    }

    private static TimeSpan Delay(TimeSpan interval) =>
#pragma warning disable CA5394 // jitter spreads load; nothing depends on it being unpredictable
        interval + interval * (Jitter * Random.Shared.NextDouble());
#pragma warning restore CA5394

    private async Task RunOnceAsync(PeriodicJob job, CancellationToken ct)
    {
        try
        {
            await job.RunAsync(services, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            LogStopped(logger, job.Name);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException or InvalidOperationException or OperationCanceledException)
        {
            LogFailed(logger, job.Name, e.GetType().Name);
        }
        finally
        {
            Finished(job.Name);
        }
    }

    private (long Runs, TaskCompletionSource Next) StateOf(string job)
    {
        if (!_state.TryGetValue(job, out var state))
        {
            state = (0, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            _state[job] = state;
        }
        return state;
    }

    private void Finished(string job)
    {
        TaskCompletionSource done;
        lock (_lock)
        {
            var state = StateOf(job);
            done = state.Next;
            _state[job] = (state.Runs + 1, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        }
        done.SetResult();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Periodic job {Job} failed ({ExceptionType}); it runs again after its next interval.")]
    private static partial void LogFailed(ILogger logger, string job, string exceptionType);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Periodic job {Job} was cut short by the app stopping.")]
    private static partial void LogStopped(ILogger logger, string job);
}
