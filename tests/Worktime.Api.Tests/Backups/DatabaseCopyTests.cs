using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Worktime.Api.Accounts;
using Worktime.Api.Tests.Forms;
using Worktime.Api.Tests.Infrastructure;
using Worktime.Api.Tests.MultiNode;

namespace Worktime.Api.Tests.Backups;

/// <summary>
/// Issue 23, "Outgrowing one machine": <c>worktime db copy --to</c> moves a whole database to the other kind — from the
/// suite's backend to the other one (SQLite to PostgreSQL in the sqlite run, PostgreSQL to SQLite in the postgres run,
/// so both directions are proven). After the copy the same password logs in, an access token issued before still
/// works, a refresh token issued before still rotates (its family came along), findAll of every form reads the same,
/// the audit trail is the same, new ids continue above the old ones, and <c>db check</c> is clean. A second copy into
/// the now non-empty target is refused.
/// </summary>
[VariesWith(Vary.Backend)]
[Collection(Cli.SerialCollection.Name)]
public sealed class DatabaseCopyTests : IAsyncLifetime
{
    private string _source = "";
    private string _target = "";

    public async Task InitializeAsync()
    {
        _source = await TestBackend.CreateDatabaseAsync();
        _target = await OtherBackendDatabaseAsync();
    }

    public async Task DisposeAsync()
    {
        await TestBackend.DropDatabaseAsync(_source);
        await DropOtherBackendDatabaseAsync(_target);
    }

    /// <summary>Deletes what <see cref="OtherBackendDatabaseAsync"/> made.</summary>
    internal static async Task DropOtherBackendDatabaseAsync(string connectionString)
    {
        if (TestBackend.IsPostgres)
        {
            foreach (var file in new[] { "", "-wal", "-shm" })
            {
                File.Delete(connectionString["Data Source=".Length..] + file);
            }
        }
        else
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(TestBackend.PostgresServer + ";Database=postgres;Pooling=false");
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand(
                $"DROP DATABASE IF EXISTS {new NpgsqlConnectionStringBuilder(connectionString).Database} WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }

    [Fact]
    public async Task Copy_ToTheOtherDatabase_KeepsLoginsTokensSessionsRowsIdsAndTheAuditTrail()
    {
        long adminId;
        await using (var admin = WorktimeApplication.OnDatabase(_source))
        {
            var partner = (await admin.Services.GetRequiredService<PartnerStore>().AddAsync("Moving Oy", "fi")).OrThrow();
            var accounts = admin.Services.GetRequiredService<UserAccounts>();
            adminId = (await accounts.CreateAsync(partner, "move.admin", 5, Node.Password)).OrThrow();
            (await accounts.CreateAsync(partner, "move.worker", 1, Node.Password)).OrThrow();
        }
        Tokens worker;
        Dictionary<string, string> before;
        await using (var node = await Node.StartAsync(_source))
        {
            var adminTokens = await TokenClient.LoginAsync(node, "move.admin", Node.Password);
            await TenantData.FillAsync(TenantData.As(node, adminId, 5, "move.admin", adminTokens.Access));
            var first = await TokenClient.LoginAsync(node, "move.worker", Node.Password);
            worker = await TokenClient.ReadTokensAsync(await TokenClient.RefreshAsync(node, first.Refresh)); // a family with a rotation
            before = await TenantData.FindAllAsync(TenantData.As(node, adminId, 5, "move.admin", adminTokens.Access).Client);
            await node.StopAsync();
        }
        await CliAsync("keys", "rotate", "--db", _source); // two keys: the old one still validates what it signed
        var auditBefore = await CliAsync("audit", "--db", _source);
        var highest = await MaxIdAsync();

        var copy = await WorktimeCli.RunAsync(["db", "copy", "--to", _target, "--db", _source], timeout: TimeSpan.FromMinutes(3));

        copy.ExitCode.ShouldBe(0, copy.Stderr);
        copy.Stdout.ShouldStartWith("Copied ");
        (await CliAsync("audit", "--db", _target)).ShouldBe(auditBefore);
        (await CliAsync("db", "check", "--db", _target)).ShouldStartWith("The database is consistent");
        await using (var moved = await Node.StartAsync(_target))
        {
            (await TokenClient.MeAsync(moved, worker.Access)).StatusCode.ShouldBe(HttpStatusCode.OK, "an access token issued before the move");
            var rotated = await TokenClient.ReadTokensAsync(await TokenClient.RefreshAsync(moved, worker.Refresh));
            (await TokenClient.MeAsync(moved, rotated.Access)).StatusCode.ShouldBe(HttpStatusCode.OK);
            var adminTokens = await TokenClient.LoginAsync(moved, "move.admin", Node.Password);
            var admin = TenantData.As(moved, adminId, 5, "move.admin", adminTokens.Access);
            var after = await TenantData.FindAllAsync(admin.Client);
            foreach (var (form, body) in before)
            {
                after[form].ShouldBe(body, $"findAll of {form} after the copy");
            }
            var created = await admin.Client.CreateAsync("tasks", "task", new { name = "After the move" });
            created.Id().ShouldBeGreaterThan(highest);
        }

        var again = await WorktimeCli.RunAsync(["db", "copy", "--to", _target, "--db", _source]);
        again.ExitCode.ShouldBe(1);
        again.Stderr.TrimEnd().ShouldStartWith("worktime: the target database is not empty");
    }

    /// <summary>An empty database of the backend the suite is not running on (the suite's PostgreSQL server, or a SQLite file).</summary>
    internal static async Task<string> OtherBackendDatabaseAsync()
    {
        if (TestBackend.IsPostgres)
        {
            return $"Data Source={Path.Combine(Path.GetTempPath(), "worktime-tests", $"{Guid.NewGuid():N}.db")}";
        }
        var name = $"wt_{Guid.NewGuid():N}";
        await using var connection = new NpgsqlConnection(TestBackend.PostgresServer + ";Database=postgres;Pooling=false");
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await create.ExecuteNonQueryAsync();
        return $"{TestBackend.PostgresServer};Database={name}";
    }

    /// <summary>The last id the source's allocator handed out.</summary>
    private async Task<long> MaxIdAsync()
    {
        await using var database = new Worktime.Api.Data.Database(_source);
        await using var connection = await database.OpenAsync();
        return await Worktime.Api.Backups.DatabaseCheck.ReadAllocatorAsync(connection, database.Dialect) ?? 0;
    }

    private static async Task<string> CliAsync(params string[] args)
    {
        var result = await WorktimeCli.RunAsync(args, timeout: TimeSpan.FromMinutes(2));
        result.ExitCode.ShouldBe(0, $"worktime {string.Join(' ', args)}: {result.Stderr}");
        return result.Stdout;
    }
}
