using Dapper;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Worktime.Api.Data;

namespace Worktime.Api.WebApp.Protection;

/// <summary>
/// Before the first request: make sure the shared key ring has a key valid now, created by exactly one node. Two
/// nodes starting together on an empty database would otherwise each create their own first key and, until their
/// daily refresh, refuse each other's forms. On PostgreSQL a transaction-level advisory lock makes the check-and-create one step
/// across nodes; SQLite has one writer per file, and a second process on the same file waits for the first.
/// </summary>
internal sealed class DataProtectionKeyStartup(IKeyManager keys, Database database, TimeProvider time) : IStartupStep
{
    private const long LockId = 0x776f726b_74696d65; // "worktime"

    public async Task RunAsync(CancellationToken ct)
    {
        if (database.Dialect != DbDialect.Postgres)
        {
            EnsureKey();
            return;
        }
        // A transaction-level lock, released by the commit: a session lock would outlive its transaction on a
        // pooler's server connection (PgBouncer in transaction mode, docs/deploy.md) and its unlock could reach another.
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(@LockId)", new { LockId }, transaction, cancellationToken: ct));
        EnsureKey();
        await transaction.CommitAsync(ct);
    }

    private void EnsureKey()
    {
        var now = time.GetUtcNow();
        if (!keys.GetAllKeys().Any(k => !k.IsRevoked && k.ActivationDate <= now && k.ExpirationDate > now.AddDays(2)))
        {
            keys.CreateNewKey(now, now.AddDays(90));
        }
    }
}
