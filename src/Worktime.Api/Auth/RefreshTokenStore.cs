using Dapper;
using Microsoft.Extensions.Options;
using Worktime.Api.Data;

namespace Worktime.Api.Auth;

/// <summary>What presenting a refresh token led to.</summary>
internal abstract record RotationOutcome
{
    /// <summary>Rotated now: the caller's successor was stored and is the family's newest token.</summary>
    public sealed record Rotated : RotationOutcome;

    /// <summary>A retry inside the grace window: return this earlier successor again (re-signed, byte-identical).</summary>
    public sealed record Repeated(string Payload, string Kid) : RotationOutcome;

    /// <summary>Replayed after the window (or after its successor moved on): the family is now revoked.</summary>
    public sealed record ReuseDetected(string FamilyId) : RotationOutcome;

    /// <summary>Unknown, expired, or in a revoked family.</summary>
    public sealed record Rejected : RotationOutcome;
}

/// <summary>
/// Server-side refresh-token state (docs/security.md, requirement 3). Rotation is ONE compare-and-swap UPDATE
/// (<c>used_at IS NULL</c> in its WHERE) in the same transaction as the successor's INSERT: of N concurrent
/// presenters exactly one wins; the rest see the winner's committed row and take the grace path.
/// Revocation is a flag on the family, checked on every use, so a successor inserted while a logout
/// commits is dead too.
/// </summary>
internal sealed class RefreshTokenStore(Database database, IOptions<AuthOptions> options, TimeProvider time)
{
    private long Now => time.GetUtcNow().ToUnixTimeSeconds();

    /// <summary>
    /// Starts a family with its first token. <paramref name="alongside"/> runs in the same transaction with the family's
    /// id and may veto it (false: nothing is written, the answer is false).
    /// </summary>
    public async Task<bool> StartFamilyAsync(long userId, string clientId, IssuedRefresh first,
        Func<WriterLease, string, Task<bool>>? alongside, CancellationToken ct)
    {
        var familyId = Guid.NewGuid().ToString("N");
        await using var writer = await database.OpenWriterAsync(ct);
        var (connection, tx) = (writer.Connection, writer.Transaction);
        await connection.ExecuteAsync(
            "INSERT INTO refresh_families (id, user_id, client_id, created_at) VALUES (@familyId, @userId, @clientId, @now)",
            new { familyId, userId, clientId, now = Now }, tx);
        await InsertTokenAsync(connection, tx, familyId, 0, first);
        if (alongside is not null && !await alongside(writer, familyId))
        {
            return false; // disposing the lease rolls the family back
        }
        await writer.CommitAsync(ct);
        return true;
    }

    public async Task<RotationOutcome> RotateAsync(string jti, IssuedRefresh successor, CancellationToken ct)
    {
        var hash = TokenFactory.HashJti(jti);
        var now = Now;
        await using var writer = await database.OpenWriterAsync(ct);
        var (connection, tx) = (writer.Connection, writer.Transaction);
        var won = await connection.QuerySingleOrDefaultAsync<WonRow>(
            """
            UPDATE refresh_tokens
            SET used_at = @now, successor_hash = @successorHash, successor_kid = @kid, successor_payload = @payload
            WHERE id_hash = @hash AND used_at IS NULL AND expires_at > @now
              AND EXISTS (SELECT 1 FROM refresh_families f WHERE f.id = refresh_tokens.family_id AND f.revoked_at IS NULL)
            RETURNING family_id AS FamilyId, generation AS Generation
            """,
            new { now, hash, successorHash = TokenFactory.HashJti(successor.Jti), kid = successor.Kid, payload = successor.Payload }, tx);
        RotationOutcome outcome;
        if (won is not null)
        {
            await InsertTokenAsync(connection, tx, won.FamilyId, won.Generation + 1, successor);
            outcome = new RotationOutcome.Rotated();
        }
        else
        {
            outcome = await InspectLoserAsync(connection, tx, hash, now); // the UPDATE changed nothing
        }
        await writer.CommitAsync(ct);
        return outcome;
    }

    private async Task<RotationOutcome> InspectLoserAsync(
        System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction tx, string hash, long now)
    {
        var row = await connection.QuerySingleOrDefaultAsync<LoserRow>(
            """
            SELECT t.family_id AS FamilyId, t.expires_at AS ExpiresAt, t.used_at AS UsedAt, t.successor_kid AS SuccessorKid,
                   t.successor_payload AS SuccessorPayload, f.revoked_at AS RevokedAt,
                   (SELECT s.used_at FROM refresh_tokens s WHERE s.id_hash = t.successor_hash) AS SuccessorUsedAt
            FROM refresh_tokens t JOIN refresh_families f ON f.id = t.family_id
            WHERE t.id_hash = @hash
            """, new { hash }, tx);
        if (row is null || row.RevokedAt is not null || row.UsedAt is null || row.ExpiresAt <= now)
        {
            return new RotationOutcome.Rejected();
        }
        var grace = (long)options.Value.RefreshGracePeriod.TotalSeconds;
        if (now - row.UsedAt <= grace && row.SuccessorUsedAt is null && row.SuccessorPayload is not null && row.SuccessorKid is not null)
        {
            return new RotationOutcome.Repeated(row.SuccessorPayload, row.SuccessorKid);
        }
        await RevokeFamilyAsync(connection, tx, row.FamilyId, "reuse");
        return new RotationOutcome.ReuseDetected(row.FamilyId);
    }

    /// <summary>Revokes the family of a token (logout). Returns the family id, or null for an unknown token.</summary>
    public async Task<string?> RevokeFamilyOfAsync(string jti, string reason, CancellationToken ct)
    {
        await using var writer = await database.OpenWriterAsync(ct);
        var (connection, tx) = (writer.Connection, writer.Transaction);
        var familyId = await connection.ExecuteScalarAsync<string?>(
            "SELECT family_id FROM refresh_tokens WHERE id_hash = @hash", new { hash = TokenFactory.HashJti(jti) }, tx);
        var revoked = familyId is not null && await RevokeFamilyAsync(connection, tx, familyId, reason);
        await writer.CommitAsync(ct);
        return revoked ? familyId : null;
    }

    /// <summary>Revokes every live family of a user (password change, disable, removal); returns how many.</summary>
    public async Task<int> RevokeUserFamiliesAsync(long userId, string reason, CancellationToken ct)
    {
        await using var writer = await database.OpenWriterAsync(ct);
        var revoked = await writer.Connection.ExecuteAsync(
            "UPDATE refresh_families SET revoked_at = @now, revoked_reason = @reason WHERE user_id = @userId AND revoked_at IS NULL",
            new { now = Now, reason, userId }, writer.Transaction);
        await writer.CommitAsync(ct);
        return revoked;
    }

    /// <summary>Revokes every live family of one user and client (a withdrawn consent); returns how many.</summary>
    public async Task<int> RevokeUserClientFamiliesAsync(long userId, string clientId, string reason, CancellationToken ct)
    {
        await using var writer = await database.OpenWriterAsync(ct);
        var revoked = await writer.Connection.ExecuteAsync(
            """
            UPDATE refresh_families SET revoked_at = @now, revoked_reason = @reason
            WHERE user_id = @userId AND client_id = @clientId AND revoked_at IS NULL
            """, new { now = Now, reason, userId, clientId }, writer.Transaction);
        await writer.CommitAsync(ct);
        return revoked;
    }

    /// <summary>Revokes every live family of a client (the client was removed); returns how many.</summary>
    public async Task<int> RevokeClientFamiliesAsync(WriterLease writer, string clientId, string reason) =>
        await writer.Connection.ExecuteAsync(
            "UPDATE refresh_families SET revoked_at = @now, revoked_reason = @reason WHERE client_id = @clientId AND revoked_at IS NULL",
            new { now = Now, reason, clientId }, writer.Transaction);

    /// <summary>Revokes one family inside the caller's transaction (a reused authorization or device code); true if it was live.</summary>
    public async Task<bool> RevokeFamilyAsync(WriterLease writer, string familyId, string reason) =>
        await RevokeFamilyAsync(writer.Connection, writer.Transaction, familyId, reason);

    /// <summary>The registered clients with a live family of this user (the apps that can still refresh their tokens).</summary>
    public async Task<IReadOnlyList<string>> LiveClientsOfAsync(long userId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var clients = await connection.QueryAsync<string>(new CommandDefinition(
            """
            SELECT DISTINCT f.client_id FROM refresh_families f
            WHERE f.user_id = @userId AND f.revoked_at IS NULL
              AND EXISTS (SELECT 1 FROM refresh_tokens t WHERE t.family_id = f.id AND t.used_at IS NULL AND t.expires_at > @now)
            """, new { userId, now = Now }, cancellationToken: ct));
        return clients.ToList();
    }

    /// <summary>Deletes expired tokens and the families left empty (housekeeping); returns the tokens deleted.</summary>
    public async Task<int> PurgeExpiredAsync(CancellationToken ct)
    {
        await using var writer = await database.OpenWriterAsync(ct);
        var (connection, tx) = (writer.Connection, writer.Transaction);
        var deleted = await connection.ExecuteAsync("DELETE FROM refresh_tokens WHERE expires_at < @now", new { now = Now }, tx);
        await connection.ExecuteAsync(
            "DELETE FROM refresh_families WHERE NOT EXISTS (SELECT 1 FROM refresh_tokens t WHERE t.family_id = refresh_families.id)",
            transaction: tx);
        await writer.CommitAsync(ct);
        return deleted;
    }

    private async Task<bool> RevokeFamilyAsync(
        System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction tx, string familyId, string reason) =>
        await connection.ExecuteAsync(
            "UPDATE refresh_families SET revoked_at = @now, revoked_reason = @reason WHERE id = @familyId AND revoked_at IS NULL",
            new { now = Now, reason, familyId }, tx) > 0;

    private static async Task InsertTokenAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction tx,
        string familyId, long generation, IssuedRefresh token) =>
        await connection.ExecuteAsync(
            """
            INSERT INTO refresh_tokens (id_hash, family_id, generation, issued_at, expires_at)
            VALUES (@hash, @familyId, @generation, @issuedAt, @expiresAt)
            """,
            new { hash = TokenFactory.HashJti(token.Jti), familyId, generation, issuedAt = token.IssuedAt, expiresAt = token.ExpiresAt }, tx);

    private sealed record WonRow(string FamilyId, long Generation);

    private sealed record LoserRow(string FamilyId, long ExpiresAt, long? UsedAt, string? SuccessorKid, string? SuccessorPayload,
        long? RevokedAt, long? SuccessorUsedAt);
}
