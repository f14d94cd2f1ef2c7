using Dapper;
using Worktime.Api.Data;

namespace Worktime.Api.TwoFactor;

/// <summary>A registered passkey as stored (docs/auth.md, "Passkeys").</summary>
internal sealed record StoredPasskey(string CredentialId, long UserId, long PartnerId, string Name, string PublicKey, long SignCount,
    long CreatedAt, long? LastUsedAt);

/// <summary>
/// The tables <c>passkeys</c> and <c>passkey_ceremonies</c> (migration 019). A ceremony is taken once (DELETE ... RETURNING),
/// so an answer replayed to this node or another finds nothing; a signature counter moves only forwards.
/// </summary>
internal sealed class PasskeyStore(Database database, TimeProvider time)
{
    private const string Columns =
        "credential_id AS CredentialId, user_id AS UserId, partner_id AS PartnerId, name AS Name, public_key AS PublicKey, " +
        "sign_count AS SignCount, created_at AS CreatedAt, last_used_at AS LastUsedAt";

    public async Task<IReadOnlyList<StoredPasskey>> ListAsync(long userId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<StoredPasskey>(new CommandDefinition(
            $"SELECT {Columns} FROM passkeys WHERE user_id = @userId ORDER BY created_at, credential_id", new { userId }, cancellationToken: ct))).ToList();
    }

    public async Task<StoredPasskey?> FindAsync(string credentialId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<StoredPasskey>(new CommandDefinition(
            $"SELECT {Columns} FROM passkeys WHERE credential_id = @credentialId", new { credentialId }, cancellationToken: ct));
    }

    /// <summary>Stores a new passkey and raises the person's <c>security_version</c> (a new factor ends older tokens and sessions).</summary>
    public async Task<bool> AddAsync(StoredPasskey passkey, CancellationToken ct)
    {
        await using var writer = await database.OpenWriterAsync(ct);
        var added = await writer.Connection.ExecuteAsync(
            """
            INSERT INTO passkeys (credential_id, user_id, partner_id, name, public_key, sign_count, created_at, last_used_at)
            VALUES (@CredentialId, @UserId, @PartnerId, @Name, @PublicKey, @SignCount, @CreatedAt, NULL)
            ON CONFLICT (credential_id) DO NOTHING
            """, passkey, writer.Transaction);
        if (added == 0)
        {
            return false;
        }
        await writer.Connection.ExecuteAsync("UPDATE users SET security_version = security_version + 1 WHERE id = @UserId", passkey, writer.Transaction);
        await writer.CommitAsync(ct);
        return true;
    }

    /// <summary>Records a use: the counter only moves forwards (0 stays 0 for authenticators without one), compare-and-swap.</summary>
    public async Task<bool> UseAsync(string credentialId, long seenCount, long newCount, CancellationToken ct)
    {
        await using var writer = await database.OpenWriterAsync(ct);
        var used = await writer.Connection.ExecuteAsync(
            "UPDATE passkeys SET sign_count = @newCount, last_used_at = @now WHERE credential_id = @credentialId AND sign_count = @seenCount",
            new { credentialId, seenCount, newCount, now = time.GetUtcNow().ToUnixTimeSeconds() }, writer.Transaction);
        await writer.CommitAsync(ct);
        return used > 0;
    }

    public async Task<StoredPasskey?> RemoveAsync(long userId, string credentialId, CancellationToken ct)
    {
        await using var writer = await database.OpenWriterAsync(ct);
        var removed = await writer.Connection.QuerySingleOrDefaultAsync<StoredPasskey>(
            $"DELETE FROM passkeys WHERE user_id = @userId AND credential_id = @credentialId RETURNING {Columns}",
            new { userId, credentialId }, writer.Transaction);
        await writer.CommitAsync(ct);
        return removed;
    }

    public async Task<int> RemoveAllAsync(long userId, CancellationToken ct)
    {
        await using var writer = await database.OpenWriterAsync(ct);
        var removed = await writer.Connection.ExecuteAsync("DELETE FROM passkeys WHERE user_id = @userId", new { userId }, writer.Transaction);
        await writer.CommitAsync(ct);
        return removed;
    }

    /// <summary>Keeps the options of a ceremony (and drops expired ones on the way, so the table stays small).</summary>
    public async Task StartCeremonyAsync(string id, string kind, long? userId, string options, TimeSpan lifetime, CancellationToken ct)
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        await using var writer = await database.OpenWriterAsync(ct);
        await writer.Connection.ExecuteAsync("DELETE FROM passkey_ceremonies WHERE expires_at < @now", new { now }, writer.Transaction);
        await writer.Connection.ExecuteAsync(
            "INSERT INTO passkey_ceremonies (id, kind, user_id, options, expires_at) VALUES (@id, @kind, @userId, @options, @expires)",
            new { id, kind, userId, options, expires = now + (long)lifetime.TotalSeconds }, writer.Transaction);
        await writer.CommitAsync(ct);
    }

    /// <summary>Takes a ceremony once: its options, or null when it is unknown, used, expired, of another kind or person.</summary>
    public async Task<string?> TakeCeremonyAsync(string id, string kind, long? userId, CancellationToken ct)
    {
        await using var writer = await database.OpenWriterAsync(ct);
        var row = await writer.Connection.QuerySingleOrDefaultAsync<CeremonyRow>(
            "DELETE FROM passkey_ceremonies WHERE id = @id RETURNING kind AS Kind, user_id AS UserId, options AS Options, expires_at AS ExpiresAt",
            new { id }, writer.Transaction);
        await writer.CommitAsync(ct);
        return row is not null && row.Kind == kind && row.UserId == userId && row.ExpiresAt >= time.GetUtcNow().ToUnixTimeSeconds()
            ? row.Options
            : null;
    }

    private sealed record CeremonyRow(string Kind, long? UserId, string Options, long ExpiresAt);
}
