using Microsoft.Extensions.DependencyInjection;
using Worktime.Api.Data;
using Worktime.Api.Tests.Infrastructure;
using Worktime.Api.Tests.Resilience;
using Worktime.Api.Accounts;

namespace Worktime.Api.Tests.MultiNode;

/// <summary>
/// Two real API nodes (A and B, separate processes and ports) on ONE fresh database of the suite's backend:
/// a PostgreSQL database in the postgres run, one SQLite file (WAL) in the sqlite run. Both start at the same
/// time on the empty database, as a rolling deploy of a new installation would.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable",
    Justification = "xUnit disposes the fixture through IAsyncLifetime.DisposeAsync, which disposes _admin.")]
public class TwoNodes : IAsyncLifetime
{
    private WorktimeApplication? _admin;

    public string ConnectionString { get; private set; } = "";

    public ServerProcess A { get; private set; } = null!;

    public ServerProcess B { get; private set; } = null!;

    /// <summary>How often each node reloads the signing keys from the database (kept short for the tests).</summary>
    public static readonly TimeSpan KeyRefreshInterval = TimeSpan.FromSeconds(2);

    /// <summary>A rotated refresh token presented again within this window returns the same successor.</summary>
    public static readonly TimeSpan RefreshGracePeriod = TimeSpan.FromSeconds(3);

    /// <summary>Failures for one username from one address (Auth:Throttle:UserIpFailures): the answers after them are 429.</summary>
    public const int ThrottleAfter = 4;

    /// <summary>Authenticated requests per user per window (docs/forms.md), counted across both nodes.</summary>
    public const int RequestQuota = 12;

    /// <summary>The partner every test user belongs to (made by the CLI once the nodes run).</summary>
    public long PartnerId { get; private set; }

    /// <summary>Settings given to both nodes as environment variables (section separator <c>__</c>).</summary>
    public Dictionary<string, string> Environment { get; } = new()
    {
        ["Auth__Argon2__MemoryKiB"] = "8192",
        ["Auth__Argon2__Iterations"] = "1",
        ["Auth__Issuer"] = "http://worktime.test",
        ["Auth__Audience"] = "http://worktime.test",
        ["Auth__KeyRefreshInterval"] = KeyRefreshInterval.ToString("c"),
        ["Auth__RefreshGracePeriod"] = RefreshGracePeriod.ToString("c"),
        // Every test comes from 127.0.0.1: only the per-(username, address) counter is low enough to reach.
        ["Auth__Throttle__UserIpFailures"] = ThrottleAfter.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Auth__Throttle__IpFailures"] = "1000",
        ["Auth__Throttle__UserFailures"] = "1000",
        ["Auth__Throttle__BaseDelay"] = "00:01:00", // a refusal outlasts the test, whatever the clock's second
        // Small enough for a test to exhaust; each test's users stay far below it otherwise.
        ["RateLimit__RequestsPerWindow"] = RequestQuota.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["RateLimit__FlushInterval"] = "00:00:00.100",
        // As docs/deploy.md says for nodes behind a reverse proxy: the client address comes from X-Forwarded-For,
        // believed from the trusted proxy only (the tests' requests play it, from 127.0.0.1).
        ["Http__TrustedProxies__0"] = "127.0.0.1",
        // As src/Worktime.Api/appsettings.json (not copied next to the tests): ASP.NET Core itself at Warning.
        ["Logging__LogLevel__Default"] = "Information",
        ["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning",
    };

    public async Task InitializeAsync()
    {
        ConnectionString = await CreateDatabaseAsync();
        Environment["ConnectionStrings__Worktime"] = ConnectionString;
        A = ServerProcess.Start(Environment);
        B = ServerProcess.Start(Environment);
        await Task.WhenAll(A.WaitReadyAsync(), B.WaitReadyAsync());
        // An in-process app on the same database stands in for the operator's tools (users, partners).
        _admin = WorktimeApplication.OnDatabase(ConnectionString);
        PartnerId = (await _admin.Services.GetRequiredService<PartnerStore>().AddAsync("Two nodes", "fi")).OrThrow();
    }

    /// <summary>A new user of <see cref="PartnerId"/>; returns its username and password.</summary>
    public async Task<(string Username, string Password)> AddUserAsync(int level = 1)
    {
        var username = $"u{Guid.NewGuid():N}"[..12];
        var password = $"pw-{Guid.NewGuid():N}";
        (await _admin!.Services.GetRequiredService<UserAccounts>().CreateAsync(PartnerId, username, level, password)).OrThrow();
        return (username, password);
    }

    /// <summary>
    /// Moves this user's refresh-token rotations <paramref name="age"/> into the past, as if that much time had
    /// passed since (the nodes are real processes on the real clock; this is their fake clock, without a sleep).
    /// </summary>
    public async Task AgeRotationsAsync(string username, TimeSpan age)
    {
        await using var connection = await _admin!.Services.GetRequiredService<Database>().OpenAsync();
        await Dapper.SqlMapper.ExecuteAsync(connection,
            """
            UPDATE refresh_tokens SET used_at = used_at - @seconds
            WHERE used_at IS NOT NULL AND family_id IN (
                SELECT f.id FROM refresh_families f JOIN users u ON u.id = f.user_id WHERE u.username_norm = @username)
            """,
            new { seconds = (long)age.TotalSeconds, username });
    }

    /// <summary>How many partners of this name the database holds.</summary>
    public async Task<long> CountPartnersAsync(string name)
    {
        await using var connection = await _admin!.Services.GetRequiredService<Database>().OpenAsync();
        return await Dapper.SqlMapper.ExecuteScalarAsync<long>(
            connection, "SELECT COUNT(*) FROM partners WHERE name = @name", new { name });
    }

    /// <summary>The id of a user made by <see cref="AddUserAsync"/>.</summary>
    public async Task<long> UserIdAsync(string username)
    {
        await using var connection = await _admin!.Services.GetRequiredService<Database>().OpenAsync();
        return await Dapper.SqlMapper.ExecuteScalarAsync<long>(
            connection, "SELECT id FROM users WHERE username = @username", new { username });
    }

    /// <summary>
    /// Waits until the shared request-quota table holds at least <paramref name="used"/> for the user (a node's
    /// flush has landed). An ordering check, not a timing one: it polls the table, bounded at 30 s.
    /// </summary>
    public async Task WaitForQuotaTotalAsync(long userId, long used)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        await using var connection = await _admin!.Services.GetRequiredService<Database>().OpenAsync();
        while (await Dapper.SqlMapper.ExecuteScalarAsync<long?>(connection,
                   "SELECT used FROM request_quota WHERE user_id = @userId", new { userId }) is not { } stored || stored < used)
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, $"no flush brought user {userId} to {used} requests");
            await Task.Delay(20);
        }
    }

    /// <summary>Runs <c>worktime ARGS --db CONNECTION</c>; fails the test unless it exits 0.</summary>
    public async Task<string> CliAsync(string[] args, string? stdin = null)
    {
        var result = await WorktimeCli.RunAsync([.. args, "--db", ConnectionString], stdin);
        result.ExitCode.ShouldBe(0, $"worktime {string.Join(' ', args)}: {result.Stderr}");
        return result.Stdout;
    }


    public async Task DisposeAsync()
    {
        if (_admin is not null)
        {
            await _admin.DisposeAsync();
        }
        await Task.WhenAll(A.DisposeAsync().AsTask(), B.DisposeAsync().AsTask());
        await DropDatabaseAsync();
    }

    /// <summary>The database both nodes use: a fresh one of the suite's backend.</summary>
    protected virtual Task<string> CreateDatabaseAsync() => TestBackend.CreateDatabaseAsync();

    protected virtual Task DropDatabaseAsync() => TestBackend.DropDatabaseAsync(ConnectionString);

    /// <summary>The node for the i-th request when alternating A, B, A, ...</summary>
    public ServerProcess Alternate(int i) => i % 2 == 0 ? A : B;
}
