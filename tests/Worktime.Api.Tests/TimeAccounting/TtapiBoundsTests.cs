using PublicHoliday;
using Worktime.Api.Tests.Forms;
using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.TimeAccounting;

/// <summary>
/// The /ttapi routes and the balance's inputs at their bounds (docs/time-accounting.md, "Bounds"): dates at both ends of
/// the calendar answer correctly or 400, numbers outside their documented bounds are a 400 naming the field, the
/// percent scaling rounds exactly, list parameters are bounded, and the balance of a long history (computed in closed
/// form) agrees with the day-by-day ledger.
/// </summary>
[VariesWith(Vary.BackendAndCulture)]
public sealed class TtapiBoundsTests(FakeClockFixture fixture) : IClassFixture<FakeClockFixture>
{
    private readonly WorktimeApplication app = fixture.App;

    [Fact]
    public async Task DatesAtTheEndsOfTheCalendar_AnswerCorrectly_OnEveryRoute()
    {
        var t = await Tenant.CreateAsync(app, [1, 5], otherWorker: true);
        var admin = t.Admin.Client;
        var group = await Accounting.GroupAsync(t.Admin, new { name = "FI", country = "fi" });
        await Accounting.SetUserAsync(t.Admin, t.Worker.Id, group, "2026-01-01");
        // Someone whose balance starts on the first day of the calendar, absent (paid, day-based) until its last day.
        await Accounting.SetUserAsync(t.Admin, t.OtherWorker.Id, group, "0001-01-01", initial: 90);
        var leave = await Accounting.AbsenceTypeAsync(t.Admin, "Leave", "days");
        var forever = await Accounting.AbsenceAsync(t.Admin, new { user = t.OtherWorker.Id, abcensetype = leave, startdate = "0001-01-01", enddate = "9999-12-31" });

        var last = await admin.ReadAsync($"/ttapi/saldo/get_current_saldo?userid={t.Worker.Id}&date=9999-12-31");
        var lastDays = await admin.ReadAsync($"/ttapi/saldo/daily?userid={t.Worker.Id}&date=9999-12-01_9999-12-31");
        var firstDays = await admin.ReadAsync($"/ttapi/saldo/daily?userid={t.Worker.Id}&date=0001-01-01_0001-01-31");
        var calendarEnd = await admin.ReadAsync($"/ttapi/workdayCalendar/workdayDays?date=9999-12-25_9999-12-31&worktimegroup={group}");
        var calendarStart = await admin.ReadAsync($"/ttapi/workdayCalendar/workdayDays?date=0001-01-01&worktimegroup={group}");
        var always = await admin.ReadAsync($"/ttapi/saldo/get_current_saldo?userid={t.OtherWorker.Id}&date=9999-12-31");
        var alwaysFirst = await admin.ReadAsync($"/ttapi/saldo/get_current_saldo?userid={t.OtherWorker.Id}&date=0001-01-01");
        var splitEnd = await admin.ReadAsync($"/ttapi/absence/split?startdate=9999-12-30&enddate=9999-12-31&user={t.OtherWorker.Id}");
        var splitStart = await admin.ReadAsync($"/ttapi/absence/split?startdate=0001-01-01&user={t.OtherWorker.Id}");

        // Every weekday from 2026 to the end of 9999 expects 450, except Finland's public holidays (counted to 2199).
        var expected = ModelExpected(new DateOnly(2026, 1, 1), DateOnly.MaxValue);
        last.Minutes("expected_minutes").ShouldBe(expected);
        last.Minutes("saldo").ShouldBe(-expected);
        last.GetProperty("to").GetString().ShouldBe("9999-12-31");
        var days = lastDays.GetProperty("days").EnumerateArray().ToList();
        days.Count.ShouldBe(31);
        days[^1].GetProperty("date").GetString().ShouldBe("9999-12-31");
        days[^1].Minutes("running_minutes").ShouldBe(-expected, "the last running balance is the saldo");
        firstDays.GetProperty("days").EnumerateArray().ShouldAllBe(d => !d.GetProperty("counted").GetBoolean());
        calendarEnd.GetProperty("count").GetInt32().ShouldBe(0, "no public holidays are counted after 2199");
        calendarStart.GetProperty("count").GetInt32().ShouldBe(0);
        // Absent every day: each day's absence is its expected minutes, so only the carried-over minutes remain.
        always.Minutes("saldo").ShouldBe(90);
        always.Minutes("absence_minutes").ShouldBe(always.Minutes("expected_minutes"));
        always.Minutes("expected_minutes").ShouldBe(ModelExpected(DateOnly.MinValue, DateOnly.MaxValue));
        alwaysFirst.Minutes("saldo").ShouldBe(90);
        splitEnd.GetProperty("abcenses").EnumerateArray().Select(r => (r.Id(), r.GetProperty("date").GetString(), r.Minutes("minutes")))
            .ShouldBe([(forever, "9999-12-30", 450L), (forever, "9999-12-31", 450L)], "Thursday and Friday");
        splitStart.GetProperty("abcenses").EnumerateArray().Select(r => r.Minutes("minutes")).ShouldBe([450L], "0001-01-01 is a Monday");
    }

    [Theory]
    [InlineData("/ttapi/saldo/get_current_saldo?date=10000-01-01")]
    [InlineData("/ttapi/saldo/get_current_saldo?date=0000-12-31")]
    [InlineData("/ttapi/saldo/daily?date=9999-12-31_10000-01-01")]
    [InlineData("/ttapi/saldo/daily?date=0001-01-01_9999-12-31")]
    [InlineData("/ttapi/workdayCalendar/workdayDays?date=0001-01-01_9999-12-31&worktimegroup=1")]
    [InlineData("/ttapi/absence/split?startdate=0001-01-01&enddate=9999-12-31")]
    [InlineData("/ttapi/absence/split?startdate=9999-12-31&enddate=0001-01-01")]
    public async Task DatesOutsideTheCalendarOrRangesBeyondTheLimit_Are400(string path)
    {
        var t = await Tenant.CreateAsync(app, [5]);

        using var response = await t.Admin.Client.GetAsync(path);

        await response.ShouldBeErrorAsync(400, "invalid_filter");
    }

    [Fact]
    public async Task PercentScaling_RoundsHalfAwayFromZero_InExactDecimals()
    {
        var t = await Tenant.CreateAsync(app, [1, 5]);
        var group = await Accounting.GroupAsync(t.Admin, new { name = "Short", country = "zz", minutes_mon = 375, minutes_tue = 435 });
        await Accounting.SetUserAsync(t.Admin, t.Worker.Id, group, "2026-03-02");
        await t.Admin.Client.CreateAsync("employments", "employment", new { user = t.Worker.Id, worktimegroup = group, valid_from = "2026-03-02", percent = 75.6 });
        await t.Admin.Client.CreateAsync("employments", "employment", new { user = t.Worker.Id, worktimegroup = group, valid_from = "2026-03-03", percent = 50 });

        var days = (await t.Admin.Client.ReadAsync($"/ttapi/saldo/daily?userid={t.Worker.Id}&date=2026-03-02_2026-03-03")).GetProperty("days");
        var saldo = await Accounting.SaldoAsync(t.Admin.Client, t.Worker.Id, "2026-03-03");

        // 75.6 % of 375 is 283.5 → 284 (binary floating point gives 283.4999… → 283); 50 % of 435 is 217.5 → 218.
        days.EnumerateArray().Select(d => d.Minutes("expected_minutes")).ShouldBe([284L, 218L]);
        saldo.Minutes("expected_minutes").ShouldBe(502, "the closed-form sum rounds each day the same way");
    }

    [Theory]
    [InlineData("abcenses", "abcense", "absence_hours", 1e15)]
    [InlineData("abcenses", "abcense", "absence_hours", -5)]
    [InlineData("abcenses", "abcense", "absence_hours", 24.5)]
    [InlineData("worktimegroups", "worktimegroup", "minutes_mon", 1441)]
    [InlineData("worktimegroups", "worktimegroup", "daily_minutes", 100000)]
    [InlineData("workdaydays", "workdayday", "minutes", 1441)]
    [InlineData("employments", "employment", "percent", 100.5)]
    [InlineData("employments", "employment", "percent", -1)]
    [InlineData("saldocorrections", "saldocorrection", "minutes", 1e12)]
    [InlineData("users", "user", "saldo_initial", -1e12)]
    public async Task NumbersTheBalanceReads_OutsideTheirBounds_Are400NamingTheField_AndStoreNothing(string plural, string key, string field, double value)
    {
        var t = await Tenant.CreateAsync(app, [1, 5]);
        var group = await Accounting.GroupAsync(t.Admin, new { name = "G" });
        // Each form's required fields, valid, beside the one value out of bounds.
        var body = plural switch
        {
            "abcenses" => new Dictionary<string, object> { ["user"] = t.Worker.Id, ["startdate"] = "2026-03-02" },
            "worktimegroups" => new Dictionary<string, object> { ["name"] = "Out of bounds" },
            "workdaydays" => new Dictionary<string, object> { ["worktimegroup"] = group, ["date"] = "2026-03-02" },
            "employments" => new Dictionary<string, object> { ["user"] = t.Worker.Id, ["worktimegroup"] = group, ["valid_from"] = "2026-03-02" },
            "saldocorrections" => new Dictionary<string, object> { ["user"] = t.Worker.Id, ["date"] = "2026-03-02", ["description"] = "x" },
            _ => new Dictionary<string, object> { ["username"] = "bounded-" + Guid.NewGuid().ToString("N") },
        };
        body[field] = value;
        var before = await CountAsync(t.Admin.Client, plural);

        using var response = await t.Admin.Client.PostJsonAsync($"/{plural}", new Dictionary<string, object> { [key] = body });

        (await response.ShouldBeErrorAsync(400, "validation_failed")).GetProperty("fields").GetProperty(field).GetString().ShouldNotBeNullOrEmpty();
        (await CountAsync(t.Admin.Client, plural)).ShouldBe(before);
    }

    [Fact]
    public async Task DayMinutesAndAbsenceHours_AtTheirBounds_AreAccepted()
    {
        var t = await Tenant.CreateAsync(app, [1, 5]);
        var group = await Accounting.GroupAsync(t.Admin, new { name = "Round the clock", minutes_sun = 1440, daily_minutes = 0 });
        await t.Admin.Client.CreateAsync("workdaydays", "workdayday", new { worktimegroup = group, date = "2026-03-02", minutes = 1440 });
        await Accounting.AbsenceAsync(t.Admin, new { user = t.Worker.Id, startdate = "2026-03-03", absence_hours = 24 });
        await Accounting.SetUserAsync(t.Admin, t.Worker.Id, group, "2026-03-01");

        var days = (await t.Admin.Client.ReadAsync($"/ttapi/saldo/daily?userid={t.Worker.Id}&date=2026-03-01_2026-03-03")).GetProperty("days");

        days.EnumerateArray().Select(d => (d.Minutes("expected_minutes"), d.Minutes("absence_minutes"))).ShouldBe([(1440L, 0L), (1440, 0), (0, 1440)]);
    }

    [Fact]
    public async Task SplitOrder_IsBoundedLikeFindAll_AndARepeatedKeyAddsNothing()
    {
        var t = await Tenant.CreateAsync(app, [1, 5]);
        await Accounting.AbsenceAsync(t.Admin, new { user = t.Worker.Id, startdate = "2026-03-02", enddate = "2026-03-03" });
        await Accounting.AbsenceAsync(t.Admin, new { user = t.Admin.Id, startdate = "2026-03-02" });
        var many = string.Join(",", Enumerable.Repeat("-user", 1000));

        using var tooMany = await t.Admin.Client.GetAsync($"/ttapi/absence/split?startdate=2026-03-01&enddate=2026-03-31&order={many},id");
        using var sideloads = await t.Admin.Client.GetAsync("/ttapi/absence/split?startdate=2026-03-01&sideload[]=" + string.Join(",", Enumerable.Repeat("user.firstname", 1001)));
        var repeated = await t.Admin.Client.ReadAsync($"/ttapi/absence/split?startdate=2026-03-01&enddate=2026-03-31&order={string.Join(",", Enumerable.Repeat("-user", 999))}");
        var once = await t.Admin.Client.ReadAsync("/ttapi/absence/split?startdate=2026-03-01&enddate=2026-03-31&order=-user,user");

        (await tooMany.ShouldBeErrorAsync(400, "invalid_filter")).GetProperty("error_description").GetString()!.ShouldContain("order");
        (await sideloads.ShouldBeErrorAsync(400, "invalid_filter")).GetProperty("error_description").GetString()!.ShouldContain("sideload");
        var expected = new[] { Math.Max(t.Worker.Id, t.Admin.Id), Math.Min(t.Worker.Id, t.Admin.Id), t.Worker.Id };
        repeated.GetProperty("abcenses").EnumerateArray().Select(r => r.GetProperty("user").GetInt64()).ShouldBe(expected);
        once.GetProperty("abcenses").EnumerateArray().Select(r => r.GetProperty("user").GetInt64()).ShouldBe(expected, "the first mention of user decides");
    }

    [Fact]
    public async Task TenYearsOfHistory_TheClosedFormBalance_AgreesWithTheDayByDayLedger()
    {
        var t = await Tenant.CreateAsync(app, [1, 5]);
        var admin = t.Admin.Client;
        var fi = await Accounting.GroupAsync(t.Admin, new { name = "FI", country = "fi" });
        var fourDays = await Accounting.GroupAsync(t.Admin, new { name = "Four", country = "se", minutes_mon = 480, minutes_tue = 480, minutes_wed = 480, minutes_thu = 480, minutes_fri = 0 });
        await Accounting.SetUserAsync(t.Admin, t.Worker.Id, fi, "2016-01-01", initial: -120);
        await admin.CreateAsync("employments", "employment", new { user = t.Worker.Id, worktimegroup = fourDays, valid_from = "2019-06-15", percent = 80 });
        await admin.CreateAsync("employments", "employment", new { user = t.Worker.Id, worktimegroup = fi, valid_from = "2023-02-01", percent = 62.5 });
        await admin.CreateAsync("workdaydays", "workdayday", new { worktimegroup = fi, date = "2024-12-24", minutes = 0 });
        await admin.CreateAsync("workdaydays", "workdayday", new { worktimegroup = fourDays, date = "2020-02-08", minutes = 300 });
        var days = await Accounting.AbsenceTypeAsync(t.Admin, "Vacation", "days");
        var hours = await Accounting.AbsenceTypeAsync(t.Admin, "Doctor", "hours");
        var unpaid = await Accounting.AbsenceTypeAsync(t.Admin, "Unpaid", "days", paid: false);
        await Accounting.AbsenceAsync(t.Admin, new { user = t.Worker.Id, abcensetype = days, startdate = "2019-06-10", enddate = "2019-06-20" });
        await Accounting.AbsenceAsync(t.Admin, new { user = t.Worker.Id, abcensetype = hours, startdate = "2021-03-03", absence_hours = 2.75 });
        await Accounting.AbsenceAsync(t.Admin, new { user = t.Worker.Id, abcensetype = unpaid, startdate = "2022-01-03", enddate = "2022-01-07" });
        await Accounting.AbsenceAsync(t.Admin, new { user = t.Worker.Id, abcensetype = days, startdate = "2015-12-28", enddate = "2016-01-05" });
        await Accounting.WorktimeAsync(t.Admin, t.Worker.Id, "2016-01-04", "08:00", "16:00");
        await Accounting.WorktimeAsync(t.Admin, t.Worker.Id, "2020-02-08", "08:00", "13:30");
        await Accounting.WorktimeAsync(t.Admin, t.Worker.Id, "2025-12-31", "06:00", "22:00", pause: 30);
        await admin.CreateAsync("saldocorrections", "saldocorrection", new { user = t.Worker.Id, date = "2018-05-05", minutes = -777, description = "fix" });

        var walk = (await admin.ReadAsync($"/ttapi/saldo/daily?userid={t.Worker.Id}&date=2016-01-01_2025-12-31")).GetProperty("days").EnumerateArray().ToList();
        var later = (await admin.ReadAsync($"/ttapi/saldo/daily?userid={t.Worker.Id}&date=2025-12-30_2026-01-02")).GetProperty("days").EnumerateArray().ToList();
        var saldo = await Accounting.SaldoAsync(admin, t.Worker.Id, "2025-12-31");
        var midway = await Accounting.SaldoAsync(admin, t.Worker.Id, "2020-02-08");

        walk.Count.ShouldBe(3653);
        saldo.Minutes("saldo").ShouldBe(walk[^1].Minutes("running_minutes"), "closed form = the walk over every day");
        foreach (var part in new[] { "worked_minutes", "absence_minutes", "correction_minutes", "expected_minutes" })
        {
            saldo.Minutes(part).ShouldBe(walk.Sum(d => d.Minutes(part)), part);
        }
        midway.Minutes("saldo").ShouldBe(walk.Single(d => d.GetProperty("date").GetString() == "2020-02-08").Minutes("running_minutes"));
        later[1].Minutes("running_minutes").ShouldBe(saldo.Minutes("saldo"), "a range after the history opens with the closed-form balance");
        later[1].Minutes("worked_minutes").ShouldBe(930);
    }

    private static async Task<int> CountAsync(HttpClient client, string plural)
    {
        var dateFilter = plural switch
        {
            "abcenses" => "&startdate=0001-01-01_9999-12-31",
            "saldocorrections" or "workdaydays" => "&date=0001-01-01_9999-12-31",
            _ => "",
        };
        var rows = await client.ReadAsync($"/{plural}?limit=1000{dateFilter}");
        return rows.GetProperty(plural).GetArrayLength();
    }

    /// <summary>450 per weekday in [from, to] minus Finland's public holidays on weekdays in 1900–2199 (the server's window).</summary>
    private static long ModelExpected(DateOnly from, DateOnly to)
    {
        var holidays = Enumerable.Range(Math.Max(from.Year, 1900), Math.Min(to.Year, 2199) - Math.Max(from.Year, 1900) + 1)
            .SelectMany(y => new FinlandPublicHoliday().PublicHolidays(y))
            .Select(DateOnly.FromDateTime)
            .Where(d => d >= from && d <= to)
            .ToHashSet();
        long total = 0;
        for (var n = from.DayNumber; n <= to.DayNumber; n++)
        {
            var day = DateOnly.FromDayNumber(n);
            if (day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !holidays.Contains(day))
            {
                total += 450;
            }
        }
        return total;
    }
}
