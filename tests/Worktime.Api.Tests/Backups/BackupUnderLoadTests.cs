using System.Net;
using Dapper;
using Worktime.Api.Data;
using Worktime.Api.Tests.Forms;
using Worktime.Api.Tests.Infrastructure;
using Worktime.Api.Tests.MultiNode;

namespace Worktime.Api.Tests.Backups;

/// <summary>
/// Issue 23, "Backups and restore": <c>worktime db backup</c> while a real server answers a write load of many clients
/// (SQLite: VACUUM INTO; PostgreSQL: pg_dump). Every write acknowledged before the backup began is in the copy; the
/// copy, restored into a new database, serves logins and findAll; the running server lost nothing. Runs on the
/// suite's backend.
/// </summary>
[VariesWith(Vary.Backend)]
[Collection(Cli.SerialCollection.Name)]
public sealed class BackupUnderLoadTests : IAsyncLifetime
{
    private readonly List<string> _databases = [];
    private readonly string _folder = Directory.CreateTempSubdirectory("worktime-backup-").FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var database in _databases)
        {
            await TestBackend.DropDatabaseAsync(database);
        }
        Directory.Delete(_folder, recursive: true);
    }

    private async Task<string> NewDatabaseAsync()
    {
        var database = await TestBackend.CreateDatabaseAsync();
        _databases.Add(database);
        return database;
    }

    [Fact]
    public async Task Backup_DuringAWriteLoad_HoldsEveryEarlierWrite_AndTheRestoredCopyServes()
    {
        var live = await NewDatabaseAsync();
        await using var node = await Node.StartAsync(live);
        await Node.AddUserAsync(live, "backup.writer");
        var access = (await TokenClient.LoginAsync(node, "backup.writer", Node.Password)).Access;
        var file = Path.Combine(_folder, "worktime.backup");

        using var load = WriteLoad.Start(node, access, writers: 6);
        await load.WhenAcknowledgedAsync(150);
        var before = load.Acknowledged; // answered before the backup began
        var backup = WorktimeCli.RunAsync(["db", "backup", file, "--db", live], timeout: TimeSpan.FromMinutes(2));
        var atStart = load.Count;
        var result = await backup;
        var answeredMeanwhile = load.Count - atStart;
        var all = await load.StopAsync();

        result.ExitCode.ShouldBe(0, result.Stderr);
        result.Stdout.ShouldStartWith("Backup written to ");
        result.Stderr.ShouldBeEmpty();
        load.Failures.ShouldBeEmpty();
        answeredMeanwhile.ShouldBeGreaterThan(0, "the server kept answering writes while the backup ran");
        // The running server lost nothing.
        all.Except(await WorktimeIdsAsync(live)).ShouldBeEmpty("the running server lost acknowledged writes");

        var restored = await NewDatabaseAsync();
        var restore = await WorktimeCli.RunAsync(["db", "restore", file, "--db", restored], timeout: TimeSpan.FromMinutes(2));
        restore.ExitCode.ShouldBe(0, restore.Stderr);
        restore.Stdout.ShouldStartWith("Restored ");
        var inCopy = await WorktimeIdsAsync(restored);
        before.Except(inCopy).ShouldBeEmpty("every write acknowledged before the backup began is in the copy");
        inCopy.Except(all).ShouldBeEmpty("the copy holds only writes the live database acknowledged");

        await using var copy = await Node.StartAsync(restored);
        var copyAccess = (await TokenClient.LoginAsync(copy, "backup.writer", Node.Password)).Access;
        using var page = await copy.GetAsync("/worktimes?date=2026-11-02&limit=100", copyAccess);
        var body = await page.ShouldBeJsonAsync(200);
        body.GetProperty("count").GetInt64().ShouldBe(inCopy.Count);
        await copy.ShouldServeWorktimesAsync(copyAccess, before.Take(50), "acknowledged before the backup is served by the copy");
        var check = await WorktimeCli.RunAsync(["db", "check", "--db", restored]);
        check.ExitCode.ShouldBe(0, check.Stdout + check.Stderr);
    }

    private static async Task<HashSet<long>> WorktimeIdsAsync(string connectionString)
    {
        await using var database = new Database(connectionString);
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<long>("SELECT id FROM worktimes")).ToHashSet();
    }
}
