using Worktime.Api.Auth;
using Worktime.Api.Forms;
using Worktime.Api.Forms.Definitions;
using Worktime.Api.Http;

namespace Worktime.Api.TimeAccounting;

/// <summary>
/// The handlers of <see cref="TimeAccountingEndpoints"/> for one request. The caller (partner, user, level) comes
/// only from the access token; every query carries the caller's partner. See docs/time-accounting.md.
/// </summary>
internal sealed partial class TimeAccountingApi(
    CurrentUser caller, AccountingStore store, BalanceBook book, FormRows forms, FormRegistry registry, TimeProvider time)
{
    /// <summary>From this level a caller reads anyone's balance (the level that reads everyone's employments).</summary>
    private const int ReadOthersBalanceLevel = 3;

    public async Task<IResult> WorkdayDaysAsync(IQueryCollection query, CancellationToken ct)
    {
        var parsed = TtapiParameters.Parse(query, ["date", "worktimegroup"]);
        if (parsed.Error is not null)
        {
            return parsed.Error.ToResult();
        }
        var p = parsed.Value!;
        var range = p.Range("date");
        var groupParam = p.Id("worktimegroup", 0);
        if ((range.Error ?? groupParam.Error) is { } invalid)
        {
            return invalid.ToResult();
        }
        var (from, to) = range.Value;
        var me = (await store.UsersAsync(caller.PartnerId, [caller.UserId], ct)).GetValueOrDefault(caller.UserId);
        if ((groupParam.Value ?? me?.Group) is not { } groupId)
        {
            return ApiError.InvalidFilter("worktimegroup", "is required (you have no worktime group of your own)").ToResult();
        }
        if ((await store.GroupCalendarsAsync(caller.PartnerId, [groupId], from, to, ct)).GetValueOrDefault(groupId) is not { } group)
        {
            return ApiError.NoSuch("worktimegroup").ToResult();
        }
        var absence = me is null ? [] : await AbsenceMinutesPerDayAsync(me, from, to, ct);
        var rows = new List<WorkdayDayRow>();
        for (var n = from.DayNumber; n <= to.DayNumber; n++)
        {
            var day = DateOnly.FromDayNumber(n);
            var d = group.Day(day);
            if (d.ExpectedMinutes != d.WeekdayMinutes)
            {
                rows.Add(new WorkdayDayRow(d.WorkdaydayId, AccountingStore.Text(day), d.Name, d.WeekdayMinutes - d.ExpectedMinutes,
                    d.ExpectedMinutes, absence.GetValueOrDefault(day)));
            }
        }
        return Results.Json(new WorkdayDaysResponse(rows, rows.Count));
    }

    public async Task<IResult> CurrentSaldoAsync(IQueryCollection query, CancellationToken ct)
    {
        var parsed = TtapiParameters.Parse(query, ["userid", "date"]);
        if (parsed.Error is not null)
        {
            return parsed.Error.ToResult();
        }
        var p = parsed.Value!;
        var date = p.Date("date");
        if (date.Error is not null)
        {
            return date.Error.ToResult();
        }
        var user = await BalanceUserAsync(p, ct);
        if (user.Error is not null)
        {
            return user.Error.ToResult();
        }
        var u = user.Value!;
        var today = Today();
        var to = date.Value ?? (today == DateOnly.MinValue ? today : today.AddDays(-1));
        // Sums in closed form: a date in 9999 costs what a date next month does (docs/time-accounting.md, "Bounded work").
        var totals = await book.TotalsAsync(caller.PartnerId, u, to, ct);
        return Results.Json(new SaldoResponse(
            checked(u.SaldoInitial + totals.Balance), AccountingStore.Text(u.SaldoStart), AccountingStore.Text(to),
            totals.Worked, totals.Absence, totals.Correction, totals.Expected, u.SaldoInitial));
    }

    public async Task<IResult> DailySaldoAsync(IQueryCollection query, CancellationToken ct)
    {
        var parsed = TtapiParameters.Parse(query, ["userid", "date"]);
        if (parsed.Error is not null)
        {
            return parsed.Error.ToResult();
        }
        var p = parsed.Value!;
        var range = p.Range("date");
        if (range.Error is not null)
        {
            return range.Error.ToResult();
        }
        var (from, to) = range.Value;
        var user = await BalanceUserAsync(p, ct);
        if (user.Error is not null)
        {
            return user.Error.ToResult();
        }
        var u = user.Value!;
        // The running balance of the first day includes every counted day before it (an opening balance in closed form).
        var rows = (await LedgerAsync(u, from, to, ct))
            .Select(d => new SaldoDayRow(AccountingStore.Text(d.Date), d.Expected, d.Worked, d.Absence, d.UnpaidAbsence, d.Correction,
                d.Balance, d.Running, d.Counted))
            .ToList();
        return Results.Json(new SaldoDailyResponse(u.Id, AccountingStore.Text(u.SaldoStart), u.SaldoInitial, rows, rows.Count));
    }

    /// <summary>The user a balance route asks about: <c>userid</c> (default self); others' only from level 3.</summary>
    private async Task<Outcome<AccountUser>> BalanceUserAsync(TtapiParameters p, CancellationToken ct)
    {
        var requested = p.Id("userid", caller.UserId, selfAllowed: true);
        if (requested.Error is not null)
        {
            return requested.Error;
        }
        var userId = requested.Value ?? caller.UserId;
        if (userId != caller.UserId && caller.UserLevel < ReadOthersBalanceLevel)
        {
            return ApiError.Forbidden("You may only read your own balance.");
        }
        return (await store.UsersAsync(caller.PartnerId, [userId], ct)).GetValueOrDefault(userId) is { } user
            ? user
            : ApiError.NoSuch("user");
    }

    /// <summary>The user's ledger over [from, to]: the one balance computation the payroll exports use too.</summary>
    private async Task<IReadOnlyList<LedgerDay>> LedgerAsync(AccountUser user, DateOnly from, DateOnly to, CancellationToken ct) =>
        (await book.BalanceAsync(caller.PartnerId, user, from, to, ct)).Days;

    /// <summary>All of the user's absence minutes (paid or not) per day.</summary>
    private async Task<Dictionary<DateOnly, long>> AbsenceMinutesPerDayAsync(AccountUser user, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var calendar = (await store.CalendarsAsync(caller.PartnerId, [user], from, to, ct))[user.Id];
        var sums = new Dictionary<DateOnly, long>();
        foreach (var absence in await store.AbsencesAsync(caller.PartnerId, user.Id, from, to, ct))
        {
            foreach (var day in AbsenceSplitter.Split(absence, from, to, calendar.ExpectedMinutes))
            {
                sums[day.Date] = sums.GetValueOrDefault(day.Date) + day.Minutes;
            }
        }
        return sums;
    }

    private DateOnly Today() => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
}
