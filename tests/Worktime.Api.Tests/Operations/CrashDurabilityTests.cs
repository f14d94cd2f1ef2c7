using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Worktime.Api.Data;
using Worktime.Api.Tests.Infrastructure;
using Worktime.Api.Tests.MultiNode;
using Worktime.Api.Tests.Resilience;
using Worktime.Api.Accounts;

namespace Worktime.Api.Tests.Operations;

/// <summary>
/// docs/security.md: a real server process is killed with SIGKILL in the middle of a write load;
/// after a restart on the same database every write it had answered 2xx is there. Runs on the suite's backend
/// (one SQLite file in WAL mode, or a PostgreSQL database).
/// </summary>
[VariesWith(Vary.Backend)]
[Collection(Cli.SerialCollection.Name)]
public sealed class CrashDurabilityTests
{
    private const int Writers = 4;

    /// <summary>Acknowledged writes before the kill: enough that the kill lands in the middle of a busy load.</summary>
    private const int KillAfter = 60;

    [Fact]
    public async Task Every_acknowledged_write_survives_a_kill_and_restart()
    {
        var connectionString = await TestBackend.CreateDatabaseAsync();
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Worktime"] = connectionString,
            ["Auth__Argon2__MemoryKiB"] = "8192",
            ["Auth__Argon2__Iterations"] = "1",
            ["RateLimit__RequestsPerWindow"] = "100000",
            ["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning",
        };
        try
        {
            var node = ServerProcess.Start(environment);
            await node.WaitReadyAsync();
            var (username, password) = await AddWorkerAsync(connectionString);
            var tokens = await TokenClient.LoginAsync(node, username, password);

            var acknowledged = new ConcurrentBag<long>();
            var busy = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var stop = new CancellationTokenSource();
            var load = Enumerable.Range(0, Writers)
                .Select(writer => WriteUntilFailureAsync(node, tokens.Access, writer, acknowledged, busy, stop.Token))
                .ToArray();
            // Kill once the load has been acknowledged KillAfter times (an ordering, not a pace), or as soon as every
            // writer has stopped on its own. HangGuard only bounds a very slow machine: it kills with what it has.
            try
            {
                await Task.WhenAny(busy.Task, Task.WhenAll(load)).WaitAsync(HangGuard.Timeout);
            }
            catch (TimeoutException)
            {
            }
            await node.DisposeAsync(); // SIGKILL while the writers are still sending
            await Task.WhenAll(load);

            acknowledged.Count.ShouldBeGreaterThan(0, "the load never got a write acknowledged");
            var restarted = ServerProcess.Start(environment);
            try
            {
                await restarted.WaitReadyAsync();
                var access = (await TokenClient.LoginAsync(restarted, username, password)).Access;
                foreach (var id in acknowledged)
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, $"/worktimes/{id}");
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", access);
                    using var response = await restarted.Client.SendAsync(request);
                    response.StatusCode.ShouldBe(HttpStatusCode.OK, $"acknowledged worktime {id} is missing after the crash");
                }
            }
            finally
            {
                await restarted.DisposeAsync();
            }
        }
        finally
        {
            await TestBackend.DropDatabaseAsync(connectionString);
        }
    }

    private static async Task<(string Username, string Password)> AddWorkerAsync(string connectionString)
    {
        await using var admin = WorktimeApplication.OnDatabase(connectionString);
        var partner = (await admin.Services.GetRequiredService<PartnerStore>().AddAsync("Crash", "fi")).OrThrow();
        (await admin.Services.GetRequiredService<UserAccounts>().CreateAsync(partner, "crash.worker", 1, "pw-crash-test-1")).OrThrow();
        return ("crash.worker", "pw-crash-test-1");
    }

    /// <summary>
    /// Creates worktimes one after another until the server stops answering; records every 201's id and completes
    /// <paramref name="busy"/> once <see cref="KillAfter"/> writes are acknowledged.
    /// </summary>
    private static async Task WriteUntilFailureAsync(
        ServerProcess node, string access, int writer, ConcurrentBag<long> acknowledged, TaskCompletionSource busy, CancellationToken ct)
    {
        for (var i = 0; !ct.IsCancellationRequested; i++)
        {
            var body = $$$"""{"worktime":{"date":"2026-11-02","starttime":"08:00","endtime":"16:00","pause":30,"description":"writer {{{writer}}} row {{{i}}}"}}""";
            using var request = new HttpRequestMessage(HttpMethod.Post, "/worktimes")
            {
                Content = new StringContent(body, Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", access);
            try
            {
                using var response = await node.Client.SendAsync(request, ct);
                if (response.StatusCode != HttpStatusCode.Created)
                {
                    return;
                }
                using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
                acknowledged.Add(json.RootElement.GetProperty("worktime").GetProperty("id").GetInt64());
                if (acknowledged.Count >= KillAfter)
                {
                    busy.TrySetResult();
                }
            }
            catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException or ObjectDisposedException)
            {
                // The process is gone (or the test already disposed its client after the kill): an unanswered
                // write makes no promise.
                return;
            }
        }
    }
}
