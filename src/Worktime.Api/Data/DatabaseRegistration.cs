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
            .ValidateOnStart();
        builder.Services.AddSingleton(services =>
        {
            var connectionString = ConnectionString(services.GetRequiredService<IConfiguration>());
            var options = services.GetRequiredService<IOptionsMonitor<DatabaseOptions>>();
            return new Database(connectionString, options.CurrentValue.MaxPoolSize, () => options.CurrentValue.SqliteMaxSizeMegabytes);
        });
        builder.Services.AddSingleton<Migrator>();
        builder.Services.AddHostedService<DatabaseStartup>();
        return builder;
    }

    public static string ConnectionString(IConfiguration configuration)
    {
        var value = configuration.GetConnectionString("Worktime");
        return string.IsNullOrWhiteSpace(value) ? DatabaseOptions.DefaultConnectionString : value;
    }
}
