using Dapper;
using Worktime.Api.Data;

namespace Worktime.Api.Accounts;

/// <summary>The events of docs/security.md, requirement 9 (and a few more an operator asks about).</summary>
internal static class AuditEvents
{
    public const string LoginSucceeded = "login_succeeded";
    public const string LoginFailed = "login_failed";
    public const string LoginThrottled = "login_throttled";
    public const string RefreshReuseDetected = "refresh_reuse_detected";
    public const string FamilyRevoked = "family_revoked";
    public const string KeyRotated = "key_rotated";
    public const string KeyCreated = "key_created";
    public const string PasswordChanged = "password_changed";
    public const string UserCreated = "user_created";
    public const string UserDisabled = "user_disabled";
    public const string AccessRevoked = "access_revoked";
    public const string UsernameConflict = "username_conflict";
    public const string SaldoCorrection = "saldo_correction";
    public const string BalanceInput = "balance_input";
    public const string PeriodLock = "period_lock";
    public const string AbsenceApproval = "absence_approval";
    public const string UserErased = "user_erased";
    public const string ClientRegistered = "client_registered";
    public const string ClientRemoved = "client_removed";
    public const string ConsentGranted = "consent_granted";
    public const string ConsentWithdrawn = "consent_withdrawn";
    public const string TokensIssued = "tokens_issued";
    public const string CodeReuseDetected = "code_reuse_detected";
    public const string DeviceApproved = "device_approved";
    public const string DeviceDenied = "device_denied";
    public const string PasswordVerified = "password_verified";
    public const string SecondFactorEnabled = "second_factor_enabled";
    public const string SecondFactorRemoved = "second_factor_removed";
    public const string SecondFactorReset = "second_factor_reset";
    public const string RecoveryCodeUsed = "recovery_code_used";
    public const string SignInPolicyChanged = "sign_in_policy_changed";
}

internal sealed record AuditRecord(long Id, long At, string Event, long? PartnerId, long? UserId, string? Username, string? Ip, string? Detail);

/// <summary>Append-only audit trail in the database, so every node's events land in one place for <c>worktime audit</c>.</summary>
internal sealed class AuditLog(Database database, TimeProvider time, IHttpContextAccessor? http = null)
{
    public async Task WriteAsync(string @event, long? partnerId = null, long? userId = null, string? username = null,
        string? ip = null, string? detail = null, CancellationToken ct = default)
    {
        // A change made over HTTP (a password, a correction, an approval) names the client's address like a login does:
        // the connection's remote address, which the forwarded-headers middleware sets from trusted proxies only.
        ip ??= http?.HttpContext?.Connection.RemoteIpAddress is { } address
            ? (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString()
            : null;
        // Through the writer gate like every frequent write (logins audit each attempt): on SQLite an ungated insert
        // meets the gated writers on the file lock and waits in SQLite's sleeping busy handler (docs/deploy.md, "SQLite").
        // Callers write their audit records after their own writes committed, never while holding the gate.
        await using var writer = await database.OpenWriterAsync(ct);
        await writer.Connection.ExecuteAsync(
            """
            INSERT INTO audit_records (at, event, partner_id, user_id, username, ip, detail)
            VALUES (@at, @event, @partnerId, @userId, @username, @ip, @detail)
            """,
            new { at = time.GetUtcNow().ToUnixTimeSeconds(), @event, partnerId, userId, username, ip, detail }, writer.Transaction);
        await writer.CommitAsync(ct);
    }

    /// <summary>Records at or after <paramref name="since"/> (unix seconds), optionally of one username, oldest first.</summary>
    public async Task<IReadOnlyList<AuditRecord>> QueryAsync(long since, string? username, int limit, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<AuditRecord>(
            """
            SELECT id AS Id, at AS At, event AS Event, partner_id AS PartnerId, user_id AS UserId,
                   username AS Username, ip AS Ip, detail AS Detail
            FROM audit_records
            WHERE at >= @since AND (@username IS NULL OR username = @username)
            ORDER BY id DESC
            LIMIT @limit
            """,
            new { since, username, limit });
        return rows.Reverse().ToList();
    }
}
