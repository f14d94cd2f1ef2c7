using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.Auth;

/// <summary>
/// The app for auth tests: like <see cref="WorktimeApp"/>, plus a test-only client address taken from the
/// <c>X-Test-Remote-IP</c> header (TestServer has no real peer), so throttling per address can be exercised;
/// and per-test instances (<see cref="StartAsync"/>) for tests that move the clock or restart on one database.
/// </summary>
public class AuthApp : WorktimeApp
{
    public const string RemoteIpHeader = "X-Test-Remote-IP";

    /// <summary>Run on this existing database instead of a new one (a "restart").</summary>
    public string? ExistingDatabase { get; init; }

    /// <summary>Leave the database behind on dispose, for a restarted instance to pick up.</summary>
    public bool KeepDatabase { get; set; }

    public static async Task<AuthApp> StartAsync(bool fakeClock = false, string? existingDatabase = null,
        params (string Key, string? Value)[] settings)
    {
        var app = new AuthApp { UseFakeClock = fakeClock, ExistingDatabase = existingDatabase };
        foreach (var (key, value) in settings)
        {
            app.Settings[key] = value;
        }
        await app.InitializeAsync();
        _ = app.Server; // start now: migrations, signing key, first-start admin
        return app;
    }

    public override async Task InitializeAsync()
    {
        if (ExistingDatabase is null)
        {
            await base.InitializeAsync();
        }
        else
        {
            Settings["ConnectionStrings:Worktime"] = ExistingDatabase; // applied after (so over) the base's setting
        }
    }

    /// <summary>The connection string this instance runs on (for the CLI's --db and direct SQL in tests).</summary>
    public string Database => ExistingDatabase ?? ConnectionString;

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (!KeepDatabase)
        {
            await TestBackend.DropDatabaseAsync(Database);
        }
        GC.SuppressFinalize(this);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter>(new RemoteIpFilter()));
    }

    private sealed class RemoteIpFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((HttpContext context, RequestDelegate nextMiddleware) =>
            {
                if (context.Request.Headers.TryGetValue(RemoteIpHeader, out var value) && System.Net.IPAddress.TryParse(value, out var ip))
                {
                    context.Connection.RemoteIpAddress = ip;
                }
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}

/// <summary>An <see cref="AuthApp"/> on the fake clock, for class fixtures whose tests only move time forward.</summary>
public sealed class FakeClockAuthApp : AuthApp
{
    public FakeClockAuthApp() => UseFakeClock = true;
}
