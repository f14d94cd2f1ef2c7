using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Worktime.Api.Accounts;
using Worktime.Api.Tests.Backups;
using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.Resilience;

/// <summary>
/// Issue 23, "Full disks and lost connections", on PostgreSQL: the server is restarted in the middle of a write load
/// of several clients. Every write answered 201 is in the database afterwards; every other answer is a JSON 503
/// (never a 500 or a hang); the same process writes again once PostgreSQL is back, without a restart. The steps
/// follow the answers (so many acknowledged, so many refused), never the clock. Runs on its own throwaway
/// PostgreSQL whatever the suite's backend.
/// </summary>
[VariesWith(Vary.Nothing)]
[Collection(ThrowawayPostgresCollection.Name)]
public sealed class PostgresRestartUnderLoadTests(ThrowawayPostgres postgres)
{
    private const int Writers = 4;

    [Fact]
    public async Task PostgresRestartedDuringWrites_EveryAcknowledgedWriteSurvives_OthersAre503_AndWritesResume()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        await using var app = WorktimeApplication.OnDatabase(connectionString,
            o => o.Settings["RateLimit:RequestsPerWindow"] = "1000000");
        var partner = (await app.Services.GetRequiredService<PartnerStore>().AddAsync("Restart Oy", "fi")).OrThrow();
        (await app.Services.GetRequiredService<UserAccounts>().CreateAsync(partner, "restart.writer", 1, Password)).OrThrow();
        var access = (await app.LoginAsync("restart.writer", Password)).GetProperty("access_token").GetString()!;

        using var load = WriteLoad.Start(app.CreateGuardedClient, access, Writers, tolerate503: true);
        await load.WhenAcknowledgedAsync(40);
        await postgres.HaltAsync(); // fast shutdown: every session is terminated, in-flight transactions roll back
        try
        {
            await load.WhenRefusedAsync(2 * Writers); // the outage reached the clients as 503s
        }
        finally
        {
            await postgres.ResumeAsync();
        }
        var atRestart = load.Count;
        await load.WhenAcknowledgedAsync(atRestart + 40); // the node reconnected by itself
        var acknowledged = await load.StopAsync();

        load.Failures.ShouldBeEmpty("every write was answered 201 or 503");
        load.Refused.ShouldBeGreaterThanOrEqualTo(2 * Writers);
        var stored = await WorktimeIdsAsync(connectionString);
        acknowledged.Except(stored).ShouldBeEmpty("a write answered 201 was lost in the restart");
        // A 503 means "not known to be written": only a COMMIT cut off from its answer can leave a row without a 201,
        // at most one per client (each has one request in flight when the server goes down).
        (stored.Count - acknowledged.Count).ShouldBeInRange(0, Writers);
    }

    private const string Password = "pw-restart-load-7d2k";

    private static async Task<HashSet<long>> WorktimeIdsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString + ";Pooling=false");
        return (await connection.QueryAsync<long>("SELECT id FROM worktimes")).ToHashSet();
    }
}
