using System.Globalization;
using Npgsql;
using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.MultiNode;

/// <summary>
/// Issue 23, "Full disks and lost connections": everything two nodes do together (<see cref="TwoNodesBehaviour"/>:
/// logins, refresh rotation and reuse detection across nodes, throttling, the shared request quota, key rotation,
/// form writes and findAll), with PgBouncer in transaction-pooling mode between both nodes (and the operator's CLI)
/// and PostgreSQL, connected as docs/deploy.md "Behind PgBouncer" says. Its own PgBouncer
/// (scripts/pgbouncer-throwaway) in front of the suite's PostgreSQL, whatever the suite's backend: so it runs once.
/// </summary>
[VariesWith(Vary.Nothing)]
public sealed class TwoNodesBehindPgBouncerTests(TwoNodesBehindPgBouncer nodes) : TwoNodesBehaviour(nodes), IClassFixture<TwoNodesBehindPgBouncer>;

/// <summary>Two nodes whose connection string points at a throwaway PgBouncer (transaction pooling) in front of a fresh database.</summary>
public sealed class TwoNodesBehindPgBouncer : TwoNodes
{
    /// <summary>What docs/deploy.md asks for in the connection string behind PgBouncer in transaction mode.</summary>
    public const string PgBouncerSettings = "No Reset On Close=true";

    private string _bouncer = "";
    private string _database = "";

    protected override async Task<string> CreateDatabaseAsync()
    {
        var server = new NpgsqlConnectionStringBuilder(TestBackend.PostgresServer);
        var port = ServerProcess.FreePort();
        _bouncer = (await ScriptAsync("start", server.Port.ToString(CultureInfo.InvariantCulture), port.ToString(CultureInfo.InvariantCulture))).Trim();
        _database = $"wt_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(TestBackend.PostgresServer + ";Database=postgres;Pooling=false"))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {_database}", connection);
            await create.ExecuteNonQueryAsync();
        }
        return string.Create(CultureInfo.InvariantCulture,
            $"Host=127.0.0.1;Port={port};Username={server.Username};Password={server.Password};Database={_database};{PgBouncerSettings}");
    }

    protected override async Task DropDatabaseAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ScriptAsync("stop", _bouncer); // its server connections end with it
        await using var connection = new NpgsqlConnection(TestBackend.PostgresServer + ";Database=postgres;Pooling=false");
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }

    private static Task<string> ScriptAsync(params string[] args) => ProjectScript.RunAsync("pgbouncer-throwaway", args);
}
