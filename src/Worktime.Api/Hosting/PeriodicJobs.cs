using Microsoft.Extensions.Options;
using Worktime.Api.Auth;
using Worktime.Api.OAuth;
using Worktime.Api.Quota;

namespace Worktime.Api.Hosting;

/// <summary>
/// One thing the server does every <see cref="Interval"/> in the background, e.g. purging expired rows of one table.
/// <see cref="PeriodicJobHost"/> runs every registered job; the feature that owns the work only offers a method.
/// </summary>
internal sealed record PeriodicJob(string Name, Func<IServiceProvider, TimeSpan> Interval, Func<IServiceProvider, CancellationToken, Task> RunAsync)
{
    /// <summary>Run once more while the app stops (the quota flush: a stopped node's requests still count on the others).</summary>
    public bool AlsoAtStop { get; init; }
}

/// <summary>The server's periodic jobs, each one thing (docs/architecture.md, "Periodic jobs").</summary>
internal static class PeriodicJobs
{
    public const string LoginThrottlePurge = "login-throttle-purge";
    public const string RefreshTokenPurge = "refresh-token-purge";
    public const string AuthorizationCodePurge = "authorization-code-purge";
    public const string DeviceCodePurge = "device-code-purge";
    public const string RequestQuotaFlush = "request-quota-flush";

    /// <summary>Idle throttle counters and expired tokens and codes only make tables bigger: an hour is soon enough.</summary>
    private static readonly TimeSpan Hourly = TimeSpan.FromHours(1);

    public static WebApplicationBuilder AddPeriodicJobs(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton(new PeriodicJob(LoginThrottlePurge, _ => Hourly,
            (sp, ct) => sp.GetRequiredService<LoginThrottle>().PurgeAsync(ct)));
        services.AddSingleton(new PeriodicJob(RefreshTokenPurge, _ => Hourly,
            (sp, ct) => sp.GetRequiredService<RefreshTokenStore>().PurgeExpiredAsync(ct)));
        services.AddSingleton(new PeriodicJob(AuthorizationCodePurge, _ => Hourly,
            (sp, ct) => sp.GetRequiredService<AuthorizationCodes>().PurgeAsync(ct)));
        services.AddSingleton(new PeriodicJob(DeviceCodePurge, _ => Hourly,
            (sp, ct) => sp.GetRequiredService<DeviceCodes>().PurgeAsync(ct)));
        // Counts that fail to flush stay in memory and go out with the next flush.
        services.AddSingleton(new PeriodicJob(RequestQuotaFlush, sp => sp.GetRequiredService<IOptions<RequestQuotaOptions>>().Value.FlushInterval,
            (sp, ct) => sp.GetRequiredService<RequestQuota>().FlushAsync(ct)) { AlsoAtStop = true });
        services.AddSingleton<PeriodicJobHost>();
        services.AddHostedService(sp => sp.GetRequiredService<PeriodicJobHost>());
        return builder;
    }
}
