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
/// worked + paid absence + corrections − expected, and the running balance continues from <c>opening</c>: the
/// balance at the end of the day before <c>from</c> (<see cref="BalanceTotals"/> computes it without a walk over
/// those days). Sums are checked: an overflow is an error, never a wrapped number.
/// </summary>
internal static class Ledger
{
    public static List<LedgerDay> Days(LedgerSources sources, DateOnly saldoStart, long opening, DateOnly from, DateOnly to)
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
                sums[day.Date] = checked(sums.GetValueOrDefault(day.Date) + day.Minutes);
            }
        }

        var days = new List<LedgerDay>();
        var running = opening;
        // Counted by day number, so a range ending on 9999-12-31 never steps past the calendar's last day.
        for (var n = from.DayNumber; n <= to.DayNumber; n++)
        {
            var day = DateOnly.FromDayNumber(n);
            var counted = day >= saldoStart;
            var row = new LedgerDay(day, counted, Expected(day), sources.Worked.GetValueOrDefault(day), paid.GetValueOrDefault(day),
                unpaid.GetValueOrDefault(day), sources.Corrections.GetValueOrDefault(day), 0, 0);
            var balance = counted ? checked(row.Worked + row.Absence + row.Correction - row.Expected) : 0;
            running = checked(running + balance);
            days.Add(row with { Balance = balance, Running = running });
        }
        return days;
    }
}

/// <summary>
/// The sums of a user's balance over a span of days (<c>get_current_saldo</c>'s figures, a daily range's opening
/// balance), computed without a walk over the days: worked minutes and corrections summed by the database, expected
/// minutes and day-based absences per schedule period in closed form (<see cref="UserCalendar.ExpectedTotal"/>).
/// </summary>
internal sealed record BalanceTotals(long Worked, long Absence, long Correction, long Expected)
{
    public static readonly BalanceTotals None = new(0, 0, 0, 0);

    public long Balance => checked(Worked + Absence + Correction - Expected);

    /// <summary>The totals of one user over [first, last] (nothing when last is before first).</summary>
    public static BalanceTotals Of(UserCalendar calendar, long worked, IEnumerable<AbsenceRecord> absences, long corrections,
        DateOnly first, DateOnly last)
    {
        if (last < first)
        {
            return None;
        }
        long paid = 0;
        foreach (var absence in absences.Where(a => a.Paid))
        {
            paid = checked(paid + AbsenceSplitter.Total(absence, first, last, calendar));
        }
        return new BalanceTotals(worked, paid, corrections, calendar.ExpectedTotal(first, last));
    }
}
