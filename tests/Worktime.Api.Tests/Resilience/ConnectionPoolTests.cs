using System.Data.Common;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Worktime.Api.Data;

using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.Resilience;

/// <summary>Issue 4 item 5: the PostgreSQL pool is bounded by <c>Database:MaxPoolSize</c>.</summary>
[VariesWith(Vary.Nothing)]
[Collection(ThrowawayPostgresCollection.Name)]
public sealed class ConnectionPoolTests(ThrowawayPostgres postgres)
{
    [Fact]
    public async Task MaxPoolSizeTwo_TenParallelRequestsAllSucceed_OnAtMostTwoServerConnections()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        await using var app = WorktimeApplication.OnDatabase(connectionString, o => o.Settings["Database:MaxPoolSize"] = "2");
        var client = app.CreateClient();

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => client.GetAsync("/health/ready")));

        responses.ShouldAllBe(r => r.StatusCode == HttpStatusCode.OK);
        (await ServerConnectionsAsync(connectionString)).ShouldBeInRange(1, 2);
    }

    [Fact]
    public async Task PoolExhausted_RequestAnswers503JsonAfterTheOpenTimeout_ThenServesWhenFreed()
    {
        // Timeout=1: how long a request waits for a free pooled connection before giving up.
        var connectionString = await postgres.CreateDatabaseAsync() + ";Timeout=1";
        await using var app = WorktimeApplication.OnDatabase(connectionString, o => o.Settings["Database:MaxPoolSize"] = "2");
        var client = app.CreateGuardedClient();
        (await client.GetAsync("/health/ready")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var database = app.Services.GetRequiredService<Database>();

        var held = new[] { await database.OpenAsync(), await database.OpenAsync() };
        try
        {
            // Both connections stay held until after this answer, so only the open timeout can end the wait: the
            // 503 proves the request gave up instead of queueing forever (no stopwatch; HangGuard stops a hang).
            var response = await client.GetAsync("/health/ready");
            await DatabaseOutageTests.ShouldBe503JsonAsync(response, "not_ready");
            (await ServerConnectionsAsync(connectionString)).ShouldBe(2);
        }
        finally
        {
            foreach (var connection in held)
            {
                await connection.DisposeAsync();
            }
        }
        (await client.GetAsync("/health/ready")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData(1, 8)]
    [InlineData(2, 8)]
    [InlineData(4, 16)]
    [InlineData(8, 32)]
    [InlineData(64, 50)]
    public void DefaultPool_IsFourConnectionsPerCore_AtLeastEight_AtMostFifty(int cores, int expected)
    {
        DatabaseOptions.DefaultMaxPoolSize(cores).ShouldBe(expected);
        new DatabaseOptions().MaxPoolSize.ShouldBe(DatabaseOptions.DefaultMaxPoolSize(Environment.ProcessorCount));
    }

    [Theory]
    [InlineData("Host=h;Database=d", 7, 5, 10)]
    [InlineData("Host=h;Database=d;Maximum Pool Size=3", 3, 5, 10)]
    [InlineData("Host=h;Database=d;MaxPoolSize=3;Timeout=2", 3, 2, 10)]
    [InlineData("Host=h;Database=d;Timeout=60;Command Timeout=60", 7, 5, 60)]
    [InlineData("Host=h;Database=d;CommandTimeout=0", 7, 5, 0)]
    public void PostgresSettings_ConnectionStringWinsOverDefaults_OpenTimeoutCappedAt5s(
        string connectionString, int expectedPool, int expectedOpenTimeout, int expectedCommandTimeout)
    {
        var effective = new NpgsqlConnectionStringBuilder(Database.PostgresConnectionString(connectionString, maxPoolSize: 7));

        effective.MaxPoolSize.ShouldBe(expectedPool);
        effective.Timeout.ShouldBe(expectedOpenTimeout);
        effective.CommandTimeout.ShouldBe(expectedCommandTimeout);
    }

    /// <summary>Server-side sessions on the app's database, counted from outside its pool.</summary>
    private static async Task<long> ServerConnectionsAsync(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var database = builder.Database!;
        builder.Database = "postgres";
        builder.Pooling = false;
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await using DbCommand command = new NpgsqlCommand("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = @db", connection)
        {
            Parameters = { new NpgsqlParameter("db", database) },
        };
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
