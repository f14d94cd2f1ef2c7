using System.Data.Common;
using System.Globalization;
using Dapper;
using Worktime.Api.Data;
using Worktime.Api.Forms.Hooks;
using Worktime.Api.Forms.Storage;

namespace Worktime.Api.TimeAccounting;

/// <summary>The fields of a user the balance needs.</summary>
internal sealed record AccountUser(long Id, long? Group, DateOnly SaldoStart, long SaldoInitial);

/// <summary>
/// Reads the sources of time accounting straight from the form tables: one query per source over the whole range
/// (worktimes and corrections summed per date by the database), never one per day. Removed rows never count.
/// </summary>
internal sealed class AccountingStore(Database database)
{
    public Task<DbConnection> OpenAsync(CancellationToken ct) => database.OpenAsync(ct);

    private static DbDialect DialectOf(DbConnection connection) =>
        connection is Npgsql.NpgsqlConnection ? DbDialect.Postgres : DbDialect.Sqlite;

    /// <summary>Live users of the partner by id.</summary>
    public static async Task<Dictionary<long, AccountUser>> UsersAsync(DbConnection connection, long partner, IReadOnlyCollection<long> ids, CancellationToken ct)
    {
        if (ids.Count == 0)
        {
            return [];
        }
        var args = new SqlArgs();
        var rows = await connection.QueryAsync(new CommandDefinition(
            $"SELECT id, worktimegroup, saldo_start, saldo_initial, created FROM users WHERE partner_id = {args.Add(partner)}"
            + $" AND id {args.In(DialectOf(connection), ids.Cast<object>())} AND row_status = 'normal'",
            args.Parameters, cancellationToken: ct));
        return rows.Cast<IDictionary<string, object?>>().Select(r => new AccountUser(
                Long(r["id"]), NullableLong(r["worktimegroup"]),
                Date(r["saldo_start"] as string ?? ((string)r["created"]!)[..10]),
                NullableLong(r["saldo_initial"]) ?? 0))
            .ToDictionary(u => u.Id);
    }

    /// <summary>The calendars of <paramref name="users"/> over [from, to]: employments, groups, workday days (three queries).</summary>
    public static async Task<Dictionary<long, UserCalendar>> CalendarsAsync(
        DbConnection connection, long partner, IReadOnlyCollection<AccountUser> users, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var args = new SqlArgs();
        var employments = users.Count == 0 ? [] : (await connection.QueryAsync(new CommandDefinition(
                $"SELECT id, user_id, worktimegroup, valid_from, percent FROM employments WHERE partner_id = {args.Add(partner)}"
                + $" AND user_id {args.In(DialectOf(connection), users.Select(u => (object)u.Id))}"
                + $" AND row_status = 'normal' AND valid_from <= {args.Add(Text(to))} AND worktimegroup IS NOT NULL",
                args.Parameters, cancellationToken: ct)))
            .Cast<IDictionary<string, object?>>()
            .Select(r => new EmploymentPeriod(Long(r["id"]), Long(r["user_id"]), Long(r["worktimegroup"]), Date((string)r["valid_from"]!),
                r["percent"] is null ? 100 : Convert.ToDouble(r["percent"], CultureInfo.InvariantCulture)))
            .ToList();
        var groupIds = users.Select(u => u.Group).OfType<long>().Concat(employments.Select(e => e.Group)).Distinct().ToArray();
        var groups = await GroupCalendarsAsync(connection, partner, groupIds, from, to, ct);
        return users.ToDictionary(u => u.Id, u => new UserCalendar(
            employments.Where(e => e.User == u.Id).ToList(),
            u.Group is { } g ? groups.GetValueOrDefault(g) : null,
            groups));
    }

    /// <summary>Groups of the partner (removed ones too: history keeps its schedule) with their workday days in [from, to].</summary>
    public static async Task<Dictionary<long, GroupCalendar>> GroupCalendarsAsync(
        DbConnection connection, long partner, IReadOnlyCollection<long> ids, DateOnly from, DateOnly to, CancellationToken ct)
    {
        if (ids.Count == 0)
        {
            return [];
        }
        var weekdays = string.Join(", ", WorktimegroupHooks.WeekdayFields);
        var args = new SqlArgs();
        var schedules = (await connection.QueryAsync(new CommandDefinition(
                $"SELECT id, country, daily_minutes, {weekdays} FROM worktimegroups WHERE partner_id = {args.Add(partner)}"
                + $" AND id {args.In(DialectOf(connection), ids.Cast<object>())}",
                args.Parameters, cancellationToken: ct)))
            .Cast<IDictionary<string, object?>>()
            .Select(Schedule)
            .ToList();
        args = new SqlArgs();
        var overrides = (await connection.QueryAsync(new CommandDefinition(
                $"SELECT id, worktimegroup, date, name, minutes FROM workdaydays WHERE partner_id = {args.Add(partner)}"
                + $" AND worktimegroup {args.In(DialectOf(connection), ids.Cast<object>())}"
                + $" AND row_status = 'normal' AND date >= {args.Add(Text(from))} AND date <= {args.Add(Text(to))}",
                args.Parameters, cancellationToken: ct)))
            .Cast<IDictionary<string, object?>>()
            .Select(r => new WorkdayOverride(Long(r["id"]), Long(r["worktimegroup"]), Date((string)r["date"]!), r["name"] as string,
                NullableLong(r["minutes"]) ?? 0))
            .ToList();
        return schedules.ToDictionary(s => s.Id, s => new GroupCalendar(s,
            overrides.Where(o => o.Group == s.Id).ToDictionary(o => o.Date)));
    }

    /// <summary>Live absences overlapping [from, to] (of one user, or of every user when null) with their type's mode and paid flag.</summary>
    public static async Task<List<AbsenceRecord>> AbsencesAsync(
        DbConnection connection, long partner, long? user, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var args = new SqlArgs();
        var rows = await connection.QueryAsync(new CommandDefinition(
            "SELECT a.id, a.user_id, a.abcensetype, a.startdate, a.enddate, a.starttime, a.endtime, a.absence_hours, t.type, t.paid"
            + " FROM abcenses a LEFT JOIN abcensetypes t ON t.partner_id = a.partner_id AND t.id = a.abcensetype"
            + $" WHERE a.partner_id = {args.Add(partner)} AND a.row_status = 'normal'"
            + (user is null ? " AND a.user_id IS NOT NULL" : $" AND a.user_id = {args.Add(user.Value)}")
            + $" AND a.startdate <= {args.Add(Text(to))} AND COALESCE(a.enddate, a.startdate) >= {args.Add(Text(from))}",
            args.Parameters, cancellationToken: ct));
        return rows.Cast<IDictionary<string, object?>>().Select(r => new AbsenceRecord(
                Long(r["id"]), Long(r["user_id"]), NullableLong(r["abcensetype"]), Date((string)r["startdate"]!),
                r["enddate"] is string end ? Date(end) : null, r["starttime"] as string, r["endtime"] as string,
                r["absence_hours"] is null ? null : Convert.ToDouble(r["absence_hours"], CultureInfo.InvariantCulture),
                r["type"] as string, r["paid"] is null || Long(r["paid"]) != 0))
            .ToList();
    }

    /// <summary>The user's worked minutes per date (non-removed worktimes, any status), summed by the database.</summary>
    public static Task<Dictionary<DateOnly, long>> WorkedPerDayAsync(
        DbConnection connection, long partner, long user, DateOnly from, DateOnly to, CancellationToken ct) =>
        SumPerDayAsync(connection, "SELECT date AS day, SUM(work_minutes) AS total FROM worktimes", partner, user, from, to, ct);

    /// <summary>The user's balance corrections per date, summed by the database.</summary>
    public static Task<Dictionary<DateOnly, long>> CorrectionsPerDayAsync(
        DbConnection connection, long partner, long user, DateOnly from, DateOnly to, CancellationToken ct) =>
        SumPerDayAsync(connection, "SELECT date AS day, SUM(minutes) AS total FROM saldocorrections", partner, user, from, to, ct);

    private static async Task<Dictionary<DateOnly, long>> SumPerDayAsync(
        DbConnection connection, string select, long partner, long user, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var rows = await connection.QueryAsync(new CommandDefinition(
            select + " WHERE partner_id = @partner AND user_id = @user AND row_status = 'normal' AND date >= @from AND date <= @to GROUP BY date",
            new { partner, user, from = Text(from), to = Text(to) }, cancellationToken: ct));
        return rows.Cast<IDictionary<string, object?>>()
            .Where(r => r["day"] is string && r["total"] is not null)
            .ToDictionary(r => Date((string)r["day"]!), r => Long(r["total"]));
    }

    private static GroupSchedule Schedule(IDictionary<string, object?> row)
    {
        var daily = NullableLong(row["daily_minutes"]) ?? WorktimegroupHooks.DefaultDailyMinutes;
        var minutes = WorktimegroupHooks.WeekdayFields
            .Select((field, day) => NullableLong(row[field]) ?? (day < 5 ? daily : 0))
            .ToList();
        return new GroupSchedule(Long(row["id"]), (row["country"] as string)?.ToLowerInvariant(), minutes);
    }

    public static string Text(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateOnly Date(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    // PostgreSQL sums BIGINT into NUMERIC (decimal) and SQLite into INTEGER: converting covers both.
    private static long Long(object? value) => Convert.ToInt64(value, CultureInfo.InvariantCulture);

    private static long? NullableLong(object? value) => value is null ? null : Long(value);
}
