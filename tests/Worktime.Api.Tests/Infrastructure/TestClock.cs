using Microsoft.Extensions.Time.Testing;

namespace Worktime.Api.Tests.Infrastructure;

/// <summary>
/// The tests' fake clock, which also tells when the app starts waiting on it: a test can then check "the request
/// is waiting for the clock" as an ordering fact instead of sleeping and hoping the request got there.
/// </summary>
public sealed class TestClock(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly Lock _gate = new();
    private readonly List<(Func<TimeSpan, bool> Matches, TaskCompletionSource Started)> _waiters = [];

    /// <summary>Completes when the app creates a timer due after <paramref name="dueTime"/> (e.g. a Task.Delay on this clock).</summary>
    public Task TimerCreatedAsync(TimeSpan dueTime) => TimerCreatedAsync(due => due == dueTime);

    /// <summary>Completes when the app next creates a timer (any, or one whose due time <paramref name="matches"/>).</summary>
    public Task TimerCreatedAsync(Func<TimeSpan, bool>? matches = null)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _waiters.Add((matches ?? (_ => true), started));
        }
        return started.Task;
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        lock (_gate)
        {
            foreach (var waiter in _waiters.Where(w => w.Matches(dueTime)).ToList())
            {
                waiter.Started.TrySetResult();
                _waiters.Remove(waiter);
            }
        }
        return timer;
    }
}
