using Dapper;
using Microsoft.Extensions.Options;
using Worktime.Api.Auth;
using Worktime.Api.Data;

namespace Worktime.Api.TwoFactor;

/// <summary>A person's authenticator app as stored: the secret (decrypted), whether it is on, the newest accepted step.</summary>
internal sealed record TotpFactor(long UserId, byte[] Secret, long CreatedAt, long? ConfirmedAt, long LastStep)
{
    public bool IsOn => ConfirmedAt is not null;
}

/// <summary>
/// The tables <c>totp_factors</c> and <c>recovery_codes</c> (migration 017). Every "use" is one compare-and-swap
/// UPDATE, so two nodes given the same code at once accept it once.
/// </summary>
internal sealed class SecondFactorStore(Database database, IOptions<AuthOptions> options, TimeProvider time)
{
    private const string PlainPrefix = "plain:";

    public async Task<TotpFactor?> FindTotpAsync(long userId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<TotpRow>(new CommandDefinition(
            """
            SELECT user_id AS UserId, secret AS Secret, created_at AS CreatedAt, confirmed_at AS ConfirmedAt, last_step AS LastStep
            FROM totp_factors WHERE user_id = @userId
            """, new { userId }, cancellationToken: ct));
        return row is null ? null : new TotpFactor(row.UserId, Unprotect(row.Secret, userId), row.CreatedAt, row.ConfirmedAt, row.LastStep);
    }

    /// <summary>Stores a new, unconfirmed secret (replacing an earlier unconfirmed one); false when an app is already on.</summary>
    public async Task<bool> StartTotpAsync(long userId, long partnerId, byte[] secret, CancellationToken ct)
    {
        await using var writer = await database.OpenWriterAsync(ct);
        var stored = await writer.Connection.ExecuteAsync(
            """
            INSERT INTO totp_factors (user_id, partner_id, secret, created_at, confirmed_at, last_step)
            VALUES (@userId, @partnerId, @secret, @now, NULL, 0)
            ON CONFLICT (user_id) DO UPDATE SET secret = excluded.secret, created_at = excluded.created_at, last_step = 0
            WHERE totp_factors.confirmed_at IS NULL
            """, new { userId, partnerId, secret = Protect(secret, userId), now = Now() }, writer.Transaction);
        await writer.CommitAsync(ct);
        return stored > 0;
    }

    /// <summary>
    /// Turns the app on with the step of its first code, replaces the recovery codes, and raises the person's
    /// <c>security_version</c> (every token and session from before stops: docs/auth.md) — one transaction.
    /// False when the set-up was not pending any more or the step was used.
    /// </summary>
    public async Task<bool> ConfirmTotpAsync(long userId, long step, IReadOnlyList<string> recoveryHashes, CancellationToken ct)
    {
        var now = Now();
        await using var writer = await database.OpenWriterAsync(ct);
        var confirmed = await writer.Connection.ExecuteAsync(
            "UPDATE totp_factors SET confirmed_at = @now, last_step = @step WHERE user_id = @userId AND confirmed_at IS NULL AND last_step < @step",
            new { userId, step, now }, writer.Transaction);
        if (confirmed == 0)
        {
            return false;
        }
        await ReplaceRecoveryCodesAsync(writer, userId, recoveryHashes, now);
        await writer.Connection.ExecuteAsync("UPDATE users SET security_version = security_version + 1 WHERE id = @userId",
            new { userId }, writer.Transaction);
        await writer.CommitAsync(ct);
        return true;
    }

    /// <summary>Spends a time step of a confirmed app: true only if it is newer than every step accepted before (RFC 6238 section 5.2).</summary>
    public async Task<bool> UseStepAsync(long userId, long step, CancellationToken ct)
    {
        await using var writer = await database.OpenWriterAsync(ct);
        var used = await writer.Connection.ExecuteAsync(
            "UPDATE totp_factors SET last_step = @step WHERE user_id = @userId AND confirmed_at IS NOT NULL AND last_step < @step",
            new { userId, step }, writer.Transaction);
        await writer.CommitAsync(ct);
        return used > 0;
    }

    /// <summary>Spends a recovery code: true once, for an unused code of the person.</summary>
    public async Task<bool> UseRecoveryCodeAsync(long userId, string codeHash, CancellationToken ct)
    {
        await using var writer = await database.OpenWriterAsync(ct);
        var used = await writer.Connection.ExecuteAsync(
            "UPDATE recovery_codes SET used_at = @now WHERE user_id = @userId AND code_hash = @codeHash AND used_at IS NULL",
            new { userId, codeHash, now = Now() }, writer.Transaction);
        await writer.CommitAsync(ct);
        return used > 0;
    }

    /// <summary>Whether the person has a confirmed second factor (the policy's check on every page: one primary-key read).</summary>
    public async Task<bool> HasFactorAsync(long userId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            SELECT (SELECT COUNT(*) FROM totp_factors WHERE user_id = @userId AND confirmed_at IS NOT NULL)
                 + (SELECT COUNT(*) FROM passkeys WHERE user_id = @userId)
            """, new { userId }, cancellationToken: ct)) > 0;
    }

    /// <summary>Ten new recovery codes for a person whose first factor is a passkey (the old ones, all used, go).</summary>
    public async Task ReplaceRecoveryCodesAsync(long userId, IReadOnlyList<string> hashes, CancellationToken ct)
    {
        await using var writer = await database.OpenWriterAsync(ct);
        await ReplaceRecoveryCodesAsync(writer, userId, hashes, Now());
        await writer.CommitAsync(ct);
    }

    public async Task<long> RecoveryCodesLeftAsync(long userId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM recovery_codes WHERE user_id = @userId AND used_at IS NULL", new { userId }, cancellationToken: ct));
    }

    /// <summary>
    /// Deletes the person's app (on or pending) and, unless <paramref name="keepRecoveryCodes"/> (passkeys remain, whose
    /// loss the codes still cover), the recovery codes; true when an app was on.
    /// </summary>
    public async Task<bool> RemoveAllAsync(long userId, bool keepRecoveryCodes, CancellationToken ct)
    {
        await using var writer = await database.OpenWriterAsync(ct);
        var wasOn = await writer.Connection.ExecuteAsync(
            "DELETE FROM totp_factors WHERE user_id = @userId AND confirmed_at IS NOT NULL", new { userId }, writer.Transaction) > 0;
        await writer.Connection.ExecuteAsync("DELETE FROM totp_factors WHERE user_id = @userId", new { userId }, writer.Transaction);
        if (!keepRecoveryCodes)
        {
            await writer.Connection.ExecuteAsync("DELETE FROM recovery_codes WHERE user_id = @userId", new { userId }, writer.Transaction);
        }
        await writer.CommitAsync(ct);
        return wasOn;
    }

    private static async Task ReplaceRecoveryCodesAsync(WriterLease writer, long userId, IReadOnlyList<string> hashes, long now)
    {
        await writer.Connection.ExecuteAsync("DELETE FROM recovery_codes WHERE user_id = @userId", new { userId }, writer.Transaction);
        foreach (var codeHash in hashes)
        {
            await writer.Connection.ExecuteAsync(
                "INSERT INTO recovery_codes (user_id, code_hash, created_at, used_at) VALUES (@userId, @codeHash, @now, NULL)",
                new { userId, codeHash, now }, writer.Transaction);
        }
    }

    /// <summary>
    /// With <c>Auth:KeyEncryptionKey</c>: AES-256-GCM bound to the person (a secret moved to another row does not
    /// decrypt), as the signing keys are stored. Without it: base32 in the clear, and the database is what protects it.
    /// </summary>
    private string Protect(byte[] secret, long userId) =>
        EncryptionKey() is { } key ? KeyEncryption.Protect(secret, key, Binding(userId)) : PlainPrefix + AuthenticatorCodes.Base32(secret);

    private byte[] Unprotect(string stored, long userId)
    {
        if (stored.StartsWith(PlainPrefix, StringComparison.Ordinal))
        {
            return OtpNet.Base32Encoding.ToBytes(stored[PlainPrefix.Length..]);
        }
        if (EncryptionKey() is not { } key)
        {
            throw new InvalidOperationException(
                "An authenticator secret is stored encrypted; set Auth:KeyEncryptionKey to the key it was stored with.");
        }
        return KeyEncryption.Unprotect(stored, key, Binding(userId));
    }

    private static string Binding(long userId) => "totp:" + userId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private byte[]? EncryptionKey() =>
        options.Value.KeyEncryptionKey is { } text && KeyEncryption.TryParseKey(text, out var key) ? key : null;

    private long Now() => time.GetUtcNow().ToUnixTimeSeconds();

    private sealed record TotpRow(long UserId, string Secret, long CreatedAt, long? ConfirmedAt, long LastStep);
}
