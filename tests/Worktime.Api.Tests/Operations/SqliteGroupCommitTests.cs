using Dapper;
using Microsoft.Data.Sqlite;
using Worktime.Api.Data;

using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.Operations;

/// <summary>
/// docs/deploy.md, "SQLite": writers that queue for the one SQLite writer share a transaction, each in its own
/// savepoint, and one COMMIT. A writer's commit returns only after that COMMIT; a writer that gives up undoes only its
/// own writes; a transaction SQLite ends on its own fails every writer waiting on it; closing the database commits
/// a group it is handed. The order of events is forced by the queue itself (a writer asking for the connection
/// while another holds it is in line when the call returns), so no test depends on timing. Each test has its own
/// database file: the writer is SQLite's alone, whatever backend the suite runs on.
/// </summary>
[VariesWith(Vary.Nothing)]
public sealed class SqliteGroupCommitTests
{
    [Fact]
    public async Task AWriterFollowedByAnother_IsAnsweredOnlyAfterTheSharedCommit()
    {
        await using var scratch = await Scratch.CreateAsync();
        var database = scratch.Database;
        var commitsBefore = database.SqliteGroupsEnded;
        var first = await scratch.OpenWriterAsync();
        var secondTurn = scratch.OpenWriterAsync(); // in line behind the first

        await InsertAsync(first, "first");
        var firstCommitted = first.CommitAsync();
        var second = await secondTurn; // handed the open transaction

        firstCommitted.IsCompleted.ShouldBeFalse(); // no answer before the COMMIT that carries it
        (await CommittedNotesAsync(database)).ShouldBeEmpty();
        await InsertAsync(second, "second");
        await second.CommitAsync(); // no one waits: the second commits for both
        await firstCommitted;

        (await CommittedNotesAsync(database)).ShouldBe(["first", "second"]);
        (database.SqliteGroupsEnded - commitsBefore).ShouldBe(1);
    }

    [Fact]
    public async Task AWriterThatGivesUp_UndoesOnlyItsOwnWrites()
    {
        await using var scratch = await Scratch.CreateAsync();
        var database = scratch.Database;
        var first = await scratch.OpenWriterAsync();
        var secondTurn = scratch.OpenWriterAsync();
        var thirdTurn = scratch.OpenWriterAsync();

        await InsertAsync(first, "kept 1");
        var firstCommitted = first.CommitAsync();
        await using (var second = await secondTurn)
        {
            await InsertAsync(second, "given up");
        } // disposed without a commit: back to its savepoint, the group goes on
        var third = await thirdTurn;
        await InsertAsync(third, "kept 2");
        await third.CommitAsync();
        await firstCommitted;

        (await CommittedNotesAsync(database)).ShouldBe(["kept 1", "kept 2"]);
    }

    [Fact]
    public async Task AGroupHasAtMostSixteenWriters_TheRestStartTheNext()
    {
        await using var scratch = await Scratch.CreateAsync();
        var database = scratch.Database;
        var commitsBefore = database.SqliteGroupsEnded;
        var first = await scratch.OpenWriterAsync();
        var inLine = Enumerable.Range(1, 20).Select(i => WriteAsync(scratch.OpenWriterAsync(), $"n{i}")).ToList();

        await InsertAsync(first, "n0");
        await first.CommitAsync(); // returns when the first group commits
        await Task.WhenAll(inLine);

        (await CommittedNotesAsync(database)).Count.ShouldBe(21);
        // 21 writers in line from the start: one group of 16 (the limit), then one of the 5 left.
        (database.SqliteGroupsEnded - commitsBefore).ShouldBe(2);
    }

    [Fact]
    public async Task AWriterCancelledInLine_NeitherTakesNorLosesTheTurn()
    {
        await using var scratch = await Scratch.CreateAsync();
        var database = scratch.Database;
        var first = await scratch.OpenWriterAsync();
        using var cancel = new CancellationTokenSource();
        var cancelledTurn = scratch.OpenWriterAsync(cancel.Token);
        var thirdTurn = scratch.OpenWriterAsync();

        await cancel.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(cancelledTurn);
        await InsertAsync(first, "first");
        var firstCommitted = first.CommitAsync();
        var third = await thirdTurn; // the turn skips the cancelled writer
        await InsertAsync(third, "third");
        await third.CommitAsync();
        await firstCommitted;

        (await CommittedNotesAsync(database)).ShouldBe(["first", "third"]);
        await using var next = await scratch.OpenWriterAsync(); // the turn is free again
    }

    [Fact]
    public async Task ATransactionSqliteEndsOnItsOwn_FailsEveryWriterWaitingOnIt_AndTheNextWriterStartsClean()
    {
        await using var scratch = await Scratch.CreateAsync();
        var database = scratch.Database;
        var first = await scratch.OpenWriterAsync();
        var secondTurn = scratch.OpenWriterAsync();
        await InsertAsync(first, "lost");
        var firstCommitted = first.CommitAsync();
        await using (var second = await secondTurn)
        {
            // What SQLite does after some I/O and out-of-memory errors: the whole transaction is rolled back.
            await second.Connection.ExecuteAsync("ROLLBACK", transaction: second.Transaction);
        }

        await Should.ThrowAsync<SqliteException>(firstCommitted);
        (await CommittedNotesAsync(database)).ShouldBeEmpty();
        await using var next = await scratch.OpenWriterAsync();
        await InsertAsync(next, "after");
        await next.CommitAsync();
        (await CommittedNotesAsync(database)).ShouldBe(["after"]);
    }

    [Fact]
    public async Task ClosingTheDatabase_CommitsTheGroupItIsHanded_AndRefusesNewWriters()
    {
        await using var scratch = await Scratch.CreateAsync();
        var database = scratch.Database;
        var first = await scratch.OpenWriterAsync();
        var secondTurn = scratch.OpenWriterAsync();
        await InsertAsync(first, "first");
        var firstCommitted = first.CommitAsync();
        var second = await secondTurn;
        var closing = database.DisposeAsync().AsTask(); // in line behind the second

        await Should.ThrowAsync<ObjectDisposedException>(database.OpenWriterAsync()); // refused, not in line
        await InsertAsync(second, "second");
        var secondCommitted = second.CommitAsync(); // hands the open group to the closing database
        await closing;
        await firstCommitted;
        await secondCommitted;

        await using var reopened = new Database(scratch.ConnectionString);
        await using var connection = await reopened.OpenAsync();
        (await connection.QueryAsync<string>("SELECT text FROM note ORDER BY rowid")).ShouldBe(["first", "second"]);
    }

    [Fact]
    public async Task TheWritersLog_IsCopiedIntoTheDatabaseFile_ByTheCheckpointer_NotByACommit()
    {
        await using var scratch = await Scratch.CreateAsync();
        var database = scratch.Database;
        await using (var writer = await scratch.OpenWriterAsync())
        {
            (await writer.Connection.ExecuteScalarAsync<long>("PRAGMA wal_autocheckpoint", transaction: writer.Transaction)).ShouldBe(0);
            foreach (var i in Enumerable.Range(0, 2000))
            {
                await InsertAsync(writer, $"{i:D6} {new string('x', 200)}");
            }
            await writer.CommitAsync();
        }
        var checkpoints = database.Checkpointer!.Completed;

        await database.Checkpointer.NextCheckpointAsync();

        database.Checkpointer.Completed.ShouldBeGreaterThan(checkpoints);
        // 2,000 rows of 200 bytes are 400 KB: in the file itself now, not only in its -wal beside it.
        new FileInfo(scratch.Path).Length.ShouldBeGreaterThan(400_000);
    }

    private static Task<int> InsertAsync(WriterLease writer, string text) =>
        writer.Connection.ExecuteAsync("INSERT INTO note (text) VALUES (@text)", new { text }, writer.Transaction);

    private static async Task WriteAsync(Task<WriterLease> turn, string text)
    {
        await using var writer = await turn;
        await InsertAsync(writer, text);
        await writer.CommitAsync();
    }

    /// <summary>What a reader sees: its own pooled connection, outside the writer's transaction.</summary>
    private static async Task<List<string>> CommittedNotesAsync(Database database)
    {
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<string>("SELECT text FROM note ORDER BY rowid")).ToList();
    }

    /// <summary>A database file of one test, with a table of notes; removed afterwards.</summary>
    private sealed class Scratch : IAsyncDisposable
    {
        public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "worktime-tests", $"group-{Guid.NewGuid():N}.db");

        private Scratch() => Database = new Database(ConnectionString);

        public string ConnectionString => $"Data Source={Path}";

        public Database Database { get; }

        /// <summary>Every writer a test asked for, in the order it asked: ended in that order afterwards.</summary>
        private readonly List<Task<WriterLease>> _writers = [];

        /// <summary>
        /// A writer, remembered so that a failing assertion cannot leave one holding the turn (which would keep the
        /// database from closing and hang the test instead of failing it).
        /// </summary>
        public Task<WriterLease> OpenWriterAsync(CancellationToken ct = default)
        {
            var writer = Database.OpenWriterAsync(ct);
            _writers.Add(writer);
            return writer;
        }

        public static async Task<Scratch> CreateAsync()
        {
            var scratch = new Scratch();
            await using (var connection = await scratch.Database.OpenAsync())
            {
                await connection.ExecuteAsync("PRAGMA journal_mode = WAL"); // as the migrator leaves every database
            }
            await using var writer = await scratch.Database.OpenWriterAsync();
            await writer.Connection.ExecuteAsync("CREATE TABLE note (text TEXT NOT NULL)", transaction: writer.Transaction);
            await writer.CommitAsync();
            return scratch;
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var writer in _writers) // the line is first come, first served: each ends and hands on in turn
            {
                try
                {
                    await (await writer).DisposeAsync();
                }
                catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
                {
                    // never got the turn
                }
            }
            await Database.DisposeAsync();
            foreach (var file in new[] { Path, Path + "-wal", Path + "-shm" })
            {
                File.Delete(file);
            }
        }
    }
}
