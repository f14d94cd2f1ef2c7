using System.Data.Common;
using System.Globalization;
using Dapper;
using Worktime.Api.Data;
using Worktime.Api.Forms.Definitions;

namespace Worktime.Api.Forms.Storage;

/// <summary>
/// The SQL of period locks (docs/forms.md, "Period locks"): reading a partner's locks, keeping writers of locked forms
/// and writers of locks apart on PostgreSQL, and stamping the rows a lock covers with <c>status = 'locked'</c> (and
/// back) in the lock's own transaction.
/// </summary>
internal static class PeriodLocks
{
    private const string Table = "periodlocks";

    /// <summary>The partner's live locks, read inside a write (after <see cref="EnterSharedAsync"/>) or for a page of rows.</summary>
    public static async Task<PeriodLockSet> ReadAsync(DbConnection connection, DbTransaction? transaction, long partnerId, CancellationToken ct)
    {
        var rows = await connection.QueryAsync(new CommandDefinition(
            $"SELECT user_id AS owner, MAX(enddate) AS through FROM {Table} WHERE partner_id = @partnerId AND row_status = 'normal' AND enddate IS NOT NULL GROUP BY user_id",
            new { partnerId }, transaction, cancellationToken: ct));
        string? partnerWide = null;
        var perUser = new Dictionary<long, string>();
        foreach (var row in rows.Cast<IDictionary<string, object?>>())
        {
            if (row["through"] is not string end)
            {
                continue;
            }
            if (row["owner"] is { } owner)
            {
                perUser[Convert.ToInt64(owner, CultureInfo.InvariantCulture)] = end;
            }
            else
            {
                partnerWide = end;
            }
        }
        return partnerWide is null && perUser.Count == 0 ? PeriodLockSet.None : new PeriodLockSet(partnerWide, perUser);
    }

    /// <summary>
    /// A writer of a locked form (a worktime, an absence), before it locks any row: on PostgreSQL it takes the partner's
    /// period-lock key shared until commit, so a lock being written waits for it and then stamps its row, and a writer
    /// arriving after a lock sees it. Then reads the locks, in a statement of its own (READ COMMITTED: a new snapshot
    /// after the key was granted). SQLite has one writer at a time, which already orders them.
    /// </summary>
    public static async Task<PeriodLockSet> EnterSharedAsync(
        DbDialect dialect, DbConnection connection, DbTransaction transaction, long partnerId, CancellationToken ct)
    {
        if (dialect == DbDialect.Postgres)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "SELECT 1 FROM pg_advisory_xact_lock_shared(hashtextextended('worktime.periodlocks', @partnerId))",
                new { partnerId }, transaction, cancellationToken: ct));
        }
        return await ReadAsync(connection, transaction, partnerId, ct);
    }

    /// <summary>
    /// A writer of a lock, before it locks anything but its own lock row: takes the partner's key exclusively
    /// (PostgreSQL), so its stamping runs after every writer of a locked form already under way and before any that
    /// comes later. Lock order everywhere: this key before any other row, so the writers cannot deadlock.
    /// </summary>
    public static Task EnterExclusiveAsync(DbDialect dialect, DbConnection connection, DbTransaction transaction, long partnerId, CancellationToken ct) =>
        dialect != DbDialect.Postgres
            ? Task.CompletedTask
            : connection.ExecuteAsync(new CommandDefinition(
                "SELECT 1 FROM pg_advisory_xact_lock(hashtextextended('worktime.periodlocks', @partnerId))",
                new { partnerId }, transaction, cancellationToken: ct));

    /// <summary>
    /// The last date locked for the whole partner by live locks other than <paramref name="exceptId"/>: rows on or
    /// before it stay locked whatever that lock does, so a lock's write only looks at the days after it.
    /// The newest end first, ordered as the (partner_id, row_status, user_id, enddate) index is, so both backends walk
    /// that index from its end without statistics and without a sort. PostgreSQL does not count "user_id IS NULL" as
    /// an equality for the order, so user_id is named in ORDER BY (all NULL here, it changes nothing); with MAX() or
    /// ORDER BY enddate alone it read the partner's every lock through the (partner_id, row_status, id) index and
    /// sorted them (docs/forms.md, "Query plans").
    /// </summary>
    public static Task<string?> PartnerWideThroughAsync(DbConnection connection, DbTransaction transaction, long partnerId, long exceptId, CancellationToken ct) =>
        connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            $"SELECT enddate FROM {Table} WHERE partner_id = @partnerId AND row_status = 'normal' AND user_id IS NULL AND enddate IS NOT NULL"
            + " AND id <> @exceptId ORDER BY user_id DESC, enddate DESC LIMIT 1",
            new { partnerId, exceptId }, transaction, cancellationToken: ct));

    /// <summary>
    /// Stamps the rows of <paramref name="form"/> of <paramref name="users"/> (null: every user) dated in
    /// (<paramref name="after"/>, <paramref name="through"/>] that a lock now covers and are not stamped yet: each keeps
    /// its status in the hidden column and reads <c>locked</c>. The caller's lock covers all of them, so no row needs a
    /// look at the other locks. Removed rows too, so restoring one finds it as locked as its live neighbours.
    /// </summary>
    public static Task<int> LockRowsAsync(
        DbDialect dialect, DbConnection connection, DbTransaction transaction, FormDefinition form, long partnerId,
        IReadOnlyCollection<long>? users, string? after, string through, string now, CancellationToken ct) =>
        StampAsync(dialect, connection, transaction, form, partnerId, users, after, through, now, locking: true, ct);

    /// <summary>
    /// Gives the stamped rows of <paramref name="form"/> of <paramref name="users"/> (null: every user) dated in
    /// (<paramref name="after"/>, <paramref name="through"/>] that no live lock covers any more their status back.
    /// </summary>
    public static Task<int> UnlockRowsAsync(
        DbDialect dialect, DbConnection connection, DbTransaction transaction, FormDefinition form, long partnerId,
        IReadOnlyCollection<long>? users, string? after, string through, string now, CancellationToken ct) =>
        StampAsync(dialect, connection, transaction, form, partnerId, users, after, through, now, locking: false, ct);

    /// <summary>
    /// One UPDATE per calendar month of the range: a lock over years of rows is written in statements of a month's
    /// rows each (docs/forms.md, "Period locks"), so none of them comes near the statement timeout.
    /// </summary>
    private static async Task<int> StampAsync(
        DbDialect dialect, DbConnection connection, DbTransaction transaction, FormDefinition form, long partnerId,
        IReadOnlyCollection<long>? users, string? after, string through, string now, bool locking, CancellationToken ct)
    {
        var rule = form.PeriodLock!;
        var table = Sql.Id(form.Table);
        var date = Sql.Id(form.Field(rule.DateField)!.Column!);
        var user = Sql.Id(form.Field(rule.UserField)!.Column!);
        var status = Sql.Id(form.Field(rule.StatusField)!.Column!);
        var saved = Sql.Id(PeriodLockRule.SavedStatusColumn);
        // Both row statuses named, so the (partner_id, row_status, date) index serves the date range.
        string Where(SqlArgs args, string? from, string to) =>
            $" WHERE {Sql.Id("partner_id")} = {args.Add(partnerId)} AND {Sql.Id("row_status")} IN ('{StoredRow.Normal}', '{StoredRow.Removed}')"
            + (users is null ? "" : $" AND {user} {args.In(dialect, users.Cast<object>())}")
            + (from is null ? "" : $" AND {date} > {args.Add(from)}")
            + $" AND {date} <= {args.Add(to)} AND {saved} IS {(locking ? "" : "NOT ")}NULL";
        var first = new SqlArgs();
        var earliest = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            $"SELECT MIN({date}) FROM {table}" + Where(first, after, through), first.Parameters, transaction, cancellationToken: ct));
        var changed = 0;
        var from = after;
        for (var month = earliest; month is not null && string.CompareOrdinal(month, through) <= 0; month = NextMonth(month))
        {
            var to = MonthEnd(month) is { } end && string.CompareOrdinal(end, through) < 0 ? end : through;
            var args = new SqlArgs();
            var sql = locking
                ? $"UPDATE {table} SET {saved} = COALESCE({status}, {args.Add(form.Field(rule.StatusField)!.Default)}), {status} = '{PeriodLockRule.Locked}',"
                  + $" {Sql.Id("modified")} = {args.Add(now)}" + Where(args, from, to)
                : $"UPDATE {table} SET {status} = {saved}, {saved} = NULL, {Sql.Id("modified")} = {args.Add(now)}" + Where(args, from, to)
                  + $" AND NOT EXISTS (SELECT 1 FROM {Table} l WHERE l.partner_id = {args.Add(partnerId)} AND l.row_status = 'normal'"
                  + $" AND (l.user_id IS NULL OR l.user_id = {table}.{user}) AND l.enddate >= {table}.{date})";
            changed += await connection.ExecuteAsync(new CommandDefinition(sql, args.Parameters, transaction, cancellationToken: ct));
            from = to;
        }
        return changed;
    }

    /// <summary>The last day of the month of a <c>YYYY-MM-DD</c> date (null for anything else: the rest of the range in one statement).</summary>
    private static string? MonthEnd(string date) => FirstOfMonth(date) is { } first
        ? new DateOnly(first.Year, first.Month, DateTime.DaysInMonth(first.Year, first.Month)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
        : null;

    /// <summary>The first day of the next month (null for anything but a <c>YYYY-MM-DD</c> date: the loop ends).</summary>
    private static string? NextMonth(string date) => FirstOfMonth(date) is { } first && (first.Year, first.Month) != (9999, 12)
        ? first.AddMonths(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
        : null; // December 9999 is the calendar's last month

    private static DateOnly? FirstOfMonth(string date) =>
        DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? new DateOnly(day.Year, day.Month, 1) : null;
}
