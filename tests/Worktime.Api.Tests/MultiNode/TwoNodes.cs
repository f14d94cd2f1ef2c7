using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.MultiNode;

/// <summary>
/// Two real API nodes (A and B, separate processes and ports) on ONE fresh database of the suite's backend:
/// a PostgreSQL database in the postgres run, one SQLite file (WAL) in the sqlite run. Both start at the same
/// time on the empty database, as a rolling deploy of a new installation would.
/// </summary>
public class TwoNodes : IAsyncLifetime
{
    public string ConnectionString { get; private set; } = "";

    public ServerProcess A { get; private set; } = null!;

    public ServerProcess B { get; private set; } = null!;

    /// <summary>How often each node reloads the signing keys from the database (kept short for the tests).</summary>
    public static readonly TimeSpan KeyRefreshInterval = TimeSpan.FromSeconds(2);

    /// <summary>Settings given to both nodes as environment variables (section separator <c>__</c>).</summary>
    public Dictionary<string, string> Environment { get; } = new()
    {
        ["Auth__Argon2__MemoryKiB"] = "8192",
        ["Auth__Argon2__Iterations"] = "1",
        ["Auth__Issuer"] = "http://worktime.test",
        ["Auth__Audience"] = "http://worktime.test",
        ["Auth__KeyRefreshInterval"] = KeyRefreshInterval.ToString("c"),
        // As src/Worktime.Api/appsettings.json (not copied next to the tests): ASP.NET Core itself at Warning.
        ["Logging__LogLevel__Default"] = "Information",
        ["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning",
    };

    public async Task InitializeAsync()
    {
        ConnectionString = await TestBackend.CreateDatabaseAsync();
        Environment["ConnectionStrings__Worktime"] = ConnectionString;
        A = ServerProcess.Start(Environment);
        B = ServerProcess.Start(Environment);
        await Task.WhenAll(A.WaitReadyAsync(), B.WaitReadyAsync());
    }

    public async Task DisposeAsync()
    {
        await Task.WhenAll(A.DisposeAsync().AsTask(), B.DisposeAsync().AsTask());
        await TestBackend.DropDatabaseAsync(ConnectionString);
    }

    /// <summary>The node for the i-th request when alternating A, B, A, ...</summary>
    public ServerProcess Alternate(int i) => i % 2 == 0 ? A : B;
}
