namespace Worktime.Api.Auth;

/// <summary>Hourly: drop idle brute-force counters and expired refresh tokens so those tables stay small.</summary>
internal sealed class AuthHousekeeping(LoginThrottle throttle, RefreshTokenStore refreshTokens, TimeProvider time,
    ILogger<AuthHousekeeping> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Interval, time, stoppingToken);
                await throttle.PurgeAsync(stoppingToken);
                await refreshTokens.PurgeExpiredAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException or InvalidOperationException)
            {
                AuthLog.HousekeepingFailed(logger, e.GetType().Name);
            }
        }
    }
}
