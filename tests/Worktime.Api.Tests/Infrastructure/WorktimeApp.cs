using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Worktime.Api.Tests.Infrastructure;

/// <summary>
/// The real app over HTTP (in-process TestServer) on a fresh database of the selected backend.
/// Tests configure it through <see cref="Settings"/> before the first request.
/// </summary>
public class WorktimeApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    public string ConnectionString { get; private set; } = "";

    /// <summary>The app's clock; starts at a fixed instant and moves only when a test advances it.</summary>
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 2, 8, 0, 0, TimeSpan.Zero));

    /// <summary>Use <see cref="Clock"/> instead of the system clock.</summary>
    public bool UseFakeClock { get; init; }

    /// <summary>Configuration overrides, applied on top of the test defaults.</summary>
    public Dictionary<string, string?> Settings { get; } = new()
    {
        // Cheap Argon2 for speed; a dedicated test checks the production defaults.
        ["Auth:Argon2:MemoryKiB"] = "8192",
        ["Auth:Argon2:Iterations"] = "1",
        // The hashing queue gives up after this long (default 5 s). Tests that are not about a full queue
        // must not depend on how fast a shared, loaded machine drains it, so they wait as long as allowed;
        // the full-queue test sets its own short timeout.
        ["Auth:HashQueueTimeout"] = "00:01:00",
        ["Auth:Issuer"] = "http://worktime.test",
        ["Auth:Audience"] = "http://worktime.test",
    };

    public virtual async Task InitializeAsync() => ConnectionString = await TestBackend.CreateDatabaseAsync();

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        await TestBackend.DropDatabaseAsync(ConnectionString);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Worktime", ConnectionString);
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureLogging(logging => logging.AddProvider(new CapturedLogs()).SetMinimumLevel(LogLevel.Debug));
        builder.ConfigureServices(services =>
        {
            if (UseFakeClock)
            {
                services.RemoveAll<TimeProvider>();
                services.AddSingleton<TimeProvider>(Clock);
            }
        });
    }

    public T Service<T>() where T : notnull => Services.GetRequiredService<T>();
}
