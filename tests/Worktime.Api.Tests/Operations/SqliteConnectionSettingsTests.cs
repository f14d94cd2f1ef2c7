using System.Data.Common;
using Dapper;
using Worktime.Api.Data;
using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.Operations;

/// <summary>
/// docs/deploy.md, "SQLite": every connection waits for another process's lock (busy_timeout), enforces foreign
/// keys and commits with synchronous=NORMAL. The pragmas are set once per pooled native handle, so a connection
/// the pool hands out again must still carry them — readers and the writer alike.
/// </summary>
[VariesWith(Vary.Nothing)]
public sealed class SqliteConnectionSettingsTests(WorktimeApplication app) : IClassFixture<WorktimeApplication>
{
    [Fact]
    public async Task EveryOpenedConnection_FreshOrFromThePool_HasTheConnectionPragmas()
    {
        using var ready = await app.CreateClient().GetAsync("/health/ready"); // migrated, pool warmed by the app
        var database = app.Service<Database>();
        if (database.Dialect != DbDialect.Sqlite)
        {
            database.Dialect.ShouldBe(DbDialect.Postgres); // PostgreSQL has no per-connection pragmas to keep
            return;
        }
        var seen = new List<(long Busy, long ForeignKeys, long Synchronous)>();
        for (var round = 0; round < 3; round++)
        {
            // Two at once: the second is a fresh handle in the first round and a pooled one after.
            await using var first = await database.OpenAsync();
            await using var second = await database.OpenAsync();
            seen.Add(await PragmasAsync(first));
            seen.Add(await PragmasAsync(second));
            await using var writer = await database.OpenWriterAsync();
            seen.Add(await PragmasAsync(writer.Connection, writer.Transaction));
        }
        seen.ShouldAllBe(p => p.Busy == 5000 && p.ForeignKeys == 1 && p.Synchronous == 1); // 1 = NORMAL
        await using var theWriter = await database.OpenWriterAsync();
        // The writer leaves the checkpoints to the checkpointer's thread (docs/deploy.md, "SQLite").
        (await theWriter.Connection.ExecuteScalarAsync<long>("PRAGMA wal_autocheckpoint", transaction: theWriter.Transaction)).ShouldBe(0);
    }

    private static async Task<(long, long, long)> PragmasAsync(DbConnection connection, DbTransaction? transaction = null) => (
        await connection.ExecuteScalarAsync<long>("PRAGMA busy_timeout", transaction: transaction),
        await connection.ExecuteScalarAsync<long>("PRAGMA foreign_keys", transaction: transaction),
        await connection.ExecuteScalarAsync<long>("PRAGMA synchronous", transaction: transaction));
}
