using System.Globalization;
using Npgsql;
using Worktime.Api.Tests.MultiNode;

namespace Worktime.Api.Tests.Resilience;

/// <summary>
/// A PostgreSQL server of the test's own (scripts/pg-throwaway), so a test may stop and restart it without
/// disturbing the suite's shared server. It does not depend on <c>WORKTIME_TEST_BACKEND</c>, so these tests
/// run, identically, in both suite runs.
/// Port: <c>WORKTIME_TEST_PG_SPARE_PORT</c> when set, else a free loopback port chosen by the OS.
/// </summary>
public sealed class ThrowawayPostgres : IAsyncLifetime
{
    private string _dir = "";

    public int Port { get; private set; }

    public string Server => $"Host=127.0.0.1;Port={Port};Username=worktime;Password=worktime";

    public async Task InitializeAsync()
    {
        Port = int.TryParse(Environment.GetEnvironmentVariable("WORKTIME_TEST_PG_SPARE_PORT"), CultureInfo.InvariantCulture, out var port) ? port : ServerProcess.FreePort();
        _dir = (await ScriptAsync("start", Port.ToString(CultureInfo.InvariantCulture))).Trim();
    }

    public Task DisposeAsync() => ScriptAsync("stop", _dir);

    /// <summary>Stops the server (fast shutdown: open sessions are terminated), keeping its data.</summary>
    public Task HaltAsync() => ScriptAsync("halt", _dir);

    /// <summary>Starts a halted server again on the same port.</summary>
    public Task ResumeAsync() => ScriptAsync("resume", _dir);

    /// <summary>Suspends the server and its sessions (SIGSTOP): a hung server or a silent network partition.</summary>
    public Task FreezeAsync() => ScriptAsync("freeze", _dir);

    public Task ThawAsync() => ScriptAsync("thaw", _dir);

    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"wt_{Guid.NewGuid():N}";
        await using var connection = new NpgsqlConnection(Server + ";Database=postgres;Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await command.ExecuteNonQueryAsync();
        return $"{Server};Database={name}";
    }

    private static Task<string> ScriptAsync(params string[] args) => ProjectScript.RunAsync("pg-throwaway", args);
}
