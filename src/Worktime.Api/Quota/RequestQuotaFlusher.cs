using Microsoft.Extensions.Options;

namespace Worktime.Api.Quota;

/// <summary>
/// Flushes the in-memory request counts every <see cref="RequestQuotaOptions.FlushInterval"/> and once more on
/// shutdown, so a stopped node's requests still count on the others.
/// </summary>
internal sealed partial class RequestQuotaFlusher(RequestQuota quota, IOptions<RequestQuotaOptions> options, TimeProvider time,
    ILogger<RequestQuotaFlusher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.Value.FlushInterval, time, stoppingToken);
                await quota.FlushAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException or InvalidOperationException)
            {
                // The counts stay in memory and go out with the next flush.
                LogFlushFailed(logger, e.GetType().Name);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await quota.FlushAsync(cancellationToken);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException or InvalidOperationException or OperationCanceledException)
        {
            LogShutdownFlushFailed(logger, e.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request quota flush failed ({ExceptionType}); retrying next interval.")]
    private static partial void LogFlushFailed(ILogger logger, string exceptionType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request quota flush at shutdown failed ({ExceptionType}); up to one interval's requests are not counted.")]
    private static partial void LogShutdownFlushFailed(ILogger logger, string exceptionType);
}
