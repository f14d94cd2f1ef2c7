using Worktime.Api.Data;

namespace Worktime.Api.Auth;

/// <summary>First start: create a signing key when none is current, then load the ring before the first request.</summary>
internal sealed class SigningKeyStartup(SigningKeyStore store, SigningKeyRing ring) : IStartupStep
{
    public async Task RunAsync(CancellationToken ct)
    {
        await store.EnsureCurrentAsync(ct);
        await ring.ReloadAsync(ct);
    }
}

/// <summary>Reloads the key set periodically, so validation-only traffic also sees rotations made elsewhere.</summary>
internal sealed class SigningKeyRefresher(SigningKeyRing ring, Microsoft.Extensions.Options.IOptions<AuthOptions> options,
    TimeProvider time, ILogger<SigningKeyRefresher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.Value.KeyRefreshInterval, time, stoppingToken);
                await ring.ReloadAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException or InvalidOperationException)
            {
                // Keep the old set; the next round tries again. The message carries no secret.
                LogReloadFailed(logger, e.GetType().Name);
            }
        }
    }

    private static void LogReloadFailed(ILogger logger, string type) =>
        logger.LogWarning("Reloading signing keys failed ({ExceptionType}); keeping the previous set.", type);
}
