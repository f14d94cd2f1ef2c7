using Dapper;
using Worktime.Api.Accounts;
using Worktime.Api.Auth;
using Worktime.Api.Data;

namespace Worktime.Api.OAuth;

/// <summary>An authorization code as issued: who it is for and what it is bound to.</summary>
internal sealed record IssuedCode(string ClientId, string RedirectUri, string CodeChallenge, long UserId, long SecurityVersion, long ExpiresAt);

/// <summary>What presenting a code led to.</summary>
internal abstract record CodeRedemption
{
    /// <summary>The first presentation: the code is spent now, whatever the checks of the grant find.</summary>
    public sealed record First(IssuedCode Code) : CodeRedemption;

    /// <summary>Presented again: the family its first redemption started (if any) is revoked now.</summary>
    public sealed record Again(long UserId, string? RevokedFamily) : CodeRedemption;

    public sealed record Unknown : CodeRedemption;
}

/// <summary>
/// Authorization codes (RFC 6749 section 4.1.2, RFC 9700 section 4.2): 256 random bits, stored as their SHA-256, valid
/// for 60 seconds and once. The first presentation spends the code whatever it carries (a wrong verifier or redirect
/// URI spends it too); a later one revokes the refresh-token family the first one started (RFC 6749 section 4.1.2:
/// "the authorization server ... SHOULD revoke all tokens previously issued based on that authorization code").
/// </summary>
internal sealed class AuthorizationCodes(Database database, RefreshTokenStore refreshTokens, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(60);

    private long Now => time.GetUtcNow().ToUnixTimeSeconds();

    public async Task<string> IssueAsync(AuthorizationRequest request, LoginUser user, CancellationToken ct)
    {
        var code = Secrets.New();
        var now = Now;
        await using var writer = await database.OpenWriterAsync(ct);
        await writer.Connection.ExecuteAsync(
            """
            INSERT INTO authorization_codes (id_hash, client_id, redirect_uri, code_challenge, user_id, security_version, created_at, expires_at)
            VALUES (@hash, @clientId, @redirectUri, @challenge, @userId, @version, @now, @expires)
            """,
            new
            {
                hash = Secrets.Hash(code), clientId = request.Client.Id, redirectUri = request.RedirectUri, challenge = request.CodeChallenge,
                userId = user.Id, version = user.SecurityVersion, now, expires = now + (long)Lifetime.TotalSeconds,
            }, writer.Transaction);
        await writer.CommitAsync(ct);
        return code;
    }

    /// <summary>Spends the code (one compare-and-swap), or finds it spent and revokes what it issued.</summary>
    public async Task<CodeRedemption> RedeemAsync(string code, CancellationToken ct)
    {
        if (!Secrets.CouldBeOurs(code))
        {
            return new CodeRedemption.Unknown();
        }
        var hash = Secrets.Hash(code);
        var now = Now;
        await using var writer = await database.OpenWriterAsync(ct);
        var (connection, tx) = (writer.Connection, writer.Transaction);
        var first = await connection.QuerySingleOrDefaultAsync<IssuedCode>(
            """
            UPDATE authorization_codes SET used_at = @now WHERE id_hash = @hash AND used_at IS NULL
            RETURNING client_id AS ClientId, redirect_uri AS RedirectUri, code_challenge AS CodeChallenge, user_id AS UserId,
                      security_version AS SecurityVersion, expires_at AS ExpiresAt
            """, new { hash, now }, tx);
        CodeRedemption outcome;
        if (first is not null)
        {
            outcome = new CodeRedemption.First(first);
        }
        else
        {
            // Spent before. Marking the second use and reading the family is one statement, so a first redemption that
            // is still attaching its family (AttachFamilyAsync) either sees this mark and gives up, or has attached it
            // and it is revoked here.
            var again = await connection.QuerySingleOrDefaultAsync<AgainRow>(
                """
                UPDATE authorization_codes SET reused_at = COALESCE(reused_at, @now) WHERE id_hash = @hash AND used_at IS NOT NULL
                RETURNING user_id AS UserId, family_id AS FamilyId
                """, new { hash, now }, tx);
            outcome = again is null
                ? new CodeRedemption.Unknown()
                : new CodeRedemption.Again(again.UserId,
                    again.FamilyId is { } family && await refreshTokens.RevokeFamilyAsync(writer, family, "code reused") ? family : null);
        }
        await writer.CommitAsync(ct);
        return outcome;
    }

    /// <summary>
    /// In the transaction that starts the family of a first redemption: records the family on the code, unless a second
    /// use came first — then false, and the family is not started.
    /// </summary>
    public static async Task<bool> AttachFamilyAsync(WriterLease writer, string code, string familyId) =>
        await writer.Connection.ExecuteAsync(
            "UPDATE authorization_codes SET family_id = @familyId WHERE id_hash = @hash AND reused_at IS NULL",
            new { familyId, hash = Secrets.Hash(code) }, writer.Transaction) == 1;

    /// <summary>Codes a day past their expiry go (housekeeping); a day keeps a late second use detectable.</summary>
    public async Task<int> PurgeAsync(CancellationToken ct)
    {
        await using var writer = await database.OpenWriterAsync(ct);
        var purged = await writer.Connection.ExecuteAsync("DELETE FROM authorization_codes WHERE expires_at < @before",
            new { before = Now - 86_400 }, writer.Transaction);
        await writer.CommitAsync(ct);
        return purged;
    }

    private sealed record AgainRow(long UserId, string? FamilyId);
}
