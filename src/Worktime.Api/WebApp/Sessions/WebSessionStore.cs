using System.Buffers.Text;
using System.Security.Cryptography;
using Dapper;
using Worktime.Api.Accounts;
using Worktime.Api.Data;

namespace Worktime.Api.WebApp.Sessions;

/// <summary>A browser session as stored: who, at which level and security version, until when.</summary>
internal sealed record WebSession(long UserId, long PartnerId, long UserLevel, string Username, long SecurityVersion, long ExpiresAt);

/// <summary>
/// Browser sessions in the database (docs/webapp.md, "Sessions"), so every node knows every session and a logout
/// ends it everywhere at once. The cookie holds 256 random bits; the table holds only their SHA-256.
/// Reading a session never writes (no "last seen" update): its lifetime is absolute.
/// </summary>
internal sealed class WebSessionStore(Database database, TimeProvider time)
{
    private long Now => time.GetUtcNow().ToUnixTimeSeconds();

    /// <summary>Starts a session for a user whose password (and any further login step) has been checked; returns the cookie value.</summary>
    public async Task<string> StartAsync(LoginUser user, TimeSpan lifetime, CancellationToken ct)
    {
        var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var now = Now;
        await using var writer = await database.OpenWriterAsync(ct);
        // The user's expired sessions go with the new one: the table stays as small as the live sessions.
        await writer.Connection.ExecuteAsync("DELETE FROM web_sessions WHERE user_id = @userId AND expires_at <= @now",
            new { userId = user.Id, now }, writer.Transaction);
        await writer.Connection.ExecuteAsync(
            """
            INSERT INTO web_sessions (id_hash, user_id, partner_id, user_level, username, security_version, created_at, expires_at)
            VALUES (@hash, @userId, @partnerId, @level, @username, @version, @now, @expires)
            """,
            new
            {
                hash = Hash(token), userId = user.Id, partnerId = user.PartnerId, level = user.UserLevel, username = user.Username,
                version = user.SecurityVersion, now, expires = now + (long)lifetime.TotalSeconds,
            }, writer.Transaction);
        await writer.CommitAsync(ct);
        return token;
    }

    /// <summary>The live session of a cookie value, or null (unknown, expired, or not a value we could have made).</summary>
    public async Task<WebSession?> FindAsync(string token, CancellationToken ct)
    {
        if (token.Length != 43)
        {
            return null; // 32 bytes in unpadded base64url; anything else is not ours and costs no query
        }
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<WebSession>(new CommandDefinition(
            """
            SELECT user_id AS UserId, partner_id AS PartnerId, user_level AS UserLevel, username AS Username,
                   security_version AS SecurityVersion, expires_at AS ExpiresAt
            FROM web_sessions WHERE id_hash = @hash AND expires_at > @now
            """, new { hash = Hash(token), now = Now }, cancellationToken: ct));
    }

    /// <summary>Ends the session of a cookie value (logout); unknown values change nothing.</summary>
    public async Task EndAsync(string token, CancellationToken ct)
    {
        await using var writer = await database.OpenWriterAsync(ct);
        await writer.Connection.ExecuteAsync("DELETE FROM web_sessions WHERE id_hash = @hash", new { hash = Hash(token) }, writer.Transaction);
        await writer.CommitAsync(ct);
    }

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token)));
}
