using System.Collections.Concurrent;
using Dapper;
using Microsoft.Extensions.Options;
using Worktime.Api.Accounts;
using Worktime.Api.Auth;
using Worktime.Api.Data;

namespace Worktime.Api.TwoFactor;

/// <summary>A partner's sign-in policy as <c>GET /partner/security</c> answers it.</summary>
internal sealed record PartnerSecurity(IReadOnlyList<long> SecondFactorLevels, bool PasskeySignIn);

/// <summary>
/// A partner's sign-in policy (docs/auth.md, "A policy per company"): which user levels must have a second factor.
/// Written by the partner's admins (level 5) through the API and <c>/app/admin/security</c>, audited. A person whose
/// level is listed and who has no factor is sent to the set-up after the password and kept there (the web app's
/// session gate asks <see cref="RequiresSetUpAsync"/> on every page). The levels are cached per node for
/// <c>Auth:UserStateCacheDuration</c>, like a user's state: a change applies on this node at once and on the others
/// within that bound.
/// </summary>
internal sealed class SignInPolicy(Database database, SecondFactorStore factors, AuditLog audit, IOptions<AuthOptions> options,
    TimeProvider time)
{
    private sealed record Entry(string Levels, long LoadedAtMs);

    private readonly ConcurrentDictionary<long, Entry> _levels = new();

    public async Task<PartnerSecurity> ReadAsync(long partnerId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<PolicyRow>(new CommandDefinition(
            "SELECT second_factor_levels AS Levels, CAST(passkey_sign_in AS BIGINT) AS PasskeySignIn FROM partner_security WHERE partner_id = @partnerId",
            new { partnerId }, cancellationToken: ct));
        return new(SecondFactorLevels.Parse(row?.Levels), row?.PasskeySignIn == 1);
    }

    /// <summary>Whether the partner lets its people sign in with a passkey alone (docs/auth.md, "Passkeys").</summary>
    public async Task<bool> AllowsPasskeySignInAsync(long partnerId, CancellationToken ct) => (await ReadAsync(partnerId, ct)).PasskeySignIn;

    /// <summary>
    /// Changes what is given — the levels (1–5; duplicates and order do not matter), whether a passkey alone signs in —
    /// and keeps the rest; audits who did it.
    /// </summary>
    public async Task<PartnerSecurity> WriteAsync(CurrentUser admin, IReadOnlyList<long>? levels, bool? passkeySignIn, CancellationToken ct)
    {
        var current = await ReadAsync(admin.PartnerId, ct);
        var stored = SecondFactorLevels.Format(levels ?? current.SecondFactorLevels);
        var passkeys = passkeySignIn ?? current.PasskeySignIn;
        await using (var writer = await database.OpenWriterAsync(ct))
        {
            await writer.Connection.ExecuteAsync(
                """
                INSERT INTO partner_security (partner_id, second_factor_levels, passkey_sign_in, modified_at) VALUES (@partnerId, @stored, @passkeys, @now)
                ON CONFLICT (partner_id) DO UPDATE SET second_factor_levels = excluded.second_factor_levels,
                  passkey_sign_in = excluded.passkey_sign_in, modified_at = excluded.modified_at
                """, new { partnerId = admin.PartnerId, stored, passkeys = passkeys ? 1 : 0, now = time.GetUtcNow().ToUnixTimeSeconds() }, writer.Transaction);
            await writer.CommitAsync(ct);
        }
        _levels.TryRemove(admin.PartnerId, out _);
        await audit.WriteAsync(AuditEvents.SignInPolicyChanged, admin.PartnerId, admin.UserId, Credentials.KeyOf(admin.Username) ?? admin.Username,
            detail: "second_factor_levels=" + (stored.Length == 0 ? "none" : stored) + " passkey_sign_in=" + (passkeys ? "yes" : "no"), ct: ct);
        return new(SecondFactorLevels.Parse(stored), passkeys);
    }

    private sealed record PolicyRow(string Levels, long PasskeySignIn);

    /// <summary>
    /// The person's level is listed by their partner and they have no second factor: they may only set one up (and log
    /// out). Costs a read only for people whose level is listed.
    /// </summary>
    public async Task<bool> RequiresSetUpAsync(long userId, long partnerId, long userLevel, CancellationToken ct)
    {
        var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (!_levels.TryGetValue(partnerId, out var entry) || nowMs - entry.LoadedAtMs >= options.Value.UserStateCacheDuration.TotalMilliseconds)
        {
            entry = new Entry(await LoadAsync(partnerId, ct), nowMs);
            if (_levels.Count > 100_000)
            {
                _levels.Clear(); // bounded memory; a miss only costs one query
            }
            _levels[partnerId] = entry;
        }
        return SecondFactorLevels.Lists(entry.Levels, userLevel) && !await factors.HasFactorAsync(userId, ct);
    }

    private async Task<string> LoadAsync(long partnerId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT second_factor_levels FROM partner_security WHERE partner_id = @partnerId", new { partnerId }, cancellationToken: ct)) ?? "";
    }
}
