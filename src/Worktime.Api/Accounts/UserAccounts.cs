using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using Dapper;
using Worktime.Api.Data;
using Worktime.Api.Http;

namespace Worktime.Api.Accounts;

/// <summary>What the users form changed in one user's credentials or access, for <see cref="UserAccounts.CredentialColumns"/>.</summary>
internal sealed record CredentialChange(bool Created, Username? NewName, string? PasswordHash, bool AccessLost);

/// <summary>
/// Every change to who may log in goes through here (CLI, first start, the users form), so the side effects of
/// docs/security.md, requirement 3 — a new security stamp, tokens issued before now void, refresh families revoked,
/// audit — cannot be forgotten. Errors are returned as <see cref="ApiError"/> values.
/// </summary>
internal sealed class UserAccounts(Database database, PasswordHasher hasher, IUserSessions sessions, AuditLog audit, TimeProvider time)
{
    /// <summary>The version of the username rules a row's <c>username_norm</c> was made with (migration 006).</summary>
    public const int UsernameRulesVersion = 1;

    /// <summary>Hashes in one of the bounded hashing slots that logins use too (docs/auth.md).</summary>
    public async Task<Outcome<string>> HashPasswordAsync(string password, CancellationToken ct)
    {
        if (Credentials.CheckPassword(password) is { } invalid)
        {
            return invalid;
        }
        var (ran, hash) = await hasher.RunGatedAsync(() => hasher.Hash(password), ct);
        return ran ? hash : Busy();
    }

    /// <summary>True when <paramref name="password"/> is the user's current one (one hashing slot; unknown users cost the same).</summary>
    public async Task<Outcome<bool>> VerifyPasswordAsync(long userId, string password, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var hash = await connection.ExecuteScalarAsync<string?>("SELECT password_hash FROM users WHERE id = @userId", new { userId });
        var (ran, valid) = await hasher.RunGatedAsync(() => hasher.Verify(hash ?? hasher.DummyHash, password) && hash is not null, ct);
        return ran ? valid : Busy();
    }

    public async Task<Outcome<long>> CreateAsync(long partnerId, string username, int level, string password, string? firstname = null,
        string? lastname = null, long? creatorId = null, CancellationToken ct = default)
    {
        var name = Credentials.ParseUsername(username);
        if ((name.Error ?? Credentials.CheckLevel(level) ?? Credentials.CheckPassword(password)) is { } invalid)
        {
            return invalid;
        }
        await using (var connection = await database.OpenAsync(ct))
        {
            if (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM partners WHERE id = @partnerId", new { partnerId }) == 0)
            {
                return ApiError.Missing("partner", string.Create(CultureInfo.InvariantCulture, $"Partner {partnerId} does not exist."));
            }
            if (await IsTakenAsync(connection, null, name.Value.Key, 0))
            {
                return DuplicateUsername();
            }
        }
        var hash = await HashPasswordAsync(password, ct); // outside any connection: hashing takes a slot, not a pooled connection
        if (hash.Error is { } busy)
        {
            return busy;
        }
        var columns = CredentialColumns(new CredentialChange(true, name.Value, hash.Value, false));
        long id;
        try
        {
            await using var connection = await database.OpenAsync(ct);
            await using var transaction = await connection.BeginWriteAsync(ct);
            id = await RowIds.NextAsync(connection, transaction); // users share the one id space of form rows (docs/forms.md)
            await connection.ExecuteAsync(
                """
                INSERT INTO users (id, partner_id, created, creator_id, firstname, lastname, username, username_norm, username_rules,
                                   userlevel, status, password_hash, security_stamp, tokens_valid_after)
                VALUES (@id, @partnerId, @created, @creatorId, @firstname, @lastname, @display, @username_norm, @username_rules,
                        @level, 'active', @password_hash, @security_stamp, @tokens_valid_after)
                """,
                new DynamicParameters(columns).With(new
                {
                    id, partnerId, created = Timestamp(), creatorId, firstname, lastname, display = name.Value.Display, level,
                }),
                transaction);
            await transaction.CommitAsync(ct);
        }
        catch (DbException e) when (DbWrites.IsUniqueViolation(e))
        {
            return DuplicateUsername(); // lost a race with a concurrent create
        }
        await audit.WriteAsync(AuditEvents.UserCreated, partnerId, id, name.Value.Key, detail: string.Create(CultureInfo.InvariantCulture, $"level={level}"), ct: ct);
        return id;
    }

    public async Task<ApiError?> SetPasswordAsync(long userId, string password, CancellationToken ct = default)
    {
        var hash = await HashPasswordAsync(password, ct);
        if (hash.Error is { } error)
        {
            return error;
        }
        return await ChangeAsync(userId, new CredentialChange(false, null, hash.Value, false), AuditEvents.PasswordChanged, "password_changed", ct);
    }

    public Task<ApiError?> DisableAsync(long userId, CancellationToken ct = default) =>
        ChangeAsync(userId, new CredentialChange(false, null, null, true), AuditEvents.UserDisabled, "user_disabled", ct, "status = 'inactive'");

    /// <summary>The id of a user by login name (CLI).</summary>
    public async Task<Outcome<long>> FindIdAsync(string username, CancellationToken ct = default)
    {
        if (Credentials.KeyOf(username) is not { } key)
        {
            return NoSuchUser(username.Trim());
        }
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long?>("SELECT id FROM users WHERE username_norm = @key", new { key }) is { } id
            ? id
            : NoSuchUser(username.Trim());
    }

    /// <summary>True when another user (any partner: /login has no partner field) already has this comparison key.</summary>
    public static async Task<bool> IsTakenAsync(DbConnection connection, DbTransaction? transaction, string key, long exceptId) =>
        await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM users WHERE username_norm = @key AND id <> @exceptId", new { key, exceptId }, transaction) > 0;

    /// <summary>
    /// The credential columns of a users row, written in the same statement as the row itself (the users form's
    /// insert or update, the CLI's insert): the comparison key, the hash, a new security stamp, and — when the
    /// password changed or access was lost — "tokens issued before now are void".
    /// </summary>
    public Dictionary<string, object?> CredentialColumns(CredentialChange change)
    {
        var columns = new Dictionary<string, object?>();
        if (change.NewName is { } name)
        {
            columns["username_norm"] = name.Key;
            columns["username_rules"] = UsernameRulesVersion;
        }
        if (change.Created || change.PasswordHash is not null)
        {
            columns["password_hash"] = change.PasswordHash;
        }
        if (change.Created || change.PasswordHash is not null || change.AccessLost)
        {
            columns["security_stamp"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            columns["tokens_valid_after"] = change.Created ? 0L : time.GetUtcNow().ToUnixTimeSeconds();
        }
        if (!change.Created && (change.PasswordHash is not null || change.AccessLost))
        {
            // Every token minted before this statement, even in the same second, carries the old version (docs/auth.md).
            columns["security_version"] = ColumnIncrement.One;
        }
        return columns;
    }

    /// <summary>
    /// After the users form committed: end the user's sessions when its password changed or access was lost, let it
    /// in at once when restored, and audit. <paramref name="by"/> is the user who made the change.
    /// </summary>
    public async Task AfterFormWriteAsync(long partnerId, long userId, string usernameKey, long level, long by, CredentialChange change,
        bool accessRestored, CancellationToken ct)
    {
        if (change.Created)
        {
            await audit.WriteAsync(AuditEvents.UserCreated, partnerId, userId, usernameKey,
                detail: string.Create(CultureInfo.InvariantCulture, $"level={level} by={by}"), ct: ct);
            return;
        }
        if (change.PasswordHash is not null)
        {
            await sessions.EndAllAsync(userId, "password_changed", ct);
            await audit.WriteAsync(AuditEvents.PasswordChanged, partnerId, userId, usernameKey, detail: string.Create(CultureInfo.InvariantCulture, $"by={by}"), ct: ct);
        }
        if (change.AccessLost)
        {
            // A token carries the userlevel, and access must end now: every token of the user stops working.
            await sessions.EndAllAsync(userId, "access_revoked", ct);
            await audit.WriteAsync(AuditEvents.AccessRevoked, partnerId, userId, usernameKey, detail: string.Create(CultureInfo.InvariantCulture, $"by={by}"), ct: ct);
        }
        else if (accessRestored)
        {
            sessions.Forget(userId);
        }
    }

    /// <summary>One UPDATE of a user's credential columns (plus <paramref name="set"/>), then sessions and audit.</summary>
    private async Task<ApiError?> ChangeAsync(long userId, CredentialChange change, string auditEvent, string reason,
        CancellationToken ct, string? set = null)
    {
        var columns = CredentialColumns(change);
        var parameters = new DynamicParameters(columns.Where(c => c.Value is not ColumnIncrement).ToDictionary())
            .With(new { userId, modified = Timestamp() });
        var assignments = string.Join(", ", columns.Select(c => ColumnIncrement.Assignment(c.Key, c.Value, _ => "@" + c.Key))
            .Append("modified = @modified").Concat(set is null ? [] : [set]));
        UpdatedRow? row;
        await using (var connection = await database.OpenAsync(ct))
        {
            row = await connection.QuerySingleOrDefaultAsync<UpdatedRow>(
                $"UPDATE users SET {assignments} WHERE id = @userId RETURNING partner_id AS PartnerId, username_norm AS Username", parameters);
        }
        if (row is null)
        {
            return ApiError.Missing("user", string.Create(CultureInfo.InvariantCulture, $"User {userId} does not exist."));
        }
        await sessions.EndAllAsync(userId, reason, ct);
        await audit.WriteAsync(auditEvent, row.PartnerId, userId, row.Username, ct: ct);
        return null;
    }

    private static ApiError DuplicateUsername() => ApiError.Invalid("username", "A user with that username already exists.");

    /// <summary>All hashing slots stayed busy: 429 <c>temporarily_unavailable</c> with <c>Retry-After: 1</c>, as a busy login answers (never a 5xx, docs/security.md).</summary>
    internal static ApiError Busy() => ApiError.Busy("All password hashing slots are busy; try again shortly.");

    private static ApiError NoSuchUser(string what) => ApiError.Missing("username", $"No user is called '{what}'.");

    private string Timestamp() => time.GetUtcNow().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private sealed record UpdatedRow(long PartnerId, string Username);
}

internal static class DynamicParametersExtensions
{
    /// <summary>Adds the properties of <paramref name="values"/> to the parameters.</summary>
    public static DynamicParameters With(this DynamicParameters parameters, object values)
    {
        parameters.AddDynamicParams(values);
        return parameters;
    }
}
