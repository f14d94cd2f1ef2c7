using System.Security.Cryptography;
using System.Text;
using Dapper;
using Worktime.Api.Data;

namespace Worktime.Api.CalendarFeeds;

/// <summary>A calendar feed as stored: never its token, only the token's hash.</summary>
internal sealed record CalendarFeed(long Id, long PartnerId, long UserId, string Kind, long CreatedAt);

/// <summary>
/// The feeds' table (migration 010): created with a new random token whose SHA-256 alone is kept, listed per person,
/// deleted by their owner, and found by the hash of a presented token. Every fetch reads the table (no cache), so a
/// revoked feed answers 404 at once on every node.
/// </summary>
internal sealed class CalendarFeedStore(Database database, TimeProvider time)
{
    /// <summary>The feeds one person may keep: enough for every device and calendar app, bounded for the table's sake.</summary>
    public const int MaxFeedsPerUser = 20;

    /// <summary>Token bytes: 256 random bits (RFC 4086's advice for secrets far exceeds guessing by any rate).</summary>
    private const int TokenBytes = 32;

    /// <summary>Characters of a token in a URL: base64url of <see cref="TokenBytes"/> bytes, unpadded.</summary>
    public const int TokenLength = 43;

    /// <summary>A new feed and its token (shown once); null when the person has <see cref="MaxFeedsPerUser"/> already.</summary>
    public async Task<(CalendarFeed Feed, string Token)?> CreateAsync(long partnerId, long userId, string kind, CancellationToken ct)
    {
        var token = Base64Url(RandomNumberGenerator.GetBytes(TokenBytes));
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        await using var writer = await database.OpenWriterAsync(ct);
        var count = await writer.Connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM calendar_feeds WHERE user_id = @userId", new { userId }, writer.Transaction);
        if (count >= MaxFeedsPerUser)
        {
            return null;
        }
        var id = await writer.Connection.ExecuteScalarAsync<long>(
            "INSERT INTO calendar_feeds (partner_id, user_id, kind, token_hash, created_at) VALUES (@partnerId, @userId, @kind, @hash, @now) RETURNING id",
            new { partnerId, userId, kind, hash = Hash(token), now }, writer.Transaction);
        await writer.CommitAsync(ct);
        return (new CalendarFeed(id, partnerId, userId, kind, now), token);
    }

    /// <summary>One person's feeds, oldest first.</summary>
    public async Task<List<CalendarFeed>> ListAsync(long partnerId, long userId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<CalendarFeed>(new CommandDefinition(
            "SELECT id AS Id, partner_id AS PartnerId, user_id AS UserId, kind AS Kind, created_at AS CreatedAt FROM calendar_feeds "
            + "WHERE user_id = @userId AND partner_id = @partnerId ORDER BY id", new { partnerId, userId }, cancellationToken: ct))).ToList();
    }

    /// <summary>Deletes the person's own feed; false when they have no feed of that id.</summary>
    public async Task<bool> DeleteAsync(long partnerId, long userId, long id, CancellationToken ct)
    {
        await using var writer = await database.OpenWriterAsync(ct);
        var deleted = await writer.Connection.ExecuteAsync(
            "DELETE FROM calendar_feeds WHERE id = @id AND user_id = @userId AND partner_id = @partnerId",
            new { id, userId, partnerId }, writer.Transaction);
        await writer.CommitAsync(ct);
        return deleted > 0;
    }

    /// <summary>The feed a token opens; null for anything else (malformed, unknown, revoked).</summary>
    public async Task<CalendarFeed?> FindAsync(string token, CancellationToken ct)
    {
        if (token.Length != TokenLength || !token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            return null;
        }
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<CalendarFeed>(new CommandDefinition(
            "SELECT id AS Id, partner_id AS PartnerId, user_id AS UserId, kind AS Kind, created_at AS CreatedAt FROM calendar_feeds WHERE token_hash = @hash",
            new { hash = Hash(token) }, cancellationToken: ct));
    }

    /// <summary>SHA-256 of the token's characters, lower-case hex: what the table keeps.</summary>
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(token)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
