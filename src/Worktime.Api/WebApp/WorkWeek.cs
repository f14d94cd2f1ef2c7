using System.Globalization;
using Worktime.Api.Forms;
using Worktime.Api.TimeAccounting;
using Worktime.Api.WebApp.Localization;
using Worktime.Api.Http;

namespace Worktime.Api.WebApp;

/// <summary>A worktime as the week page shows it, with what the page's user may do with it (the API's own answer).</summary>
internal sealed record WeekRow(StoredRow Row, RowPrivileges Can)
{
    internal DateOnly Date => Row.Date("date") ?? default;

    internal long Minutes => Row.Long("work_hours") ?? 0;

    /// <summary>A timer still running: a start and no end.</summary>
    internal bool Running => Row.Text("starttime") is not null && Row.Text("endtime") is null;
}

/// <summary>
/// What the week page (<c>/app/week</c>) shows of one person's week, read as the page's user through the same
/// services as the API: the rows (<c>GET /worktimes</c> with sideloaded names), each day's expected, worked and
/// balance minutes (<c>GET /ttapi/saldo/daily</c>) and the named days off of the calendar
/// (<c>GET /ttapi/workdayCalendar/workdayDays</c>).
/// </summary>
public sealed class WorkWeek // public only as a component's parameter type; its members are the server's own
{
    private readonly Dictionary<(string Form, long Id), string> _names = [];

    private WorkWeek(long user, DateOnly monday)
    {
        User = user;
        Monday = monday;
    }

    internal long User { get; }

    internal DateOnly Monday { get; }

    internal DateOnly Sunday => Monday.AddDays(6);

    internal IEnumerable<DateOnly> Days => Enumerable.Range(0, 7).Select(Monday.AddDays);

    internal List<WeekRow> Rows { get; } = [];

    /// <summary>The balance routes' day rows (expected, worked, absences, corrections, balance) by date.</summary>
    internal Dictionary<DateOnly, SaldoDayRow> Ledger { get; private set; } = [];

    /// <summary>Public holidays and company days off of the week by date, with their names.</summary>
    internal Dictionary<DateOnly, string> DaysOff { get; private set; } = [];

    /// <summary>What the API answered when a part could not be read (shown on the page; the rest still is).</summary>
    internal string? Error { get; private set; }

    internal IEnumerable<WeekRow> RowsOf(DateOnly day) => Rows.Where(r => r.Date == day);

    /// <summary>The name of a referenced row (a project, task, worktype) as findAll sideloaded it; "" when unset.</summary>
    internal string Name(string form, long? id) =>
        id is null ? "" : _names.GetValueOrDefault((form, id.Value)) ?? "#" + id.Value.ToString(CultureInfo.InvariantCulture);

    internal static async Task<WorkWeek> LoadAsync(PageForms forms, TimeAccountingApi accounting, long user, DateOnly monday, bool ownCalendar,
        CancellationToken ct)
    {
        var week = new WorkWeek(user, monday);
        var range = Formats.Iso(monday) + "_" + Formats.Iso(week.Sunday);
        var userText = user.ToString(CultureInfo.InvariantCulture);
        var found = await forms.FindEveryAsync("worktime", ("user", userText), ("date", range), ("order", "date,starttime"), ("sideload", "true"));
        if (found.Error is not null)
        {
            week.Error = found.Error.Description;
        }
        else
        {
            week.Rows.AddRange(found.Value.Rows.Select(r => new WeekRow(r, forms.Privileges("worktime", r))));
            week.AddNames(found.Value.Sideloads);
        }

        var daily = ApiAnswer.Read<SaldoDailyResponse>(await accounting.DailySaldoAsync(
            ApiAnswer.Query(("date", range), ("userid", userText)), ct));
        week.Ledger = daily.Value?.Days.ToDictionary(d => Formats.ParseIso(d.Date)!.Value) ?? [];
        week.Error ??= daily.Error?.Description;
        if (ownCalendar)
        {
            // The calendar of the caller's own worktime group; a user without one has no named days (the API's 400).
            var calendar = ApiAnswer.Read<WorkdayDaysResponse>(await accounting.WorkdayDaysAsync(ApiAnswer.Query(("date", range)), ct));
            week.DaysOff = calendar.Value?.WorkdayDays.Where(d => d.ExpectedMinutes == 0 && !string.IsNullOrEmpty(d.Name))
                .ToDictionary(d => Formats.ParseIso(d.Date)!.Value, d => d.Name!) ?? [];
        }
        return week;
    }

    private void AddNames(IEnumerable<FormSideload> sideloads)
    {
        foreach (var sideload in sideloads)
        {
            foreach (var row in sideload.Rows)
            {
                _names[(sideload.Target.Name, row.Id)] = string.Join(' ', sideload.Fields
                    .Select(f => Convert.ToString(row[f.Name], CultureInfo.InvariantCulture)).Where(t => !string.IsNullOrEmpty(t)));
            }
        }
    }

    /// <summary>The person's rows of [from, to] (what copying a day or a week reads).</summary>
    internal static async Task<Outcome<List<StoredRow>>> LoadRowsAsync(PageForms forms, long user, DateOnly from, DateOnly to)
    {
        var found = await forms.FindEveryAsync("worktime", ("user", user.ToString(CultureInfo.InvariantCulture)),
            ("date", Formats.Iso(from) + "_" + Formats.Iso(to)), ("order", "date,starttime"));
        return found.Error is not null ? found.Error : found.Value.Rows;
    }
}
