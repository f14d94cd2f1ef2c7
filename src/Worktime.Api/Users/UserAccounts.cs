using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Worktime.Api.Audit;
using Worktime.Api.Auth;
using Worktime.Api.Cli;
using Worktime.Api.Data;

namespace Worktime.Api.Users;

/// <summary>
/// Every change to who may log in goes through here (CLI, first start, the forms API's user form), so the
/// side effects of security.md requirement 3 — revoke refresh families, invalidate bearer tokens, audit — cannot be forgotten.
/// </summary>
internal sealed class UserAccounts(
    Database database, PasswordHasher hasher, RefreshTokenStore refreshTokens, UserAccessCache accessCache,
    AuditLog audit, TimeProvider time)
{
    public const int MaxUsernameLength = 200;

    /// <summary>The login key: trimmed, Unicode NFC, lower-case (invariant). Throws ArgumentException on invalid UTF-16.</summary>
    public static string NormalizeUsername(string username) =>
        username.Trim().Normalize(NormalizationForm.FormC).ToLowerInvariant();

    public string HashPassword(string password) => hasher.Hash(password);

    public async Task<long> CreateAsync(long partnerId, string username, int level, string password, string? firstname = null,
        string? lastname = null, long? creatorId = null, CancellationToken ct = default)
    {
        var (display, normalized) = CheckUsername(username);
        if (level is < 1 or > 5)
        {
            throw new CliUserException("The user level must be between 1 and 5.");
        }
        CheckPassword(password);
        await using var connection = await database.OpenAsync(ct);
        if (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM partners WHERE id = @partnerId", new { partnerId }) == 0)
        {
            throw new CliUserException($"Partner {partnerId} does not exist.");
        }
        if (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM users WHERE username_norm = @normalized", new { normalized }) > 0)
        {
            throw DuplicateUsername();
        }
        var hash = hasher.Hash(password);
        long id;
        try
        {
            id = await connection.ExecuteScalarAsync<long>(
                """
                INSERT INTO users (partner_id, created, creator_id, firstname, lastname, username, username_norm, userlevel,
                                   status, password_hash, security_stamp)
                VALUES (@partnerId, @created, @creatorId, @firstname, @lastname, @display, @normalized, @level, 'active', @hash, @stamp)
                RETURNING id
                """,
                new { partnerId, created = Timestamp(), creatorId, firstname, lastname, display, normalized, level, hash, stamp = NewStamp() });
        }
        catch (DbException e) when (IsUniqueViolation(e))
        {
            throw DuplicateUsername(); // lost a race with a concurrent create
        }
        await audit.WriteAsync(AuditEvents.UserCreated, partnerId, id, normalized, detail: $"level={level}", ct: ct);
        return id;
    }

    public async Task SetPasswordAsync(long userId, string password, CancellationToken ct = default)
    {
        CheckPassword(password);
        var hash = hasher.Hash(password);
        var user = await UpdateAsync(userId, "password_hash = @hash", new { hash }, ct);
        await refreshTokens.RevokeUserFamiliesAsync(userId, "password_changed", ct);
        accessCache.Invalidate(userId);
        await audit.WriteAsync(AuditEvents.PasswordChanged, user.PartnerId, userId, user.Username, ct: ct);
    }

    public async Task DisableAsync(long userId, CancellationToken ct = default)
    {
        var user = await UpdateAsync(userId, "status = 'inactive'", null, ct);
        await refreshTokens.RevokeUserFamiliesAsync(userId, "user_disabled", ct);
        accessCache.Invalidate(userId);
        await audit.WriteAsync(AuditEvents.UserDisabled, user.PartnerId, userId, user.Username, ct: ct);
    }

    /// <summary>For the forms API after it removed a user row or set it inactive: no refresh or bearer token of it works any more.</summary>
    public async Task RevokeAccessAsync(long userId, CancellationToken ct = default)
    {
        var user = await UpdateAsync(userId, null, null, ct);
        await refreshTokens.RevokeUserFamiliesAsync(userId, "access_revoked", ct);
        accessCache.Invalidate(userId);
        await audit.WriteAsync(AuditEvents.AccessRevoked, user.PartnerId, userId, user.Username, ct: ct);
    }

    /// <summary>The id of a user by login name (CLI); throws a one-line CLI error when there is none.</summary>
    public async Task<long> IdOfAsync(string username, CancellationToken ct = default)
    {
        var (_, normalized) = CheckUsername(username);
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long?>("SELECT id FROM users WHERE username_norm = @normalized", new { normalized })
            ?? throw new CliUserException($"No user is called '{username.Trim()}'.");
    }

    /// <summary>
    /// Applies a change plus a new security stamp and a raised <c>security_version</c>, in one statement: every token
    /// minted before it (even in the same second) carries the old version and is refused (docs/auth.md).
    /// </summary>
    private async Task<(long PartnerId, string Username)> UpdateAsync(long userId, string? set, object? extra, CancellationToken ct)
    {
        var parameters = new DynamicParameters(extra);
        parameters.Add("userId", userId);
        parameters.Add("stamp", NewStamp());
        parameters.Add("now", time.GetUtcNow().ToUnixTimeSeconds());
        parameters.Add("modified", Timestamp());
        await using var connection = await database.OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<UpdatedRow>(
            $"""
            UPDATE users SET {(set is null ? "" : set + ", ")}security_stamp = @stamp, tokens_valid_after = @now,
                security_version = security_version + 1, modified = @modified
            WHERE id = @userId
            RETURNING partner_id AS PartnerId, username_norm AS Username
            """, parameters);
        return row is null ? throw new CliUserException($"User {userId} does not exist.") : (row.PartnerId, row.Username);
    }

    private static (string Display, string Normalized) CheckUsername(string username)
    {
        string display, normalized;
        try
        {
            display = username.Trim().Normalize(NormalizationForm.FormC);
            normalized = NormalizeUsername(username);
        }
        catch (ArgumentException)
        {
            throw new CliUserException("The username is not valid Unicode text.");
        }
        if (normalized.Length is 0 or > MaxUsernameLength || normalized.Any(char.IsControl))
        {
            throw new CliUserException($"The username must be 1 to {MaxUsernameLength} characters without control characters.");
        }
        return (display, normalized);
    }

    private static void CheckPassword(string password)
    {
        if (password.Length == 0 || Encoding.UTF8.GetByteCount(password) > PasswordHasher.MaxPasswordBytes)
        {
            throw new CliUserException($"The password must be 1 to {PasswordHasher.MaxPasswordBytes} bytes.");
        }
    }

    private static CliUserException DuplicateUsername() => new("A user with that username already exists.");

    private static bool IsUniqueViolation(DbException e) =>
        e is Npgsql.PostgresException { SqlState: "23505" } || e is Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 19 };

    private static string NewStamp() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private string Timestamp() => time.GetUtcNow().ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);

    private sealed record UpdatedRow(long PartnerId, string Username);
}
