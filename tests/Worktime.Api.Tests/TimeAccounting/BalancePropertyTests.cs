using System.Globalization;
using System.Text.Json;
using CsCheck;
using PublicHoliday;
using Worktime.Api.Tests.Forms;

using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.TimeAccounting;

/// <summary>
/// Property-based (CsCheck): for random schedules, public holidays (Finland or a country without any), workday days,
/// an employment change, worktimes, absences (day- and hour-based, paid and unpaid) and corrections, stored through
/// the forms API, the /ttapi answers agree with each other and with an independent model of the calendar:
/// the saldo is the sum of the daily rows, and splitting then summing absences gives back each absence's total.
/// </summary>
[VariesWith(Vary.BackendAndCulture)]
public sealed class BalancePropertyTests(BalancePropertyFixture data) : IClassFixture<BalancePropertyFixture>
{
    private static readonly DateOnly WindowStart = new(2026, 3, 1); // March–April 2026: Good Friday and Easter Monday in Finland

    private const int WindowDays = 61;

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1819:Properties should not return arrays",
        Justification = "A generated test case, built once and only read.")]
    public sealed record Scenario(
        IReadOnlyList<int> Weekdays, bool Finland, int StartOffset, int Initial, IReadOnlyList<(int Day, int Quarters)> Overrides,
        (bool Present, int Day, int Percent) Employment, IReadOnlyList<(int Day, int Start, int Length)> Worktimes,
        IReadOnlyList<(int Day, int Days, int Kind, int Quarters)> Absences, IReadOnlyList<(int Day, int Minutes)> Corrections);

    private static readonly Gen<Scenario> Scenarios =
        from weekdays in Gen.Int[0, 40].Array[7]
        from finland in Gen.Bool
        from startOffset in Gen.Int[0, 20]
        from initial in Gen.Int[-600, 600]
        from overrides in Gen.Select(Gen.Int[0, WindowDays - 1], Gen.Int[0, 40]).Array[0, 4]
        from employment in Gen.Select(Gen.Bool, Gen.Int[0, WindowDays - 1], Gen.Int[1, 100])
        from worktimes in Gen.Select(Gen.Int[0, WindowDays - 1], Gen.Int[0, 80], Gen.Int[1, 40]).Array[0, 8]
        from absences in Gen.Select(Gen.Int[0, WindowDays - 1], Gen.Int[0, 4], Gen.Int[0, 3], Gen.Int[1, 32]).Array[0, 5]
        from corrections in Gen.Select(Gen.Int[0, WindowDays - 1], Gen.Int[-300, 300]).Array[0, 3]
        select new Scenario(weekdays.Select(q => q * 15).ToArray(), finland, startOffset, initial,
            overrides.DistinctBy(o => o.Item1).ToArray(), employment, worktimes, absences, corrections);

    [Fact]
    public async Task Saldo_IsTheSumOfTheDailyRows_AndSplitAbsencesSumBackToTheirTotals()
    {
        var admin = data.T.Admin;
        var types = new[]
        {
            await Accounting.AbsenceTypeAsync(admin, "Days paid", "days"),
            await Accounting.AbsenceTypeAsync(admin, "Days unpaid", "days", paid: false),
            await Accounting.AbsenceTypeAsync(admin, "Hours paid", "hours"),
            await Accounting.AbsenceTypeAsync(admin, "Hours unpaid", "hours", paid: false),
        };
        await Scenarios.SampleAsync(s => CheckAsync(admin, types, s), iter: 100, threads: 1, seed: null);
    }

    private static async Task CheckAsync(TenantUser admin, long[] types, Scenario s)
    {
        var group = await Accounting.GroupAsync(admin, new Dictionary<string, object>
        {
            ["name"] = "Random", ["country"] = s.Finland ? "fi" : "zz",
            ["minutes_mon"] = s.Weekdays[0], ["minutes_tue"] = s.Weekdays[1], ["minutes_wed"] = s.Weekdays[2],
            ["minutes_thu"] = s.Weekdays[3], ["minutes_fri"] = s.Weekdays[4], ["minutes_sat"] = s.Weekdays[5], ["minutes_sun"] = s.Weekdays[6],
        });
        var saldoStart = Day(s.StartOffset);
        var user = (await admin.Client.CreateAsync("users", "user", new Dictionary<string, object>
        {
            ["username"] = $"p{Guid.NewGuid():N}", ["worktimegroup"] = group, ["saldo_start"] = Text(saldoStart), ["saldo_initial"] = s.Initial,
        })).Id();
        foreach (var (day, quarters) in s.Overrides)
        {
            await admin.Client.CreateAsync("workdaydays", "workdayday", new { worktimegroup = group, date = Text(Day(day)), minutes = quarters * 15 });
        }
        if (s.Employment.Present)
        {
            await admin.Client.CreateAsync("employments", "employment",
                new { user, worktimegroup = group, valid_from = Text(Day(s.Employment.Day)), percent = s.Employment.Percent });
        }
        foreach (var (day, start, length) in s.Worktimes)
        {
            await Accounting.WorktimeAsync(admin, user, Text(Day(day)), Time(start * 15), Time((start * 15 + length * 15) % 1440));
        }
        var absenceIds = new List<long>();
        foreach (var (day, days, kind, quarters) in s.Absences)
        {
            absenceIds.Add(await Accounting.AbsenceAsync(admin, new Dictionary<string, object>
            {
                ["user"] = user, ["abcensetype"] = types[kind], ["startdate"] = Text(Day(day)), ["enddate"] = Text(Day(day + days)),
                ["absence_hours"] = quarters / 4.0,
            }));
        }
        foreach (var (day, minutes) in s.Corrections)
        {
            await admin.Client.CreateAsync("saldocorrections", "saldocorrection", new { user, date = Text(Day(day)), minutes, description = "Random" });
        }

        var last = Day(WindowDays - 1);
        var range = $"{Text(WindowStart)}_{Text(last)}";
        var saldo = await admin.Client.ReadAsync($"/ttapi/saldo/get_current_saldo?userid={user}&date={Text(last)}");
        var daily = (await admin.Client.ReadAsync($"/ttapi/saldo/daily?userid={user}&date={range}")).GetProperty("days").EnumerateArray().ToList();
        var split = (await admin.Client.ReadAsync($"/ttapi/absence/split?startdate={Text(WindowStart)}&enddate={Text(last)}&user={user}"))
            .GetProperty("abcenses").EnumerateArray().ToList();

        // The model: the calendar computed here, independently of the server's code.
        var expected = Enumerable.Range(0, WindowDays).ToDictionary(Day, d => ModelExpected(s, Day(d)));
        daily.Select(d => d.Minutes("expected_minutes")).ShouldBe(expected.Values, "expected minutes per day");
        var counted = daily.Where(d => d.GetProperty("counted").GetBoolean()).ToList();
        counted.Select(d => d.GetProperty("date").GetString()).ShouldBe(Enumerable.Range(s.StartOffset, WindowDays - s.StartOffset).Select(d => Text(Day(d))));
        saldo.Minutes("saldo").ShouldBe(s.Initial + counted.Sum(d => d.Minutes("balance_minutes")), "saldo = initial + Σ daily balances");
        saldo.Minutes("saldo").ShouldBe(daily[^1].Minutes("running_minutes"), "saldo = the last running balance");
        foreach (var (total, row) in new[] { ("worked_minutes", "worked_minutes"), ("absence_minutes", "absence_minutes"), ("correction_minutes", "correction_minutes"), ("expected_minutes", "expected_minutes") })
        {
            saldo.Minutes(total).ShouldBe(counted.Sum(d => d.Minutes(row)), total);
        }
        saldo.Minutes("worked_minutes").ShouldBe(s.Worktimes.Where(w => w.Day >= s.StartOffset).Sum(w => w.Length * 15L));
        saldo.Minutes("correction_minutes").ShouldBe(s.Corrections.Where(c => c.Day >= s.StartOffset).Sum(c => (long)c.Minutes));
        counted.Sum(d => d.Minutes("balance_minutes")).ShouldBe(counted.Sum(d =>
            d.Minutes("worked_minutes") + d.Minutes("absence_minutes") + d.Minutes("correction_minutes") - d.Minutes("expected_minutes")));

        for (var i = 0; i < s.Absences.Count; i++)
        {
            var (day, days, kind, quarters) = s.Absences[i];
            var rows = split.Where(r => r.Id() == absenceIds[i]).ToList();
            var inWindow = Enumerable.Range(day, days + 1).Where(d => d < WindowDays).Select(Day).ToList();
            rows.Select(r => r.GetProperty("date").GetString()).ShouldBe(inWindow.Select(Text), "one row per calendar day in the range");
            var total = kind >= 2 ? quarters * 15L : inWindow.Sum(d => expected[d]);
            rows.Sum(r => r.Minutes("minutes")).ShouldBe(total, $"absence {i} ({(kind >= 2 ? "hours" : "days")})");
        }
        var paid = split.Where(r => types.Take(1).Concat(types.Skip(2).Take(1)).Contains(r.GetProperty("abcensetype").GetInt64())
            && DateOnly.Parse(r.GetProperty("date").GetString()!, CultureInfo.InvariantCulture) >= saldoStart);
        paid.Sum(r => r.Minutes("minutes")).ShouldBe(saldo.Minutes("absence_minutes"), "paid split minutes = the saldo's absence minutes");
    }

    /// <summary>The calendar rules of docs/time-accounting.md, restated: workday day, else holiday (0), else weekday; scaled by the employment.</summary>
    private static long ModelExpected(Scenario s, DateOnly date)
    {
        var offset = date.DayNumber - WindowStart.DayNumber;
        var own = s.Overrides.Where(o => o.Day == offset).Select(o => (long?)o.Quarters * 15).FirstOrDefault();
        var minutes = own is { } m
            ? m
            : s.Finland && new FinlandPublicHoliday().PublicHolidays(date.Year).Any(h => DateOnly.FromDateTime(h) == date)
                ? 0
                : s.Weekdays[((int)date.DayOfWeek + 6) % 7];
        var percent = s.Employment.Present && offset >= s.Employment.Day ? s.Employment.Percent : 100;
        return (long)Math.Round(minutes * percent / 100.0, MidpointRounding.AwayFromZero);
    }

    private static DateOnly Day(int offset) => WindowStart.AddDays(offset);

    private static string Text(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Time(int minutes) => string.Create(CultureInfo.InvariantCulture, $"{minutes / 60:00}:{minutes % 60:00}");
}

/// <summary>
/// One partner's admin on the fake clock, with a request quota above what a hundred scenarios send (each stores a
/// calendar, rows and reads three routes: about thirty requests), so the quota is not what a run of the property finds.
/// </summary>
public sealed class BalancePropertyFixture : IAsyncLifetime
{
    public WorktimeApplication App { get; } = new(o =>
    {
        o.FakeClock = true;
        o.Settings["RateLimit:RequestsPerWindow"] = "100000";
    });

    public Tenant T { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await App.InitializeAsync();
        T = await Tenant.CreateAsync(App, [5]);
    }

    public Task DisposeAsync() => App.DisposeAsync().AsTask();
}
