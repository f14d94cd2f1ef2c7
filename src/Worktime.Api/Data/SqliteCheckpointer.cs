using Microsoft.Data.Sqlite;

namespace Worktime.Api.Data;

/// <summary>
/// Copies SQLite's write-ahead log back into the database file on a thread of its own. By default SQLite does that
/// inside the COMMIT that pushes the log past 1,000 pages, and every writer queued behind that COMMIT waits for the
/// copy (it showed as the slowest percent of writes). The writer connection turns that off
/// (<c>wal_autocheckpoint = 0</c>) and asks here after its COMMITs instead; this thread runs a PASSIVE checkpoint,
/// which never blocks writers or readers, at most every <see cref="Interval"/> while writes keep coming, and sleeps
/// while none do. See docs/deploy.md, "SQLite".
/// </summary>
internal sealed class SqliteCheckpointer(string connectionString) : IDisposable
{
    /// <summary>Pause between two checkpoints under a steady write load: bounds the log (a few MiB) and the fsyncs.</summary>
    internal static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    private readonly Lock _lock = new();
    private readonly ManualResetEventSlim _wanted = new(false);
    private readonly CancellationTokenSource _stop = new();
    private Thread? _thread;
    private TaskCompletionSource? _nextDone;

    /// <summary>Checkpoints completed so far (tests, operators).</summary>
    internal long Completed { get; private set; }

    /// <summary>Called after a COMMIT: a checkpoint will follow (cheap; never waits).</summary>
    public void Request()
    {
        if (_wanted.IsSet)
        {
            return;
        }
        lock (_lock)
        {
            if (_stop.IsCancellationRequested)
            {
                return;
            }
            _thread ??= StartThread();
            _wanted.Set();
        }
    }

    /// <summary>Completes after the next checkpoint that starts after this call (tests: no clock involved).</summary>
    internal Task NextCheckpointAsync()
    {
        lock (_lock)
        {
            _nextDone ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var next = _nextDone.Task;
            Request();
            return next;
        }
    }

    private Thread StartThread()
    {
        var thread = new Thread(Run) { IsBackground = true, Name = "sqlite-checkpoint" };
        thread.Start();
        return thread;
    }

    private void Run()
    {
        try
        {
            while (true)
            {
                _wanted.Wait(_stop.Token);
                TaskCompletionSource? waiting;
                lock (_lock)
                {
                    _wanted.Reset(); // a COMMIT from here on asks for the next round
                    (waiting, _nextDone) = (_nextDone, null);
                }
                Checkpoint();
                waiting?.SetResult();
                _stop.Token.WaitHandle.WaitOne(Interval);
            }
        }
        catch (OperationCanceledException)
        {
            // closing
        }
    }

    private void Checkpoint()
    {
        try
        {
            using var connection = new SqliteConnection(connectionString);
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
            command.ExecuteNonQuery();
            Completed++;
        }
        catch (SqliteException)
        {
            // Busy or failing disk: the log keeps growing until the next round, which the next COMMIT asks for.
        }
    }

    public void Dispose()
    {
        Thread? thread;
        lock (_lock)
        {
            if (_stop.IsCancellationRequested)
            {
                return; // already closed
            }
            _stop.Cancel();
            thread = _thread;
        }
        thread?.Join();
        lock (_lock)
        {
            _nextDone?.TrySetCanceled();
        }
        _stop.Dispose(); // Request and a second Dispose only read IsCancellationRequested and IsSet, safe after this
        _wanted.Dispose();
    }
}
