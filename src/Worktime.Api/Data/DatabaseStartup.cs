using Microsoft.Extensions.Options;

namespace Worktime.Api.Data;

/// <summary>
/// Runs before the server takes requests: migrates (when <c>Database:AutoMigrate</c>) and then each
/// <see cref="IStartupStep"/> in registration order (signing key, first-start admin, ...).
/// A hosted service rather than code after <c>Build()</c>, so tests hosting the app get the same start.
/// </summary>
internal sealed class DatabaseStartup(
    Migrator migrator,
    IOptions<DatabaseOptions> options,
    IEnumerable<IStartupStep> steps) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.AutoMigrate)
        {
            await migrator.MigrateAsync(cancellationToken);
        }
        foreach (var step in steps)
        {
            await step.RunAsync(cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>Something that must be true of the database before the first request (after migrations).</summary>
internal interface IStartupStep
{
    Task RunAsync(CancellationToken ct);
}
