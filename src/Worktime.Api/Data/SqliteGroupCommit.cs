using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Worktime.Api.Data;

// Microsoft.Data.Sqlite's async transaction methods run synchronously (SQLite has no async I/O), and End runs
// between two writers' turns where an await would only add a hop: the synchronous calls are the honest ones.
#pragma warning disable CA1849

/// <summary>
/// The one SQLite writer connection, taken in turns (an async FIFO: a waiting writer holds no thread), with group
/// commit. A writer that finishes while another is waiting hands it the open transaction instead of committing:
/// consecutive writers share one transaction, each inside its own savepoint, and the last of the group (no one
/// waiting, or <see cref="MaxGroupSize"/> reached) commits for all. A COMMIT costs as much as the rest of a typical
/// write together, so under load it is paid once per group instead of once per write.
/// <para>
/// What a caller sees does not change: <see cref="WriterLease.CommitAsync"/> returns only after the COMMIT that
/// carries its writes, so an answer is never sent for a write that is not committed; a writer that gives up rolls
/// back to its savepoint and undoes only its own writes. If the shared transaction fails (SQLite rolled it back
/// after an I/O error, or the COMMIT failed), every writer waiting on it gets the error; none was acknowledged.
/// Writers in one group see each other's uncommitted rows, which is safe: they commit or fail together.
/// See docs/deploy.md, "SQLite".
/// </para>
/// </summary>
internal sealed class SqliteGroupCommit(
    Func<CancellationToken, Task<SqliteConnection>> open, SqliteCheckpointer checkpointer, SqliteSizeLimit? sizeLimit = null)
    : IAsyncDisposable
{
    /// <summary>Writers per COMMIT at most: bounds how long the first of a group waits for its answer.</summary>
    internal const int MaxGroupSize = 16;

    private const string Savepoint = "writer";

    private readonly Lock _lock = new();
    private readonly LinkedList<TaskCompletionSource> _waiting = [];
    private bool _held;
    private bool _closing;
    private SqliteConnection? _connection;
    private Group? _group;

    /// <summary>How many COMMITs (and ROLLBACKs of whole groups) ran: lets tests see that writers were grouped.</summary>
    internal long GroupsEnded { get; private set; }

    public async Task<WriterLease> EnterAsync(CancellationToken ct)
    {
        await TakeTurnAsync(ct);
        try
        {
            if (_group is null)
            {
                if (_connection is not { State: System.Data.ConnectionState.Open })
                {
                    await DropConnectionAsync();
                    _connection = await open(ct);
                    using var pragma = _connection.CreateCommand();
                    pragma.CommandText = "PRAGMA wal_autocheckpoint = 0"; // the checkpointer's thread does it
                    pragma.ExecuteNonQuery();
                }
                sizeLimit?.Apply(_connection);
                _group = new Group(_connection.BeginTransaction(deferred: false));
            }
            _group.Entered++;
            _group.Transaction.Save(Savepoint);
            return new Member(this, _connection!, _group);
        }
        catch
        {
            _ = End(_group, keep: false, savepointOpen: false);
            throw;
        }
    }

    /// <summary>
    /// Ends a writer's turn (which it holds): keeps or undoes its savepoint, then hands the open transaction to the
    /// next writer or commits it. The task completes when the writer's kept writes are committed.
    /// </summary>
    private Task End(Group? group, bool keep, bool savepointOpen)
    {
        if (group is null)
        {
            PassTurn(); // BEGIN itself failed: nothing to commit
            return Task.CompletedTask;
        }
        Exception? savepointFailure = null;
        if (savepointOpen && !IsLost())
        {
            try
            {
                if (!keep)
                {
                    group.Transaction.Rollback(Savepoint);
                }
                group.Transaction.Release(Savepoint);
            }
            catch (Exception e) when (e is SqliteException or InvalidOperationException)
            {
                savepointFailure = e;
            }
        }
        if (keep && savepointFailure is null)
        {
            group.Kept++;
        }
        var outcome = !keep ? Task.CompletedTask
            : savepointFailure is null ? group.Committed.Task
            : Task.FromException(savepointFailure);
        var lost = savepointFailure is not null || IsLost();
        if (!lost && group.Entered < MaxGroupSize && TryHandOver())
        {
            return outcome;
        }
        _group = null;
        Finish(group, lost ? savepointFailure ?? TransactionLost(_connection) : null);
        PassTurn();
        return outcome;
    }

    /// <summary>Commits the group (or rolls back one with nothing kept) and tells its waiting writers.</summary>
    private void Finish(Group group, Exception? failure)
    {
        GroupsEnded++;
        try
        {
            if (failure is null)
            {
                if (group.Kept > 0)
                {
                    group.Transaction.Commit();
                    checkpointer.Request();
                }
                else
                {
                    group.Transaction.Rollback();
                }
            }
        }
        catch (Exception e) when (e is SqliteException or InvalidOperationException)
        {
            failure = e;
        }
        finally
        {
            group.Transaction.Dispose(); // rolls back what is still open after a failure
        }
        if (failure is null)
        {
            group.Committed.SetResult();
            return;
        }
        // A connection whose transaction failed may be left in any state: the next group opens a fresh one.
        _connection?.Dispose();
        _connection = null;
        if (group.Kept > 0)
        {
            group.Committed.SetException(failure);
        }
    }

    /// <summary>True when SQLite itself ended the transaction (it does after some I/O and memory errors).</summary>
    private bool IsLost() =>
        _connection?.Handle is not { } handle || SQLitePCL.raw.sqlite3_get_autocommit(handle) != 0;

    /// <summary>
    /// The error every writer of a lost group gets. A full database (or disk) keeps its own code, so each of them is
    /// answered as "out of space" rather than as a passing conflict.
    /// </summary>
    private static SqliteException TransactionLost(SqliteConnection? connection)
    {
        var full = connection?.Handle is { } handle && SQLitePCL.raw.sqlite3_errcode(handle) == SQLitePCL.raw.SQLITE_FULL;
        return full
            ? new("The database or disk is full: SQLite rolled back the shared write transaction; none of its writes were committed.",
                SQLitePCL.raw.SQLITE_FULL)
            : new("SQLite rolled back the shared write transaction after an error; none of its writes were committed.",
                SQLitePCL.raw.SQLITE_ABORT);
    }

    private Task TakeTurnAsync(CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        LinkedListNode<TaskCompletionSource> node;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_closing, this);
            if (!_held)
            {
                _held = true;
                return Task.CompletedTask;
            }
            node = _waiting.AddLast(new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        }
        return ct.CanBeCanceled ? WaitForTurnAsync(node, ct) : node.Value.Task;
    }

    private async Task WaitForTurnAsync(LinkedListNode<TaskCompletionSource> node, CancellationToken ct)
    {
        await using var registration = ct.Register(() =>
        {
            lock (_lock)
            {
                if (node.List is null)
                {
                    return; // the turn was already handed to this writer: it takes it and ends it as usual
                }
                _waiting.Remove(node);
            }
            node.Value.TrySetCanceled(ct);
        });
        await node.Value.Task;
    }

    /// <summary>Gives the turn, with the group still open, to the first waiting writer; false when none waits.</summary>
    private bool TryHandOver()
    {
        TaskCompletionSource next;
        lock (_lock)
        {
            if (_waiting.First is not { } first)
            {
                return false;
            }
            _waiting.RemoveFirst();
            next = first.Value;
        }
        next.SetResult();
        return true;
    }

    /// <summary>Gives the turn to the first waiting writer, or frees it (checked under one lock: no lost wake-up).</summary>
    private void PassTurn()
    {
        if (!TryHandOver())
        {
            lock (_lock)
            {
                if (_waiting.Count == 0)
                {
                    _held = false;
                    return;
                }
            }
            TryHandOver(); // one arrived between the two locks; it is still first in line
        }
    }

    private async Task DropConnectionAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
            _connection = null;
        }
    }

    /// <summary>Waits for the writers already in line, commits a group handed to it, and closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        Task turn;
        lock (_lock)
        {
            if (_closing)
            {
                return;
            }
            _closing = true;
            if (!_held)
            {
                _held = true;
                turn = Task.CompletedTask;
            }
            else
            {
                turn = _waiting.AddLast(new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Value.Task;
            }
        }
        await turn;
        if (_group is { } group)
        {
            _group = null;
            Finish(group, IsLost() ? TransactionLost(_connection) : null);
        }
        await DropConnectionAsync(); // the turn is never passed on: the writer is closed
    }

    private sealed class Group(SqliteTransaction transaction)
    {
        public SqliteTransaction Transaction { get; } = transaction;

        /// <summary>Writers that took part, kept or not (bounded by <see cref="MaxGroupSize"/>).</summary>
        public int Entered { get; set; }

        /// <summary>Writers whose writes wait for this group's COMMIT.</summary>
        public int Kept { get; set; }

        public TaskCompletionSource Committed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class Member(SqliteGroupCommit writer, SqliteConnection connection, Group group) : WriterLease
    {
        private int _ended;

        public override DbConnection Connection => connection;

        public override DbTransaction Transaction => group.Transaction;

        public override Task CommitAsync(CancellationToken ct = default)
        {
            if (Interlocked.Exchange(ref _ended, 1) != 0)
            {
                throw new InvalidOperationException("This write was already committed or rolled back.");
            }
            return writer.End(group, keep: true, savepointOpen: true);
        }

        public override async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _ended, 1) == 0)
            {
                await writer.End(group, keep: false, savepointOpen: true);
            }
        }
    }
}
