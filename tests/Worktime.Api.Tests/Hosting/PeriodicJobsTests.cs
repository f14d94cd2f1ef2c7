using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Worktime.Api.Data;
using Worktime.Api.Hosting;
using Worktime.Api.Tests.Forms;
using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.Hosting;

/// <summary>
/// docs/architecture.md, "Periodic jobs": one host runs every periodic job on the injected clock, each in its own loop
/// after its interval plus up to 10 % jitter; a failing job is logged by name and exception type (never its message)
/// and runs again; the quota flush runs once more when the app stops. All on the fake clock: the clock is advanced
/// until the awaited run has ended, never slept on.
/// </summary>
[VariesWith(Vary.Backend)]
public sealed class PeriodicJobsTests
{
    private static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(7);

    private static readonly TimeSpan FailingInterval = TimeSpan.FromSeconds(13);

    [Fact]
    public async Task Each_job_runs_after_its_interval_the_flush_writes_the_counts_and_a_failure_is_logged_without_its_message()
    {
        var failures = 0;
        var stops = 0;
        var atStop = 0;
        var app = await WorktimeApplication.StartAsync(o =>
        {
            o.FakeClock = true;
            o.Settings["RateLimit:FlushInterval"] = "00:00:07";
            o.Services = services =>
            {
                services.AddSingleton(new PeriodicJob("test-failing", _ => FailingInterval, (_, _) =>
                {
                    Interlocked.Increment(ref failures);
                    throw new TimeoutException("secret-password-in-a-message");
                }));
                services.AddSingleton(new PeriodicJob("test-at-stop", _ => TimeSpan.FromDays(1), (_, _) =>
                {
                    Interlocked.Increment(ref stops);
                    return Task.CompletedTask;
                }) { AlsoAtStop = true });
            };
        });
        try
        {
            var host = app.Service<PeriodicJobHost>();
            var t = await Tenant.CreateAsync(app, [1]);
            using var request = await t.Worker.Client.GetAsync("/me");
            (await UsedAsync(app, t.Worker.Id)).ShouldBeNull(); // counted in memory only

            await RunAsync(app.Clock, host.NextRunAsync(PeriodicJobs.RequestQuotaFlush), FlushInterval);
            (await UsedAsync(app, t.Worker.Id)).ShouldBe(1);
            host.Runs(PeriodicJobs.LoginThrottlePurge).ShouldBe(0); // an hour has not passed

            foreach (var job in new[] { PeriodicJobs.LoginThrottlePurge, PeriodicJobs.RefreshTokenPurge, PeriodicJobs.AuthorizationCodePurge, PeriodicJobs.DeviceCodePurge })
            {
                await RunAsync(app.Clock, host.NextRunAsync(job), TimeSpan.FromHours(1));
                host.Runs(job).ShouldBeGreaterThanOrEqualTo(1);
            }

            // A failure is logged and the loop goes on: two more runs, each failing.
            await RunAsync(app.Clock, host.NextRunAsync("test-failing"), FailingInterval);
            await RunAsync(app.Clock, host.NextRunAsync("test-failing"), FailingInterval);
            host.Runs("test-failing").ShouldBeGreaterThanOrEqualTo(2);
            failures.ShouldBeGreaterThanOrEqualTo(2);
            var logged = CapturedLogs.All.Where(line => line.Contains("test-failing", StringComparison.Ordinal)).ToList();
            logged.Count.ShouldBeGreaterThanOrEqualTo(2);
            logged.ShouldAllBe(line => line.Contains("TimeoutException", StringComparison.Ordinal));
            CapturedLogs.All.ShouldNotContain(line => line.Contains("secret-password-in-a-message", StringComparison.Ordinal));
            stops.ShouldBe((int)host.Runs("test-at-stop")); // only its periodic runs (a day each) so far
        }
        finally
        {
            atStop = stops;
            await app.DisposeAsync();
        }
        stops.ShouldBe(atStop + 1); // once more as the app stopped
    }

    /// <summary>
    /// Advances the clock by the longest wait of a job of <paramref name="interval"/> (the interval and its jitter) until
    /// <paramref name="run"/> has ended. A step that came before the job's loop started its wait is followed by another
    /// once a wait of that length exists, so no step is lost; waits of other lengths (other jobs) take no step.
    /// </summary>
    private static async Task RunAsync(TestClock clock, Task run, TimeSpan interval)
    {
        var step = interval * (1 + PeriodicJobHost.Jitter);
        while (!run.IsCompleted)
        {
            var created = clock.TimerCreatedAsync(due => due >= interval && due <= step);
            clock.Advance(step);
            await Task.WhenAny(run, created).WaitAsync(HangGuard.Timeout);
        }
    }

    private static async Task<long?> UsedAsync(WorktimeApplication app, long userId)
    {
        await using var connection = await app.Service<Database>().OpenAsync();
        return await connection.ExecuteScalarAsync<long?>("SELECT used FROM request_quota WHERE user_id = @userId", new { userId });
    }
}
