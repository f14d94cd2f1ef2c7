using Dapper;
using Worktime.Api.Data;

namespace Worktime.Api.Accounts;

/// <summary>What login needs of a user: identity, level, state, credential and the partner's country.</summary>
internal sealed record LoginUser(long Id, long PartnerId, string Username, long UserLevel, string Status, string RowStatus,
    string? PasswordHash, string Country, long SecurityVersion, long SecondFactors = 0, string? SecondFactorLevels = null)
{
    public bool IsActive => Status == "active" && RowStatus == "normal";

    /// <summary>The person has a confirmed second factor (docs/auth.md, "Second factors"): a password alone does not let them in.</summary>
    public bool HasSecondFactor => SecondFactors > 0;

    /// <summary>
    /// The person's partner asks their level for a second factor and they have none yet: after the password they are
    /// taken to the set-up and can do nothing else first (docs/auth.md, "A policy per company").
    /// </summary>
    public bool MustSetUpSecondFactor => !HasSecondFactor && Accounts.SecondFactorLevels.Lists(SecondFactorLevels, UserLevel);
}

/// <summary>Reads of the users table for authentication.</summary>
internal sealed class UserStore(Database database)
{
    private const string LoginColumns =
        """
        SELECT u.id AS Id, u.partner_id AS PartnerId, u.username AS Username, CAST(u.userlevel AS BIGINT) AS UserLevel, u.status AS Status,
               u.row_status AS RowStatus, u.password_hash AS PasswordHash, p.country AS Country,
               u.security_version AS SecurityVersion,
               (SELECT COUNT(*) FROM totp_factors f WHERE f.user_id = u.id AND f.confirmed_at IS NOT NULL)
                 + (SELECT COUNT(*) FROM passkeys k WHERE k.user_id = u.id) AS SecondFactors,
               (SELECT s.second_factor_levels FROM partner_security s WHERE s.partner_id = u.partner_id) AS SecondFactorLevels
        FROM users u JOIN partners p ON p.id = u.partner_id
        """;

    public async Task<LoginUser?> FindByUsernameAsync(string normalizedUsername, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<LoginUser>(
            LoginColumns + " WHERE u.username_norm = @normalizedUsername", new { normalizedUsername });
    }

    public async Task<LoginUser?> FindByIdAsync(long id, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<LoginUser>(LoginColumns + " WHERE u.id = @id", new { id });
    }

    /// <summary>Replaces an outdated hash only if it is still the one we verified (two concurrent logins: one write wins, both valid).</summary>
    /// <summary>The login key (RFC 8265 form) of a user, which the login throttle and its audit records use.</summary>
    public async Task<string?> UsernameKeyAsync(long id, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition("SELECT username_norm FROM users WHERE id = @id", new { id }, cancellationToken: ct));
    }

    public async Task<bool> ReplaceHashAsync(long id, string oldHash, string newHash, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync(
            "UPDATE users SET password_hash = @newHash WHERE id = @id AND password_hash = @oldHash", new { id, oldHash, newHash }) > 0;
    }

    public async Task<bool> AnyAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM (SELECT 1 FROM users LIMIT 1) x") > 0;
    }
}
