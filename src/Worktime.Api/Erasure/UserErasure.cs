using System.Data.Common;
using System.Globalization;
using Dapper;
using Worktime.Api.Accounts;
using Worktime.Api.Auth;
using Worktime.Api.Data;
using Worktime.Api.Http;

namespace Worktime.Api.Erasure;

/// <summary>What <see cref="UserErasure.EraseAsync"/> did: the user's id and the name that now stands for them.</summary>
internal sealed record ErasedUser(long Id, long PartnerId, string AnonymousName, int TablesTouched);

/// <summary>
/// <c>worktime user erase</c> (docs/deploy.md, "Erasing a person"; GDPR art. 17 with the bookkeeping exception of
/// art. 17(3)(b)): the person's personal data is overwritten in every table as <see cref="TableCatalog"/> classifies
/// it, their sessions and tokens end, and their worktimes, absences and balance stay under an anonymous name. One
/// transaction for the data, so an erasure is whole or absent; then the sessions end and the erasure is audited
/// without any of the erased values.
/// <para>
/// Driven by the catalog, not by a list here: a table whose rule is <see cref="ErasureRule.OverwritePersonalColumns"/>
/// or <see cref="ErasureRule.DeleteRows"/> is handled without code, and a <see cref="ErasureRule.Special"/> table
/// without a case below stops every erasure (and <c>UserErasureTests</c>) until it has one.
/// </para>
/// </summary>
internal sealed class UserErasure(Database database, UserAccounts accounts, IUserSessions sessions, AuditLog audit, TimeProvider time)
{
    /// <summary>The tables whose <see cref="ErasureRule.Special"/> rule this class carries out.</summary>
    internal static readonly IReadOnlySet<string> SpecialTables = new HashSet<string>(StringComparer.Ordinal) { "audit_records", "login_throttle" };

    /// <summary>Shorter values are not searched for inside other text: "Al" would mangle every "Alpha" of the trail.</summary>
    private const int MinimumSearchedLength = 3;

    public async Task<Outcome<ErasedUser>> EraseAsync(string username, bool descriptions, CancellationToken ct = default)
    {
        var unhandled = TableCatalog.All.Where(t => t.Erasure == ErasureRule.Special && !SpecialTables.Contains(t.Name)).Select(t => t.Name).ToList();
        if (unhandled.Count > 0)
        {
            throw new InvalidOperationException($"No erasure code for the table(s) {string.Join(", ", unhandled)} (TableCatalog says Special).");
        }
        var found = await accounts.FindIdAsync(username, ct);
        if (found.Error is { } error)
        {
            return error;
        }
        var userId = found.Value;
        ErasedUser erased;
        await using (var writer = await database.OpenWriterAsync(ct))
        {
            var person = await writer.Connection.QuerySingleAsync<Person>(
                "SELECT partner_id AS PartnerId, username AS Username, username_norm AS UsernameKey, firstname AS Firstname, lastname AS Lastname, email AS Email, phone AS Phone FROM users WHERE id = @userId",
                new { userId }, writer.Transaction);
            var step = new Step(writer.Connection, writer.Transaction, database.Dialect, userId, person);
            var touched = 0;
            foreach (var table in TableCatalog.All)
            {
                touched += await EraseAsync(step, table, descriptions) ? 1 : 0;
            }
            await writer.CommitAsync(ct);
            erased = new ErasedUser(userId, person.PartnerId, Anonymous(TableCatalog.Find(TableCatalog.Users)!, "username", userId), touched);
        }
        await sessions.EndAllAsync(userId, "user_erased", ct); // refresh families revoked, this node's bearer cache dropped
        await audit.WriteAsync(AuditEvents.UserErased, erased.PartnerId, userId, erased.AnonymousName,
            detail: descriptions ? "descriptions=overwritten" : "descriptions=kept", ct: ct);
        return erased;
    }

    private async Task<bool> EraseAsync(Step step, TableEntry table, bool descriptions)
    {
        var changed = table.Erasure switch
        {
            ErasureRule.OverwritePersonalColumns => await OverwriteAsync(step, table),
            ErasureRule.DeleteRows => await step.ExecuteAsync($"DELETE FROM {table.Name} WHERE {table.OwnerColumn} = @userId") > 0,
            ErasureRule.Special when table.Name == "audit_records" => await AuditTrailAsync(step),
            ErasureRule.Special when table.Name == "login_throttle" => await ThrottleAsync(step),
            _ => false, // NothingPersonal; EndedWithSessions: after the commit
        };
        if (descriptions && table.FreeText.Count > 0)
        {
            changed |= await FreeTextAsync(step, table);
        }
        return changed;
    }

    /// <summary>The personal columns of the person's rows; on the users row also the credentials, the status and the token version.</summary>
    private async Task<bool> OverwriteAsync(Step step, TableEntry table)
    {
        var parameters = new DynamicParameters(new { userId = step.UserId });
        var assignments = new List<string>();
        foreach (var (column, value) in table.Personal)
        {
            parameters.Add("p_" + column, value is null ? null : Anonymous(value, step.UserId));
            assignments.Add($"{column} = @p_{column}");
        }
        foreach (var column in table.Credentials)
        {
            assignments.Add($"{column} = NULL"); // no password verifies against nothing
        }
        var owner = table.OwnerColumn;
        if (table.Name == TableCatalog.Users)
        {
            owner = "id";
            // As `user disable`: no login, and every token issued before now is void (docs/auth.md).
            var credentials = accounts.CredentialColumns(new CredentialChange(false, null, null, true));
            foreach (var (column, value) in credentials)
            {
                if (value is ColumnIncrement)
                {
                    assignments.Add(ColumnIncrement.Assignment(column, value, _ => ""));
                }
                else
                {
                    parameters.Add("c_" + column, value);
                    assignments.Add($"{column} = @c_{column}");
                }
            }
            assignments.Add("status = 'inactive'");
            parameters.Add("modified", time.GetUtcNow().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
            assignments.Add("modified = @modified");
        }
        return await step.ExecuteAsync($"UPDATE {table.Name} SET {string.Join(", ", assignments)} WHERE {owner} = @userId", parameters) > 0;
    }

    /// <summary>
    /// The trail keeps what happened and when, under the anonymous name: the person's records (by id, and failed or
    /// throttled logins by the name typed) lose the username and the address, and the erased values are replaced in
    /// every record's detail text.
    /// </summary>
    private static async Task<bool> AuditTrailAsync(Step step)
    {
        var anonymous = Anonymous("erased-{id}", step.UserId);
        var changed = await step.ExecuteAsync(
            "UPDATE audit_records SET username = @anonymous, ip = NULL WHERE user_id = @userId OR username = @key OR username = @raw",
            new { userId = step.UserId, anonymous, key = step.Person.UsernameKey, raw = step.Person.Username }) > 0;
        foreach (var value in step.SearchedValues)
        {
            changed |= await step.ExecuteAsync(
                "UPDATE audit_records SET detail = REPLACE(detail, @value, @anonymous) WHERE detail IS NOT NULL AND detail <> REPLACE(detail, @value, @anonymous)",
                new { value, anonymous }) > 0;
        }
        return changed;
    }

    /// <summary>Failed-login counters are keyed by the name typed (docs/auth.md): the person's go.</summary>
    private static async Task<bool> ThrottleAsync(Step step)
    {
        var changed = false;
        foreach (var name in new[] { step.Person.UsernameKey, step.Person.Username }.OfType<string>().Distinct(StringComparer.Ordinal))
        {
            var user = LoginThrottle.UserKey(name);
            var userIp = LoginThrottle.UserIpKey(name, "");
            changed |= await step.ExecuteAsync(
                "DELETE FROM login_throttle WHERE throttle_key = @user OR substr(throttle_key, 1, @length) = @userIp",
                new { user, userIp, length = userIp.Length }) > 0;
        }
        return changed;
    }

    /// <summary>
    /// <c>--descriptions</c>: free text in the person's rows and in rows they created is overwritten; in the partner's
    /// other rows the erased values (name, username, email, phone) are replaced by the anonymous name.
    /// </summary>
    private static async Task<bool> FreeTextAsync(Step step, TableEntry table)
    {
        var columns = await step.ColumnsAsync(table.Name);
        var theirs = columns.Contains("user_id") ? "(user_id = @userId OR creator_id = @userId)" : "creator_id = @userId";
        var anonymous = Anonymous("erased-{id}", step.UserId);
        var changed = false;
        foreach (var column in table.FreeText)
        {
            changed |= await step.ExecuteAsync(
                $"UPDATE {table.Name} SET {column} = NULL WHERE partner_id = @partnerId AND {theirs} AND {column} IS NOT NULL",
                new { userId = step.UserId, partnerId = step.Person.PartnerId }) > 0;
            foreach (var value in step.SearchedValues)
            {
                changed |= await step.ExecuteAsync(
                    $"UPDATE {table.Name} SET {column} = REPLACE({column}, @value, @anonymous) WHERE partner_id = @partnerId AND {column} <> REPLACE({column}, @value, @anonymous)",
                    new { value, anonymous, partnerId = step.Person.PartnerId }) > 0;
            }
        }
        return changed;
    }

    private static string Anonymous(TableEntry users, string column, long userId) => Anonymous(users.Personal[column]!, userId);

    private static string Anonymous(string template, long userId) =>
        template.Replace("{id}", userId.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);

    private sealed record Person(long PartnerId, string? Username, string? UsernameKey, string? Firstname, string? Lastname, string? Email, string? Phone);

    private sealed class Step(DbConnection connection, DbTransaction transaction, DbDialect dialect, long userId, Person person)
    {
        private IReadOnlyList<TableInfo>? _schema;

        public long UserId => userId;

        public Person Person => person;

        /// <summary>The erased values looked for inside other text, longest first (a full name before its parts' overlap).</summary>
        public IReadOnlyList<string> SearchedValues { get; } =
            new[] { person.Username, person.UsernameKey, person.Email, person.Phone, $"{person.Firstname} {person.Lastname}".Trim() }
                .OfType<string>().Where(v => v.Trim().Length >= MinimumSearchedLength).Distinct(StringComparer.Ordinal)
                .OrderByDescending(v => v.Length).ToList();

#pragma warning disable CA2100 // table and column names come from the catalog, values are bound
        public Task<int> ExecuteAsync(string sql, object? parameters = null) =>
            connection.ExecuteAsync(sql, parameters ?? new { userId }, transaction);
#pragma warning restore CA2100

        public async Task<HashSet<string>> ColumnsAsync(string table)
        {
            _schema ??= await SchemaReader.ReadAsync(connection, dialect, transaction);
            return _schema.First(t => t.Name == table).Columns.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        }
    }
}
