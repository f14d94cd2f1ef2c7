using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Worktime.Api.Tests.Infrastructure;
using Worktime.Api.Tests.MultiNode;

namespace Worktime.Api.Tests.Backups;

/// <summary>
/// Clients creating worktimes on a real node, one request after another each, until stopped: every 201 is recorded
/// in the order it was answered. An answer that is neither a 201 nor (when tolerated) a 503 is recorded as a failure.
/// Waiting for a number of acknowledgements is an ordering, not a pace.
/// </summary>
public sealed class WriteLoad : IDisposable
{
    private readonly ConcurrentQueue<long> _acknowledged = new();
    private readonly ConcurrentQueue<string> _failures = new();
    private readonly ConcurrentQueue<int> _refused = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private readonly List<(Func<bool> Reached, TaskCompletionSource Done)> _waiters = [];
    private Task[] _writers = [];

    /// <summary>Ids answered 201 so far, in answer order.</summary>
    public IReadOnlyList<long> Acknowledged => [.. _acknowledged];

    public int Count => _acknowledged.Count;

    /// <summary>Answers that broke the rules (a 500, a hang, a 503 where none is allowed).</summary>
    public IReadOnlyList<string> Failures => [.. _failures];

    /// <summary>How many writes were answered 503 (when tolerated).</summary>
    public int Refused => _refused.Count;

    /// <summary>Starts <paramref name="writers"/> clients with the access token <paramref name="access"/>.</summary>
    public static WriteLoad Start(Func<HttpClient> client, string access, int writers, bool tolerate503 = false)
    {
        var load = new WriteLoad();
        load._writers = Enumerable.Range(0, writers)
            .Select(writer => Task.Run(() => load.WriteAsync(client(), access, writer, tolerate503)))
            .ToArray();
        return load;
    }

    public static WriteLoad Start(ServerProcess node, string access, int writers, bool tolerate503 = false) =>
        Start(() => node.Client, access, writers, tolerate503);

    /// <summary>Completes once <paramref name="count"/> writes have been acknowledged (or fails after <see cref="HangGuard.Timeout"/>).</summary>
    public Task WhenAcknowledgedAsync(int count) => WhenAsync(() => _acknowledged.Count >= count);

    /// <summary>Completes once <paramref name="count"/> writes have been answered 503 (or fails after <see cref="HangGuard.Timeout"/>).</summary>
    public Task WhenRefusedAsync(int count) => WhenAsync(() => _refused.Count >= count);

    private Task WhenAsync(Func<bool> reached)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (reached())
            {
                return Task.CompletedTask;
            }
            _waiters.Add((reached, done));
        }
        return done.Task.WaitAsync(HangGuard.Timeout);
    }

    /// <summary>Stops the clients and waits for their last answers; returns every acknowledged id.</summary>
    public async Task<IReadOnlyList<long>> StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_writers);
        return Acknowledged;
    }

    public void Dispose() => _stop.Dispose();

    private async Task WriteAsync(HttpClient client, string access, int writer, bool tolerate503)
    {
        for (var i = 0; !_stop.IsCancellationRequested; i++)
        {
            var body = $$$"""{"worktime":{"date":"2026-11-02","starttime":"08:00","endtime":"16:00","pause":30,"description":"writer {{{writer}}} row {{{i}}}"}}""";
            using var request = new HttpRequestMessage(HttpMethod.Post, "/worktimes")
            {
                Content = new StringContent(body, Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", access);
            try
            {
                // Not cancelled by the stop: a write in flight is answered, so its outcome is known.
                using var response = await client.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    using var json = JsonDocument.Parse(text);
                    Acknowledge(json.RootElement.GetProperty("worktime").GetProperty("id").GetInt64());
                }
                else if (response.StatusCode == HttpStatusCode.ServiceUnavailable && tolerate503)
                {
                    _refused.Enqueue(writer);
                    Notify();
                }
                else
                {
                    _failures.Enqueue($"{(int)response.StatusCode}: {text}");
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                _failures.Enqueue($"no answer: {e.GetType().Name}: {e.Message}");
            }
        }
    }

    private void Acknowledge(long id)
    {
        _acknowledged.Enqueue(id);
        Notify();
    }

    private void Notify()
    {
        lock (_lock)
        {
            foreach (var waiter in _waiters.Where(w => w.Reached()).ToList())
            {
                waiter.Done.TrySetResult();
                _waiters.Remove(waiter);
            }
        }
    }
}
