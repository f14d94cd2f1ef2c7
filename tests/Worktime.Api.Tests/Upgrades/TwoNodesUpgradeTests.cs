using Dapper;
using Worktime.Api.Data;
using Worktime.Api.Tests.Backups;
using Worktime.Api.Tests.Infrastructure;
using Worktime.Api.Tests.MultiNode;

namespace Worktime.Api.Tests.Upgrades;

/// <summary>
/// Issue 23, "Upgrades": two real nodes started at the same moment on a database of the oldest schema (PostgreSQL in
/// the postgres run, one SQLite file in the sqlite run). Each pending migration is applied once — one node applies it
/// while the other waits for its lock and then finds it recorded — both nodes come up ready, and the rows and
/// passwords of the old release are all there.
/// </summary>
[VariesWith(Vary.Backend)]
[Collection(Cli.SerialCollection.Name)]
public sealed class TwoNodesUpgradeTests
{
    [Fact]
    public async Task TwoNodesStartingAtOnceOnAnOldDatabase_MigrateItOnce_AndBothServeItsData()
    {
        var fixture = await UpgradeFixture.BuildAsync(UpgradeFixture.Versions[0]);
        try
        {
            var before = await UpgradeFixture.SnapshotAsync(fixture);
            var environment = Node.Environment(fixture);
            await using var a = ServerProcess.Start(environment);
            await using var b = ServerProcess.Start(environment);
            await Task.WhenAll(a.WaitReadyAsync(), b.WaitReadyAsync());

            await using (var database = new Database(fixture))
            await using (var connection = await database.OpenAsync())
            {
                var recorded = (await connection.QueryAsync<string>("SELECT version FROM schema_migrations")).ToList();
                recorded.Order(StringComparer.Ordinal).ShouldBe(UpgradeFixture.Versions);
            }
            foreach (var node in new[] { a, b })
            {
                await TokenClient.LoginAsync(node, "Fixture.Admin", "pw-fixture-admin-1");
                await TokenClient.LoginAsync(node, "straße", "pw-fixture-legacy-1");
            }
            var after = await UpgradeFixture.SnapshotAsync(fixture);
            foreach (var table in new[] { "partners", "users" })
            {
                after[table].Count.ShouldBe(before[table].Count, table);
            }
            a.HasExited.ShouldBeFalse(a.Output);
            b.HasExited.ShouldBeFalse(b.Output);
        }
        finally
        {
            await TestBackend.DropDatabaseAsync(fixture);
        }
    }
}
