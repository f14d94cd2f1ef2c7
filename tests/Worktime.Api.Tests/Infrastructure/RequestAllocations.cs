using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Worktime.Api.Tests.Infrastructure;

/// <summary>
/// The bytes the runtime allocated for one request, read from the runtime per thread rather than for the whole
/// process: a request runs as one asynchronous flow whose continuations hop between thread-pool threads, and an
/// <see cref="AsyncLocal{T}"/> with a change handler is told each time that flow's execution context is put on a
/// thread and taken off it. At each such point the thread's own counter (<see cref="GC.GetAllocatedBytesForCurrentThread"/>)
/// is read, and the difference is added to the request's meter. What the request's code allocates on any thread is
/// counted, whatever runs beside it in the process is not (other tests, the housekeeping loops, the test client
/// reading the answer). Not counted either: work the request hands to a thread without its execution context
/// (a callback queued with flow suppressed); the app's request path has none of consequence (docs/time-accounting.md).
/// Opt-in per app: register it with <c>o.Services = s => s.AddSingleton&lt;IStartupFilter&gt;(allocations)</c> and
/// send <see cref="Header"/> with a request to have it measured.
/// </summary>
public sealed class RequestAllocations : IStartupFilter
{
    /// <summary>A request carrying this header (any unique value) is measured under that value.</summary>
    public const string Header = "X-Test-Measure-Allocations";

    private static readonly AsyncLocal<Meter?> Current = new(OnContextChanged);

    [ThreadStatic]
    private static long t_startedAt;

    private readonly ConcurrentDictionary<string, long> _measured = new(StringComparer.Ordinal);

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        // First in the pipeline: the whole request as the server runs it (routing, authentication, the handler, the
        // answer's serialization).
        app.Use(async (HttpContext context, RequestDelegate nextMiddleware) =>
        {
            if (!context.Request.Headers.TryGetValue(Header, out var id))
            {
                await nextMiddleware(context);
                return;
            }
            var meter = new Meter();
            Current.Value = meter;
            try
            {
                await nextMiddleware(context);
            }
            finally
            {
                Current.Value = null; // adds this thread's last span
                _measured[id.ToString()] = Volatile.Read(ref meter.Bytes);
            }
        });
        next(app);
    };

    /// <summary>The bytes of the request sent with <see cref="Header"/> = <paramref name="id"/>, once it has been answered.</summary>
    public long Take(string id) =>
        _measured.TryRemove(id, out var bytes) ? bytes : throw new InvalidOperationException($"No request was measured under '{id}'.");

    private static void OnContextChanged(AsyncLocalValueChangedArgs<Meter?> change)
    {
        // Called on the thread whose context changes: when the flow leaves it (previous set), its span ends; when a
        // flow arrives (current set), a span starts. Both at once when one flow replaces another on the thread.
        var now = GC.GetAllocatedBytesForCurrentThread();
        if (change.PreviousValue is { } left)
        {
            Interlocked.Add(ref left.Bytes, now - t_startedAt);
        }
        if (change.CurrentValue is not null)
        {
            t_startedAt = now;
        }
    }

    private sealed class Meter
    {
        public long Bytes;
    }
}
