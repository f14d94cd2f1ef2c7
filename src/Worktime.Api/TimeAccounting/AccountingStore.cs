using System.Globalization;
using Worktime.Api.Forms;
using Worktime.Api.Forms.Definitions;

namespace Worktime.Api.TimeAccounting;

/// <summary>The fields of a user the balance needs.</summary>
internal sealed record AccountUser(long Id, long? Group, DateOnly SaldoStart, long SaldoInitial);

/// <summary>
/// Reads the sources of time accounting through the forms engine's door (<see cref="FormRows.PartnerQuery"/>): every
/// live row of the caller's partner, whoever may read it — the balance routes decide themselves whose balance a
/// caller may see. One query per source over the whole range (worktimes and corrections summed per date by the
/// database), never one per day. Removed rows never count.
/// </summary>
internal sealed class AccountingStore(FormRows forms)
{
    /// <summary>Live users of the partner by id.</summary>
    public async Task<Dictionary<long, AccountUser>> UsersAsync(long partner, IReadOnlyCollection<long> ids, CancellationToken ct)
    {
        if (ids.Count == 0)
        {
            return [];
        }
        var rows = await forms.ListAsync(forms.PartnerQuery(BuiltInForms.User, partner).In("id", ids), ct);
        return rows.Select(r => new AccountUser(
                r.Id, r.Long("worktimegroup"),
                r.Date("saldo_start") ?? Date(r.Created[..10]),
                r.Long("saldo_initial") ?? 0))
            .ToDictionary(u => u.Id);
    }

    /// <summary>The calendars of <paramref name="users"/> over [from, to]: employments, groups, workday days (three queries).</summary>
    public async Task<Dictionary<long, UserCalendar>> CalendarsAsync(
        long partner, IReadOnlyCollection<AccountUser> users, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var ids = users.Select(u => u.Id).ToHashSet();
        var employments = users.Count == 0 ? [] : (await forms.ListAsync(EmploymentsQuery(partner, users, to), ct))
            .Where(r => r.Long("worktimegroup") is not null && r.Long("user") is { } user && ids.Contains(user))
            .Select(r => new EmploymentPeriod(r.Id, r.Long("user")!.Value, r.Long("worktimegroup")!.Value, r.Date("valid_from")!.Value,
                (decimal)(r.Double("percent") ?? 100)))
            .ToList();
        var groupIds = users.Select(u => u.Group).OfType<long>().Concat(employments.Select(e => e.Group)).Distinct().ToArray();
        var groups = await GroupCalendarsAsync(partner, groupIds, from, to, ct);
        return users.ToDictionary(u => u.Id, u => new UserCalendar(
            employments.Where(e => e.User == u.Id).ToList(),
            u.Group is { } g ? groups.GetValueOrDefault(g) : null,
            groups));
    }

    /// <summary>
    /// A few users' employments by the user index; many users' (a balance of everyone) as the partner's employments
    /// up to <paramref name="to"/>, kept for those users in memory: a list of nearly every user named in SQL
    /// narrows nothing, and the planners, seeing a user condition, took it for narrow (docs/forms.md, "Query plans").
    /// </summary>
    private FormQuery EmploymentsQuery(long partner, IReadOnlyCollection<AccountUser> users, DateOnly to)
    {
        var query = forms.PartnerQuery(BuiltInForms.Employment, partner).OnOrBefore("valid_from", to);
        return users.Count <= FewUsers ? query.In("user", users.Select(u => u.Id)).IsSet("worktimegroup") : query;
    }

    /// <summary>Up to this many users are named in SQL (SQLite binds such a list value by value).</summary>
    private const int FewUsers = 25;

    /// <summary>Groups of the partner (removed ones too: history keeps its schedule) with their workday days in [from, to].</summary>
    public async Task<Dictionary<long, GroupCalendar>> GroupCalendarsAsync(
        long partner, IReadOnlyCollection<long> ids, DateOnly from, DateOnly to, CancellationToken ct)
    {
        if (ids.Count == 0)
        {
            return [];
        }
        var schedules = (await forms.ListAsync(forms.PartnerQuery(BuiltInForms.Worktimegroup, partner).AnyStatus().In("id", ids), ct))
            .Select(Schedule)
            .ToList();
        var overrides = (await forms.ListAsync(forms.PartnerQuery(BuiltInForms.Workdayday, partner)
                .In("worktimegroup", ids).Between("date", from, to), ct))
            .Select(r => new WorkdayOverride(r.Id, r.Long("worktimegroup")!.Value, r.Date("date")!.Value, r.Text("name"), r.Long("minutes") ?? 0))
            .ToList();
        return schedules.ToDictionary(s => s.Id, s => new GroupCalendar(s,
            overrides.Where(o => o.Group == s.Id).ToDictionary(o => o.Date)));
    }

    /// <summary>
    /// Live absences that count, overlapping [from, to] (of one user, or of every user when null), with their type's
    /// mode and paid flag. An absence counts unless it is rejected or still pending (open, of a type that required
    /// approval when it was written), judged by the status it had before a period lock covered it
    /// (docs/time-accounting.md, "The balance").
    /// </summary>
    public async Task<List<AbsenceRecord>> AbsencesAsync(long partner, long? user, DateOnly from, DateOnly to, CancellationToken ct)
    {
        FormQuery Overlapping()
        {
            var query = forms.PartnerQuery(BuiltInForms.Abcense, partner).Overlapping("startdate", "enddate", from, to);
            return user is null ? query.IsSet("user") : query.Is("user", user.Value);
        }
        // A status set to locked by hand (not by a lock) closed the absence as decided, like accepted.
        var decided = await forms.ListAsync(Overlapping().StatusBeforeLocksIn([AbsenceApproval.Accepted, PeriodLockRule.Locked]), ct);
        var open = await forms.ListAsync(Overlapping().StatusBeforeLocksIn([AbsenceApproval.Open]).IsNot(AbsenceApproval.RequiredField, true), ct);
        var absences = decided.Concat(open).OrderBy(a => a.Id).ToList();
        // Its type as it is now, removed or not: a removed type still says what the absences booked under it were.
        var typeIds = absences.Select(a => a.Long("abcensetype")).OfType<long>().Distinct().ToList();
        var types = typeIds.Count == 0 ? [] : (await forms.ListAsync(forms.PartnerQuery(BuiltInForms.Abcensetype, partner).AnyStatus().In("id", typeIds), ct))
            .ToDictionary(t => t.Id);
        return absences.Select(a =>
            {
                var type = a.Long("abcensetype") is { } id ? types.GetValueOrDefault(id) : null;
                return new AbsenceRecord(a.Id, a.Long("user")!.Value, a.Long("abcensetype"), a.Date("startdate")!.Value, a.Date("enddate"),
                    a.Text("starttime"), a.Text("endtime"), a.Double("absence_hours"), type?.Text("type"), type?.Flag("paid") ?? true)
                {
                    Revised = a.Modified ?? a.Created,
                };
            })
            .ToList();
    }

    /// <summary>The user's worked minutes per date (non-removed worktimes, any status), summed by the database.</summary>
    public Task<Dictionary<DateOnly, long>> WorkedPerDayAsync(long partner, long user, DateOnly from, DateOnly to, CancellationToken ct) =>
        SumPerDayAsync(BuiltInForms.Worktime, "work_hours", partner, user, from, to, ct);

    /// <summary>The user's balance corrections per date, summed by the database.</summary>
    public Task<Dictionary<DateOnly, long>> CorrectionsPerDayAsync(long partner, long user, DateOnly from, DateOnly to, CancellationToken ct) =>
        SumPerDayAsync(BuiltInForms.Saldocorrection, "minutes", partner, user, from, to, ct);

    /// <summary>The users' worked minutes per user and date, summed by the database in one query.</summary>
    public Task<Dictionary<long, Dictionary<DateOnly, long>>> WorkedPerUserDayAsync(
        long partner, IReadOnlyCollection<long> users, DateOnly from, DateOnly to, CancellationToken ct) =>
        SumPerUserDayAsync(BuiltInForms.Worktime, "work_hours", partner, users, from, to, ct);

    /// <summary>The users' balance corrections per user and date, summed by the database in one query.</summary>
    public Task<Dictionary<long, Dictionary<DateOnly, long>>> CorrectionsPerUserDayAsync(
        long partner, IReadOnlyCollection<long> users, DateOnly from, DateOnly to, CancellationToken ct) =>
        SumPerUserDayAsync(BuiltInForms.Saldocorrection, "minutes", partner, users, from, to, ct);

    /// <summary>The users' worked minutes per user over [from, to] (one sum each, however long the range).</summary>
    public Task<Dictionary<long, long>> WorkedPerUserAsync(
        long partner, IReadOnlyCollection<long> users, DateOnly from, DateOnly to, CancellationToken ct) =>
        SumPerUserAsync(BuiltInForms.Worktime, "work_hours", partner, users, from, to, ct);

    /// <summary>The users' balance corrections per user over [from, to].</summary>
    public Task<Dictionary<long, long>> CorrectionsPerUserAsync(
        long partner, IReadOnlyCollection<long> users, DateOnly from, DateOnly to, CancellationToken ct) =>
        SumPerUserAsync(BuiltInForms.Saldocorrection, "minutes", partner, users, from, to, ct);

    private async Task<Dictionary<long, long>> SumPerUserAsync(
        FormDefinition form, string minutes, long partner, IReadOnlyCollection<long> users, DateOnly from, DateOnly to, CancellationToken ct)
    {
        if (users.Count == 0)
        {
            return [];
        }
        var query = forms.PartnerQuery(form, partner).In("user", users).Between("date", from, to);
        return (await forms.SumAsync(query, ["user"], [minutes], ct))
            .Where(g => g.KeyLong("user") is not null && g.Sums[minutes] is not null)
            .ToDictionary(g => g.KeyLong("user")!.Value, g => g.SumLong(minutes));
    }

    private async Task<Dictionary<long, Dictionary<DateOnly, long>>> SumPerUserDayAsync(
        FormDefinition form, string minutes, long partner, IReadOnlyCollection<long> users, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var result = new Dictionary<long, Dictionary<DateOnly, long>>();
        if (users.Count == 0)
        {
            return result;
        }
        var query = forms.PartnerQuery(form, partner).In("user", users).Between("date", from, to);
        foreach (var group in await forms.SumAsync(query, ["user", "date"], [minutes], ct))
        {
            if (group.KeyLong("user") is { } user && group.KeyText("date") is { } date && group.Sums[minutes] is not null)
            {
                if (!result.TryGetValue(user, out var days))
                {
                    result[user] = days = [];
                }
                days[Date(date)] = group.SumLong(minutes);
            }
        }
        return result;
    }

    private async Task<Dictionary<DateOnly, long>> SumPerDayAsync(
        FormDefinition form, string minutes, long partner, long user, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var query = forms.PartnerQuery(form, partner).Is("user", user).Between("date", from, to);
        return (await forms.SumAsync(query, ["date"], [minutes], ct))
            .Where(g => g.KeyText("date") is not null && g.Sums[minutes] is not null)
            .ToDictionary(g => Date(g.KeyText("date")!), g => g.SumLong(minutes));
    }

    private static GroupSchedule Schedule(StoredRow row)
    {
        var daily = row.Long("daily_minutes");
        var minutes = WeeklySchedule.WeekdayFields
            .Select((field, day) => row.Long(field) ?? WeeklySchedule.Default(day, daily))
            .ToList();
        return new GroupSchedule(row.Id, row.Text("country")?.ToLowerInvariant(), minutes);
    }

    public static string Text(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateOnly Date(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
