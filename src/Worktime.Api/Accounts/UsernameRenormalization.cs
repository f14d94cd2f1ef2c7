using System.Globalization;
using Dapper;
using Worktime.Api.Data;

namespace Worktime.Api.Accounts;

/// <summary>A login name the current rules could not apply to, reported to the operator (docs/auth.md, "Usernames").</summary>
internal sealed record UsernameConflict(long UserId, long PartnerId, string Username, string Problem);

/// <summary>
/// Brings every <c>username_norm</c> made by older rules (<c>username_rules</c> below
/// <see cref="UserAccounts.UsernameRulesVersion"/>, migration 006) to the RFC 8265 key. Runs at every start and in
/// <c>worktime db migrate</c>; only rows still on old rules are read, so after the first run it costs one query.
/// On a collision the oldest user (lowest id) gets the key; the others keep their old rules and a key no login can
/// produce, cannot log in until an admin renames them (users form), and are reported at each start until then.
/// A name the new rules refuse keeps its old key (no login can produce it either) and is reported the same way.
/// </summary>
internal sealed partial class UsernameRenormalization(Database database, AuditLog audit, ILogger<UsernameRenormalization> logger) : IStartupStep
{
    public async Task RunAsync(CancellationToken ct) => await ApplyAsync(ct);

    public async Task<IReadOnlyList<UsernameConflict>> ApplyAsync(CancellationToken ct)
    {
        var conflicts = new List<UsernameConflict>();
        await using var connection = await database.OpenAsync(ct);
        var stale = (await connection.QueryAsync<StaleRow>(
            "SELECT id AS Id, partner_id AS PartnerId, username AS Username, username_norm AS Norm FROM users WHERE username_rules < @version ORDER BY id",
            new { version = UserAccounts.UsernameRulesVersion })).ToList();
        foreach (var row in stale)
        {
            var parsed = Credentials.ParseUsername(row.Username);
            if (parsed.Error is { } refused)
            {
                conflicts.Add(new UsernameConflict(row.Id, row.PartnerId, row.Username, refused.Description));
                continue;
            }
            await using var transaction = await connection.BeginWriteAsync(ct);
            var key = parsed.Value.Key;
            var holder = await connection.QuerySingleOrDefaultAsync<Holder>(
                "SELECT id AS Id, CAST(username_rules AS BIGINT) AS Rules FROM users WHERE username_norm = @key AND id <> @id",
                new { key, id = row.Id }, transaction);
            if (holder is not null && (holder.Rules >= UserAccounts.UsernameRulesVersion || holder.Id < row.Id))
            {
                conflicts.Add(new UsernameConflict(row.Id, row.PartnerId, row.Username,
                    "The username is the same name as an older user's under RFC 8265 rules; rename one of them."));
                continue; // the transaction rolls back on dispose
            }
            try
            {
                if (holder is not null)
                {
                    // A newer user still holds this key under the old rules: it loses, and its key becomes one no
                    // login can produce (a control character), until an admin renames it. It is reported when its turn comes.
                    await connection.ExecuteAsync("UPDATE users SET username_norm = @placeholder WHERE id = @id",
                        new { placeholder = string.Create(CultureInfo.InvariantCulture, $"\u0001conflict:{holder.Id}"), id = holder.Id }, transaction);
                }
                await connection.ExecuteAsync("UPDATE users SET username_norm = @key, username_rules = @version WHERE id = @id",
                    new { key, version = UserAccounts.UsernameRulesVersion, id = row.Id }, transaction);
                await transaction.CommitAsync(ct);
            }
            catch (System.Data.Common.DbException e) when (DbWrites.IsUniqueViolation(e))
            {
                // A user created meanwhile took the key; the next start reports this row.
            }
        }
        foreach (var conflict in conflicts)
        {
            LogConflict(logger, conflict.UserId, conflict.PartnerId, conflict.Problem);
            await audit.WriteAsync(AuditEvents.UsernameConflict, conflict.PartnerId, conflict.UserId, detail: conflict.Problem, ct: ct);
        }
        return conflicts;
    }

    // The user id, not the name: a name is user input and may carry control characters.
    [LoggerMessage(Level = LogLevel.Warning, Message = "Username of user {UserId} (partner {PartnerId}) kept its old login key: {Problem}")]
    private static partial void LogConflict(ILogger logger, long userId, long partnerId, string problem);

    private sealed record Holder(long Id, long Rules);

    private sealed record StaleRow(long Id, long PartnerId, string Username, string Norm);
}
