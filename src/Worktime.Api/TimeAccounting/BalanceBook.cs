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
    /// <summary>The balances of <paramref name="users"/> (of <paramref name="partner"/>) over [from, to].</summary>
    public async Task<Dictionary<long, UserBalance>> BalancesAsync(
        long partner, IReadOnlyCollection<AccountUser> users, DateOnly from, DateOnly to, CancellationToken ct)
    {
        if (users.Count == 0)
        {
            return [];
        }
        // Each user's running balance includes every counted day before the range: read from the earliest start.
        var earliest = users.Select(u => Start(u, from)).Min();
        var ids = users.Select(u => u.Id).ToList();
        var calendars = await store.CalendarsAsync(partner, users, earliest, to, ct);
        var worked = await store.WorkedPerUserDayAsync(partner, ids, earliest, to, ct);
        var corrections = await store.CorrectionsPerUserDayAsync(partner, ids, earliest, to, ct);
        var absences = (await store.AbsencesAsync(partner, ids.Count == 1 ? ids[0] : null, earliest, to, ct))
            .ToLookup(a => a.User);
        var result = new Dictionary<long, UserBalance>();
        foreach (var user in users)
        {
            var start = Start(user, from);
            var calendar = calendars[user.Id];
            var own = absences[user.Id].ToList();
            var sources = new LedgerSources(calendar, worked.GetValueOrDefault(user.Id) ?? [], own,
                corrections.GetValueOrDefault(user.Id) ?? []);
            var days = Ledger.Days(sources, user.SaldoStart, user.SaldoInitial, start, to).Where(d => d.Date >= from).ToList();
            var absenceDays = own.SelectMany(a => AbsenceSplitter.Split(a, from, to, calendar.ExpectedMinutes)).ToList();
            result[user.Id] = new UserBalance(user, calendar, days, absenceDays);
        }
        return result;
    }

    /// <summary>One user's balance over [from, to].</summary>
    public async Task<UserBalance> BalanceAsync(long partner, AccountUser user, DateOnly from, DateOnly to, CancellationToken ct) =>
        (await BalancesAsync(partner, [user], from, to, ct))[user.Id];

    private static DateOnly Start(AccountUser user, DateOnly from) => user.SaldoStart < from ? user.SaldoStart : from;
}
