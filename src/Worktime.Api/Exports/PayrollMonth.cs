using System.Globalization;
using Worktime.Api.Auth;
using Worktime.Api.Forms;
using Worktime.Api.Forms.Definitions;
using Worktime.Api.TimeAccounting;

namespace Worktime.Api.Exports;

/// <summary>A balance correction of the month as the payroll sheet lists it.</summary>
internal sealed record PayrollCorrection(DateOnly Date, long Minutes, string? Description);

/// <summary>Minutes of one absence type in the month (paid: counted as worked for the balance).</summary>
internal sealed record PayrollAbsenceTotal(long? TypeId, string Name, bool Paid, long Minutes);

/// <summary>
/// One person's payroll month: the days exactly as <c>GET /ttapi/saldo/daily</c> gives them (the same
/// <see cref="BalanceBook"/> computation), the absence minutes per type, the corrections with their reasons.
/// </summary>
internal sealed record PayrollPerson(
    long Id, string Name, string? Username, string? EmployeeNumber, DateOnly SaldoStart, UserBalance Balance,
    IReadOnlyList<PayrollAbsenceTotal> AbsenceTotals, IReadOnlyList<PayrollCorrection> Corrections)
{
    public IReadOnlyList<LedgerDay> Days => Balance.Days;

    /// <summary>The running balance before the month's first day.</summary>
    public long OpeningBalance => Days.Count == 0 ? 0 : Days[0].Running - Days[0].Balance;

    public long MonthBalance => Days.Sum(d => d.Balance);

    public long ClosingBalance => Days.Count == 0 ? 0 : Days[^1].Running;
}

/// <summary>
/// Reads the payroll month of one person or of all of a partner's people (docs/exports.md, "Payroll"): whose sheet a
/// caller may read is decided by the caller (<see cref="ExportsApi"/>); this reads every live person of the partner
/// it is asked about, a handful of queries whatever their number.
/// </summary>
internal sealed class PayrollMonth(FormRows forms, AccountingStore store, BalanceBook book)
{
    /// <summary>The people's months, sorted by last name, first name, id; an id not of the partner is left out.</summary>
    public async Task<List<PayrollPerson>> ReadAsync(CurrentUser caller, DateOnly month, IReadOnlyCollection<long>? ids, CancellationToken ct)
    {
        var partner = caller.PartnerId;
        var first = new DateOnly(month.Year, month.Month, 1);
        var last = new DateOnly(month.Year, month.Month, DateTime.DaysInMonth(month.Year, month.Month));
        var query = forms.PartnerQuery(BuiltInForms.User, partner);
        var people = await forms.ListAsync(ids is null ? query : query.In("id", ids), ct);
        var users = await store.UsersAsync(partner, people.Select(p => p.Id).ToList(), ct);
        var balances = await book.BalancesAsync(partner, users.Values, first, last, ct);

        var typeIds = balances.Values.SelectMany(b => b.AbsenceDays).Select(d => d.Absence.Type).OfType<long>().Distinct().ToList();
        var typeNames = typeIds.Count == 0 ? [] : (await forms.ListAsync(forms.PartnerQuery(BuiltInForms.Abcensetype, partner).AnyStatus().In("id", typeIds), ct))
            .ToDictionary(t => t.Id, t => t.Text("name") ?? t.Id.ToString(CultureInfo.InvariantCulture));
        var correctionRows = users.Count == 0 ? [] : await forms.ListAsync(forms.PartnerQuery(BuiltInForms.Saldocorrection, partner)
                .In("user", users.Keys).Between("date", first, last).OrderBy("date"), ct);
        var corrections = correctionRows.ToLookup(r => r.Long("user")!.Value, r => new PayrollCorrection(r.Date("date")!.Value, r.Long("minutes") ?? 0, r.Text("description")));

        return people
            .Where(p => balances.ContainsKey(p.Id))
            .OrderBy(p => p.Text("lastname") ?? "", StringComparer.InvariantCulture)
            .ThenBy(p => p.Text("firstname") ?? "", StringComparer.InvariantCulture)
            .ThenBy(p => p.Id)
            .Select(p =>
            {
                var balance = balances[p.Id];
                var totals = balance.AbsenceDays
                    .GroupBy(d => d.Absence.Type)
                    .Select(g => new PayrollAbsenceTotal(g.Key,
                        g.Key is { } type ? typeNames.GetValueOrDefault(type, "?") : "(no type)", g.First().Absence.Paid, g.Sum(d => d.Minutes)))
                    .OrderBy(t => t.Name, StringComparer.Ordinal)
                    .ToList();
                return new PayrollPerson(p.Id, Name(p), p.Text("username"), p.Text("employee_number"), balance.User.SaldoStart, balance, totals,
                    corrections[p.Id].OrderBy(c => c.Date).ToList());
            })
            .ToList();
    }

    private static string Name(StoredRow user)
    {
        var name = $"{user.Text("firstname")} {user.Text("lastname")}".Trim();
        return name.Length > 0 ? name : user.Text("username") ?? user.Id.ToString(CultureInfo.InvariantCulture);
    }
}
