namespace Worktime.Api.OAuth;

/// <summary>Hourly: authorization and device codes a day past their expiry go, so those tables stay small.</summary>
internal sealed class OAuthHousekeeping(AuthorizationCodes codes, DeviceCodes devices, TimeProvider time, ILogger<OAuthHousekeeping> logger)
    : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Interval, time, stoppingToken);
                await codes.PurgeAsync(stoppingToken);
                await devices.PurgeAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException or InvalidOperationException)
            {
                OAuthLog.HousekeepingFailed(logger, e.GetType().Name);
            }
        }
    }
}
