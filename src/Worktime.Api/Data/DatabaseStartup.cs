using System.Data.Common;
using Microsoft.Extensions.Options;

namespace Worktime.Api.Data;

/// <summary>
/// Runs before the server takes requests: migrates (when <c>Database:AutoMigrate</c>; a newer database is refused
/// either way) and then each <see cref="IStartupStep"/> in registration order (signing key, first-start admin, ...).
/// A hosted service rather than code after <c>Build()</c>, so tests hosting the app get the same start.
/// On SQLite it keeps one connection open until the server stops: while any connection has a WAL database open,
/// SQLite refuses to leave WAL mode, which is how <c>worktime db restore</c> knows that a server holds the file.
/// </summary>
internal sealed class DatabaseStartup(
    Database database,
    Migrator migrator,
    IOptions<DatabaseOptions> options,
    IEnumerable<IStartupStep> steps) : IHostedService
{
    private DbConnection? _held;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.AutoMigrate)
        {
            await migrator.MigrateAsync(cancellationToken);
        }
        else
        {
            // Without migrating, a database of a newer version is still refused before the first request (docs/deploy.md, "Upgrades").
            await migrator.EnsureNotNewerAsync(cancellationToken);
        }
        if (database.Dialect == DbDialect.Sqlite)
        {
            _held = await database.OpenAsync(cancellationToken);
        }
        foreach (var step in steps)
        {
            await step.RunAsync(cancellationToken);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // A host may be stopped twice at once (a test host's dispose and the program's own shutdown): close it once.
        if (Interlocked.Exchange(ref _held, null) is { } held)
        {
            await held.DisposeAsync();
        }
    }
}

/// <summary>Something that must be true of the database before the first request (after migrations).</summary>
internal interface IStartupStep
{
    Task RunAsync(CancellationToken ct);
}
