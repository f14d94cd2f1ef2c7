namespace Worktime.Api.TimeAccounting;

/// <summary>One day of a user's balance. <see cref="Counted"/> is false before the balance's start date.</summary>
internal readonly record struct LedgerDay(
    DateOnly Date, bool Counted, long Expected, long Worked, long Absence, long UnpaidAbsence, long Correction, long Balance, long Running);

/// <summary>The sources of one user's balance over a range, each already summed per date by one query.</summary>
internal sealed record LedgerSources(
    UserCalendar Calendar,
    IReadOnlyDictionary<DateOnly, long> Worked,
    IReadOnlyList<AbsenceRecord> Absences,
    IReadOnlyDictionary<DateOnly, long> Corrections);

/// <summary>
/// The hour balance (docs/time-accounting.md): from the start date on, each day's balance is
/// worked + paid absence + corrections − expected, and the running balance starts at the carried-over minutes.
/// </summary>
internal static class Ledger
{
    public static List<LedgerDay> Days(LedgerSources sources, DateOnly saldoStart, long initial, DateOnly from, DateOnly to)
    {
        var expected = new Dictionary<DateOnly, long>();
        long Expected(DateOnly day)
        {
            if (!expected.TryGetValue(day, out var minutes))
            {
                expected[day] = minutes = sources.Calendar.ExpectedMinutes(day);
            }
            return minutes;
        }

        var paid = new Dictionary<DateOnly, long>();
        var unpaid = new Dictionary<DateOnly, long>();
        foreach (var absence in sources.Absences)
        {
            foreach (var day in AbsenceSplitter.Split(absence, from, to, Expected))
            {
                var sums = absence.Paid ? paid : unpaid;
                sums[day.Date] = sums.GetValueOrDefault(day.Date) + day.Minutes;
            }
        }

        var days = new List<LedgerDay>();
        var running = initial;
        for (var day = from; day <= to; day = day.AddDays(1))
        {
            var counted = day >= saldoStart;
            var row = new LedgerDay(day, counted, Expected(day), sources.Worked.GetValueOrDefault(day), paid.GetValueOrDefault(day),
                unpaid.GetValueOrDefault(day), sources.Corrections.GetValueOrDefault(day), 0, 0);
            var balance = counted ? row.Worked + row.Absence + row.Correction - row.Expected : 0;
            running += balance;
            days.Add(row with { Balance = balance, Running = running });
        }
        return days;
    }
}
