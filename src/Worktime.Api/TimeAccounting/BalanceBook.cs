namespace Worktime.Api.TimeAccounting;

/// <summary>
/// One user's balance over a range: the days as <c>GET /ttapi/saldo/daily</c> answers them (running balance from the
/// balance's start, whatever the range's first day) and every absence day within the range (its type and minutes).
/// </summary>
internal sealed record UserBalance(AccountUser User, UserCalendar Calendar, IReadOnlyList<LedgerDay> Days, IReadOnlyList<AbsenceDay> AbsenceDays);

/// <summary>
/// The one computation of the hour balance (docs/time-accounting.md), for the balance routes and for the payroll
/// exports alike: the same sources, the same <see cref="Ledger"/>, the same absence split. Any number of users cost the
/// same handful of queries (calendars, worktimes and corrections summed per user and date, absences), never one per
/// user or per day.
/// </summary>
internal sealed class BalanceBook(AccountingStore store)
{
    /// <summary>
    /// The balances of <paramref name="users"/> (of <paramref name="partner"/>) over [from, to]. The days before
    /// <paramref name="from"/> enter only as each user's opening balance (<see cref="BalanceTotals"/>): the per-day work
    /// follows the range asked for, not the history behind it.
    /// </summary>
    public async Task<Dictionary<long, UserBalance>> BalancesAsync(
        long partner, IReadOnlyCollection<AccountUser> users, DateOnly from, DateOnly to, CancellationToken ct)
    {
        if (users.Count == 0)
        {
            return [];
        }
        var earliest = users.Select(u => u.SaldoStart < from ? u.SaldoStart : from).Min();
        var ids = users.Select(u => u.Id).ToList();
        var calendars = await store.CalendarsAsync(partner, users, earliest, to, ct);
        var worked = await store.WorkedPerUserDayAsync(partner, ids, from, to, ct);
        var corrections = await store.CorrectionsPerUserDayAsync(partner, ids, from, to, ct);
        var absences = (await store.AbsencesAsync(partner, ids.Count == 1 ? ids[0] : null, earliest, to, ct)).ToLookup(a => a.User);
        var history = users.Where(u => u.SaldoStart < from).ToList();
        var opening = history.Count == 0 ? [] : await TotalsAsync(partner, history, from.AddDays(-1), calendars, absences, ct);
        var result = new Dictionary<long, UserBalance>();
        foreach (var user in users)
        {
            var calendar = calendars[user.Id];
            var own = absences[user.Id].ToList();
            var sources = new LedgerSources(calendar, worked.GetValueOrDefault(user.Id) ?? [], own,
                corrections.GetValueOrDefault(user.Id) ?? []);
            var start = checked(user.SaldoInitial + (opening.TryGetValue(user.Id, out var before) ? before.Balance : 0));
            var days = Ledger.Days(sources, user.SaldoStart, start, from, to);
            var absenceDays = own.SelectMany(a => AbsenceSplitter.Split(a, from, to, calendar.ExpectedMinutes)).ToList();
            result[user.Id] = new UserBalance(user, calendar, days, absenceDays);
        }
        return result;
    }

    /// <summary>One user's balance over [from, to].</summary>
    public async Task<UserBalance> BalanceAsync(long partner, AccountUser user, DateOnly from, DateOnly to, CancellationToken ct) =>
        (await BalancesAsync(partner, [user], from, to, ct))[user.Id];

    /// <summary>
    /// One user's balance sums from <see cref="AccountUser.SaldoStart"/> through <paramref name="last"/> (nothing when
    /// that is before the start): a handful of queries and a closed-form calendar, whether it spans a month or 8,000 years.
    /// </summary>
    public async Task<BalanceTotals> TotalsAsync(long partner, AccountUser user, DateOnly last, CancellationToken ct)
    {
        if (last < user.SaldoStart)
        {
            return BalanceTotals.None;
        }
        var calendars = await store.CalendarsAsync(partner, [user], user.SaldoStart, last, ct);
        var absences = (await store.AbsencesAsync(partner, user.Id, user.SaldoStart, last, ct)).ToLookup(a => a.User);
        return (await TotalsAsync(partner, [user], last, calendars, absences, ct))[user.Id];
    }

    /// <summary>
    /// Each user's sums over [their saldo start, <paramref name="last"/>] (every user starts on or before it). One user:
    /// one sum per source. Several (the payroll month): worked minutes and corrections per user and date, kept from each
    /// user's own start.
    /// </summary>
    private async Task<Dictionary<long, BalanceTotals>> TotalsAsync(long partner, List<AccountUser> users, DateOnly last,
        Dictionary<long, UserCalendar> calendars, ILookup<long, AbsenceRecord> absences, CancellationToken ct)
    {
        var ids = users.Select(u => u.Id).ToList();
        Dictionary<long, long> worked, corrections;
        if (users.Count == 1)
        {
            worked = await store.WorkedPerUserAsync(partner, ids, users[0].SaldoStart, last, ct);
            corrections = await store.CorrectionsPerUserAsync(partner, ids, users[0].SaldoStart, last, ct);
        }
        else
        {
            var earliest = users.Min(u => u.SaldoStart);
            var starts = users.ToDictionary(u => u.Id, u => u.SaldoStart);
            long FromStart(long user, Dictionary<DateOnly, long> days) =>
                days.Where(d => d.Key >= starts[user]).Aggregate(0L, (sum, d) => checked(sum + d.Value));
            worked = (await store.WorkedPerUserDayAsync(partner, ids, earliest, last, ct)).ToDictionary(p => p.Key, p => FromStart(p.Key, p.Value));
            corrections = (await store.CorrectionsPerUserDayAsync(partner, ids, earliest, last, ct)).ToDictionary(p => p.Key, p => FromStart(p.Key, p.Value));
        }
        return users.ToDictionary(u => u.Id, u => BalanceTotals.Of(calendars[u.Id], worked.GetValueOrDefault(u.Id), absences[u.Id],
            corrections.GetValueOrDefault(u.Id), u.SaldoStart, last));
    }
}
