using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Worktime.Api.Tests.Infrastructure;

/// <summary>
/// The real app over HTTP (in-process TestServer) on a database of the selected backend (<see cref="TestBackend"/>):
/// the one application type of the suite. What differs between tests (fake clock, configuration, an existing
/// database) is given when it is built, as <see cref="WorktimeApplicationOptions"/>; helpers (partners, users,
/// logins, direct SQL) are extension methods. A test builds its own with <see cref="StartAsync"/>; a test class
/// that shares one uses it (or a fixture holding one) as an xunit class fixture.
/// </summary>
public sealed class WorktimeApplication : WebApplicationFactory<Program>, IAsyncLifetime
{
    /// <summary>
    /// A test-only client address: TestServer has no real peer, so tests of throttling per address send this header
    /// and the app takes it as the remote IP.
    /// </summary>
    public const string RemoteIpHeader = "X-Test-Remote-IP";

    /// <summary>A day in the fake clock's month (November 2026), i.e. "the current month" on <see cref="Clock"/>.</summary>
    public const string CurrentMonthDay = "2026-11-15";

    private readonly WorktimeApplicationOptions _options = new();
    private bool _disposed;

    /// <summary>The suite's default app: system clock, a new database, the test settings.</summary>
    public WorktimeApplication()
        : this(null)
    {
    }

    /// <summary>An app with the given differences from the default.</summary>
    /// <remarks>Internal only because xunit wants a class fixture to have exactly one public constructor.</remarks>
    internal WorktimeApplication(Action<WorktimeApplicationOptions>? configure)
    {
        configure?.Invoke(_options);
        ConnectionString = _options.Database ?? "";
        KeepDatabase = _options.KeepDatabase;
    }

    /// <summary>
    /// An app on a database the caller owns (e.g. one on a test's own throwaway server, or an old schema to upgrade):
    /// neither created nor dropped here. Starts on first use.
    /// </summary>
    public static WorktimeApplication OnDatabase(string connectionString, Action<WorktimeApplicationOptions>? configure = null) =>
        new(o =>
        {
            configure?.Invoke(o);
            o.Database = connectionString;
            o.KeepDatabase = true;
        });

    /// <summary>Builds an app and starts it now (migrations, signing key, first-start admin), for one test to own and dispose.</summary>
    public static async Task<WorktimeApplication> StartAsync(Action<WorktimeApplicationOptions>? configure = null)
    {
        var app = new WorktimeApplication(configure);
        await app.InitializeAsync();
        _ = app.Server;
        return app;
    }

    /// <summary>The database this app runs on (for the CLI's --db, a second node, and direct SQL in tests).</summary>
    public string ConnectionString { get; private set; }

    /// <summary>Leave the database behind on dispose; a test may change its mind while the app runs.</summary>
    public bool KeepDatabase { get; set; }

    /// <summary>The configuration overrides this app was built with.</summary>
    public IReadOnlyDictionary<string, string?> Settings => _options.Settings;

    /// <summary>The app's fake clock (used only with <see cref="WorktimeApplicationOptions.FakeClock"/>); starts at 2026-11-02 08:00 UTC.</summary>
    public TestClock Clock { get; } = new(new DateTimeOffset(2026, 11, 2, 8, 0, 0, TimeSpan.Zero));

    public async Task InitializeAsync()
    {
        if (ConnectionString.Length == 0)
        {
            ConnectionString = await TestBackend.CreateMigratedDatabaseAsync();
        }
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        if (!KeepDatabase && ConnectionString.Length > 0)
        {
            await TestBackend.DropDatabaseAsync(ConnectionString);
        }
    }

    public T Service<T>() where T : notnull => Services.GetRequiredService<T>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Worktime", ConnectionString);
        foreach (var (key, value) in _options.Settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureLogging(logging => logging.AddProvider(new CapturedLogs()).SetMinimumLevel(LogLevel.Debug));
        builder.ConfigureServices(services =>
        {
            services.AddSingleton<IStartupFilter>(new RemoteIpFilter());
            if (_options.FakeClock)
            {
                services.RemoveAll<TimeProvider>();
                services.AddSingleton<TimeProvider>(Clock);
            }
            if (!_options.GeneratedSigningKeys && _options.Database is null)
            {
                services.RemoveAll<Worktime.Api.Auth.ISigningKeySource>();
                services.AddSingleton<Worktime.Api.Auth.ISigningKeySource>(new PremadeSigningKeys());
            }
            _options.Services?.Invoke(services);
        });
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
