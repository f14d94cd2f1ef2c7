using Dapper;
using Microsoft.Extensions.Options;
using Worktime.Api.Accounts;
using Worktime.Api.Auth;
using Worktime.Api.Data;

namespace Worktime.Api.OAuth;

/// <summary>A device authorization just started: what the device shows and polls with.</summary>
internal sealed record DeviceStart(string DeviceCode, string UserCode, long ExpiresIn, long Interval);

/// <summary>A device waiting for its person, found by the user code typed on <c>/app/device</c>.</summary>
internal sealed record WaitingDevice(string UserCode, RegisteredClient Client);

/// <summary>What a device's poll finds (RFC 8628 section 3.5).</summary>
internal abstract record DevicePoll
{
    public sealed record Pending : DevicePoll;

    /// <summary>Polled too soon: the interval the device must keep from now on.</summary>
    public sealed record SlowDown(long Interval) : DevicePoll;

    public sealed record Denied : DevicePoll;

    public sealed record Expired : DevicePoll;

    /// <summary>Confirmed, and spent by this poll: tokens for this person.</summary>
    public sealed record Approved(long UserId, long SecurityVersion) : DevicePoll;

    /// <summary>Spent by an earlier poll: the family it started (if any) is revoked now.</summary>
    public sealed record Again(long? UserId, string? RevokedFamily) : DevicePoll;

    public sealed record Unknown : DevicePoll;
}

/// <summary>
/// Device authorization state (RFC 8628) in <c>device_codes</c>: the device code is kept as its SHA-256, the user code as
/// typed-back text (it is short by design and lives minutes). A code is confirmed once, redeemed once; a second
/// redemption revokes the first one's tokens, as an authorization code's does.
/// </summary>
internal sealed class DeviceCodes(Database database, RegisteredClients clients, RefreshTokenStore refreshTokens, AuditLog audit,
    IOptions<DeviceOptions> options, TimeProvider time)
{
    private long Now => time.GetUtcNow().ToUnixTimeSeconds();

    public async Task<DeviceStart> StartAsync(string clientId, CancellationToken ct)
    {
        var o = options.Value;
        var deviceCode = Secrets.New();
        var now = time.GetUtcNow();
        await using var writer = await database.OpenWriterAsync(ct);
        // A user code still in the table (waiting, or not yet purged) is never handed out twice: try another.
        for (var attempt = 0; ; attempt++)
        {
            var userCode = UserCodes.New();
            var inserted = await writer.Connection.ExecuteAsync(
                """
                INSERT INTO device_codes (id_hash, user_code, client_id, created_at, expires_at, interval_seconds, last_polled_ms, status)
                VALUES (@hash, @userCode, @clientId, @now, @expires, @interval, @nowMs, 'pending')
                ON CONFLICT DO NOTHING
                """,
                new
                {
                    hash = Secrets.Hash(deviceCode), userCode, clientId, now = now.ToUnixTimeSeconds(),
                    expires = now.ToUnixTimeSeconds() + (long)o.CodeLifetime.TotalSeconds, interval = (long)o.PollInterval.TotalSeconds,
                    nowMs = now.ToUnixTimeMilliseconds(),
                }, writer.Transaction);
            if (inserted == 1)
            {
                await writer.CommitAsync(ct);
                return new DeviceStart(deviceCode, userCode, (long)o.CodeLifetime.TotalSeconds, (long)o.PollInterval.TotalSeconds);
            }
            if (attempt == 10)
            {
                throw new InvalidOperationException("No free user code after 10 attempts: the device_codes table is full of live codes.");
            }
        }
    }

    /// <summary>The device waiting for this (normalised) user code, or null: unknown, expired, already decided.</summary>
    public async Task<WaitingDevice?> FindWaitingAsync(string userCode, CancellationToken ct)
    {
        string? clientId;
        await using (var connection = await database.OpenAsync(ct))
        {
            clientId = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
                "SELECT client_id FROM device_codes WHERE user_code = @userCode AND status = 'pending' AND expires_at > @now",
                new { userCode, now = Now }, cancellationToken: ct));
        }
        return clientId is not null && await clients.FindAsync(clientId, ct) is { Device: true } client ? new WaitingDevice(userCode, client) : null;
    }

    /// <summary>The person's decision (audited); false when the code is no longer waiting (expired, decided meanwhile).</summary>
    public async Task<bool> DecideAsync(string userCode, LoginUser user, bool allow, string ip, CancellationToken ct)
    {
        int decided;
        await using (var writer = await database.OpenWriterAsync(ct))
        {
            decided = await writer.Connection.ExecuteAsync(
                """
                UPDATE device_codes SET status = @status, user_id = @userId, security_version = @version, decided_at = @now
                WHERE user_code = @userCode AND status = 'pending' AND expires_at > @now
                """,
                new { status = allow ? "approved" : "denied", userId = user.Id, version = user.SecurityVersion, now = Now, userCode }, writer.Transaction);
            await writer.CommitAsync(ct);
        }
        if (decided == 1)
        {
            await audit.WriteAsync(allow ? AuditEvents.DeviceApproved : AuditEvents.DeviceDenied, user.PartnerId, user.Id, user.Username, ip,
                $"user_code={userCode}", ct);
        }
        return decided == 1;
    }

    /// <summary>One poll of the token endpoint. A poll that is not too early moves the device's clock on; one that is, slows it down.</summary>
    public async Task<DevicePoll> PollAsync(string deviceCode, string clientId, CancellationToken ct)
    {
        if (!Secrets.CouldBeOurs(deviceCode))
        {
            return new DevicePoll.Unknown();
        }
        var hash = Secrets.Hash(deviceCode);
        var now = time.GetUtcNow();
        await using var writer = await database.OpenWriterAsync(ct);
        var (connection, tx) = (writer.Connection, writer.Transaction);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(
            """
            SELECT client_id AS ClientId, expires_at AS ExpiresAt, interval_seconds AS IntervalSeconds, last_polled_ms AS LastPolledMs,
                   status AS Status, user_id AS UserId, security_version AS SecurityVersion, used_at AS UsedAt
            FROM device_codes WHERE id_hash = @hash
            """, new { hash }, tx);
        DevicePoll outcome;
        if (row is null || row.ClientId != clientId)
        {
            outcome = new DevicePoll.Unknown();
        }
        else if (row.UsedAt is not null)
        {
            outcome = await AgainAsync(writer, hash, now.ToUnixTimeSeconds(), row.UserId);
        }
        else if (row.ExpiresAt <= now.ToUnixTimeSeconds())
        {
            outcome = new DevicePoll.Expired();
        }
        else if (row.Status == "denied")
        {
            outcome = new DevicePoll.Denied();
        }
        else if (row.Status == "pending")
        {
            // A second of leeway: a device that waits exactly the interval may still arrive a little early.
            var early = now.ToUnixTimeMilliseconds() - row.LastPolledMs < (row.IntervalSeconds - 1) * 1000;
            var interval = early ? row.IntervalSeconds + 5 : row.IntervalSeconds; // RFC 8628 section 3.5: 5 seconds more
            await connection.ExecuteAsync("UPDATE device_codes SET last_polled_ms = @nowMs, interval_seconds = @interval WHERE id_hash = @hash",
                new { nowMs = now.ToUnixTimeMilliseconds(), interval, hash }, tx);
            outcome = early ? new DevicePoll.SlowDown(interval) : new DevicePoll.Pending();
        }
        else
        {
            // Approved: spend it (compare-and-swap: of two polls at once, one gets the tokens).
            var spent = await connection.ExecuteAsync("UPDATE device_codes SET used_at = @now WHERE id_hash = @hash AND used_at IS NULL",
                new { now = now.ToUnixTimeSeconds(), hash }, tx);
            outcome = spent == 1
                ? new DevicePoll.Approved(row.UserId!.Value, row.SecurityVersion!.Value)
                : await AgainAsync(writer, hash, now.ToUnixTimeSeconds(), row.UserId);
        }
        await writer.CommitAsync(ct);
        return outcome;
    }

    private async Task<DevicePoll> AgainAsync(WriterLease writer, string hash, long now, long? userId)
    {
        var family = await writer.Connection.ExecuteScalarAsync<string?>(
            "UPDATE device_codes SET reused_at = COALESCE(reused_at, @now) WHERE id_hash = @hash RETURNING family_id",
            new { now, hash }, writer.Transaction);
        return new DevicePoll.Again(userId,
            family is not null && await refreshTokens.RevokeFamilyAsync(writer, family, "device code reused") ? family : null);
    }

    /// <summary>In the transaction that starts the family: records it on the code, unless a second redemption came first.</summary>
    public static async Task<bool> AttachFamilyAsync(WriterLease writer, string deviceCode, string familyId) =>
        await writer.Connection.ExecuteAsync(
            "UPDATE device_codes SET family_id = @familyId WHERE id_hash = @hash AND reused_at IS NULL",
            new { familyId, hash = Secrets.Hash(deviceCode) }, writer.Transaction) == 1;

    /// <summary>Codes a day past their expiry go (housekeeping), and with them their user codes.</summary>
    public async Task<int> PurgeAsync(CancellationToken ct)
    {
        await using var writer = await database.OpenWriterAsync(ct);
        var purged = await writer.Connection.ExecuteAsync("DELETE FROM device_codes WHERE expires_at < @before",
            new { before = Now - 86_400 }, writer.Transaction);
        await writer.CommitAsync(ct);
        return purged;
    }

    private sealed record Row(string ClientId, long ExpiresAt, long IntervalSeconds, long LastPolledMs, string Status, long? UserId,
        long? SecurityVersion, long? UsedAt);
}
