using Microsoft.Extensions.Options;

namespace Worktime.Api.Data;

internal static class DatabaseRegistration
{
    public static WebApplicationBuilder AddWorktimeDatabase(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<DatabaseOptions>()
            .Bind(builder.Configuration.GetSection("Database"))
            .Validate(o => o.MaxPoolSize is > 0 and <= 1000, "Database:MaxPoolSize must be between 1 and 1000.")
            .ValidateOnStart();
        builder.Services.AddSingleton(services =>
        {
            var connectionString = ConnectionString(services.GetRequiredService<IConfiguration>());
            return new Database(connectionString, services.GetRequiredService<IOptions<DatabaseOptions>>().Value.MaxPoolSize);
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
