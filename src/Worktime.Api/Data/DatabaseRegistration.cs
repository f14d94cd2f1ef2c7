using Microsoft.Extensions.Options;

namespace Worktime.Api.Data;

internal static class DatabaseRegistration
{
    public static WebApplicationBuilder AddWorktimeDatabase(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<DatabaseOptions>()
            .Bind(builder.Configuration.GetSection("Database"))
            .Validate(o => o.MaxPoolSize is > 0 and <= 1000, "Database:MaxPoolSize must be between 1 and 1000.")
            .Validate(o => o.SqliteMaxSizeMegabytes >= 0 && double.IsFinite(o.SqliteMaxSizeMegabytes),
                "Database:SqliteMaxSizeMegabytes must be 0 (no limit) or a positive number of megabytes.")
            .Validate(o => o.OptimizeInterval == TimeSpan.Zero || (o.OptimizeInterval >= TimeSpan.FromMinutes(1) && o.OptimizeInterval <= TimeSpan.FromDays(7)),
                "Database:OptimizeInterval must be 00:00:00 (only at start) or between 00:01:00 and 7.00:00:00.")
            .ValidateOnStart();
        builder.Services.AddSingleton(services =>
        {
            var connectionString = ConnectionString(services.GetRequiredService<IConfiguration>());
            var options = services.GetRequiredService<IOptionsMonitor<DatabaseOptions>>();
            return new Database(connectionString, options.CurrentValue.MaxPoolSize, () => options.CurrentValue.SqliteMaxSizeMegabytes,
                services.GetService<IStatementObserver>()); // none in production: the plan test's (docs/forms.md, "Query plans")
        });
        builder.Services.AddSingleton<Migrator>();
        builder.Services.AddHostedService<DatabaseStartup>();
        builder.Services.AddSingleton<DatabaseStatistics>();
        builder.Services.AddHostedService(services => services.GetRequiredService<DatabaseStatistics>());
        return builder;
    }

    public static string ConnectionString(IConfiguration configuration)
    {
        var value = configuration.GetConnectionString("Worktime");
        return string.IsNullOrWhiteSpace(value) ? DatabaseOptions.DefaultConnectionString : value;
    }
}
