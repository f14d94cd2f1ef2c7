using System.Text.Json;
using Worktime.Api.Tests.Forms;
using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.TimeAccounting;

/// <summary>The worked examples of docs/time-accounting.md, number for number, through HTTP.</summary>
[VariesWith(Vary.BackendAndCulture)]
public sealed class WorkedExamplesTests(FakeClockFixture fixture) : IClassFixture<FakeClockFixture>
{
    private readonly WorktimeApplication app = fixture.App;

    [Fact]
    public async Task Example1_JanuaryInFinland_NewYearAndEpiphanyAreDaysOff()
    {
        var t = await Tenant.CreateAsync(app, [1, 5]);
        var group = await Accounting.GroupAsync(t.Admin, new { name = "Office FI", country = "fi", daily_minutes = 450 });
        await Accounting.SetUserAsync(t.Admin, t.Worker.Id, group, "2026-01-01");
        var sick = await Accounting.AbsenceTypeAsync(t.Admin, "Sick leave", "days");
        await Accounting.AbsenceAsync(t.Admin, new { user = t.Worker.Id, abcensetype = sick, startdate = "2026-01-13", enddate = "2026-01-13" });
        foreach (var day in Accounting.Weekdays("2026-01-01", "2026-01-31").Except(["2026-01-01", "2026-01-06", "2026-01-13"]))
        {
            await Accounting.WorktimeAsync(t.Admin, t.Worker.Id, day, "08:00", day == "2026-01-14" ? "17:00" : "16:00", pause: 30);
        }

        var saldo = await Accounting.SaldoAsync(t.Worker.Client, t.Worker.Id, "2026-01-31");
        var holidays = await t.Worker.Client.ReadAsync($"/ttapi/workdayCalendar/workdayDays?date=2026-01-01_2026-01-31&worktimegroup={group}");

        saldo.GetRawText().ShouldBe("""{"saldo":60,"from":"2026-01-01","to":"2026-01-31","worked_minutes":8610,"absence_minutes":450,"correction_minutes":0,"expected_minutes":9000,"initial_minutes":0}""");
        holidays.GetRawText().ShouldBe("""{"workdayDays":[{"id":null,"date":"2026-01-01","name":"Uudenvuodenpäivä","minutes":450,"expected_minutes":0,"absence_minutes":0},{"id":null,"date":"2026-01-06","name":"Loppiainen","minutes":450,"expected_minutes":0,"absence_minutes":0}],"count":2}""");
    }

    [Fact]
    public async Task Example1b_AprilInFinland_GoodFridayAndEasterMondayAreDaysOff()
    {
        var t = await Tenant.CreateAsync(app, [1, 5]);
        var group = await Accounting.GroupAsync(t.Admin, new { name = "Office FI", country = "fi" });
        await Accounting.SetUserAsync(t.Admin, t.Worker.Id, group, "2026-04-01");

        var holidays = await t.Worker.Client.ReadAsync($"/ttapi/workdayCalendar/workdayDays?date=2026-04-01_2026-04-30&worktimegroup={group}");
        var saldo = await Accounting.SaldoAsync(t.Worker.Client, t.Worker.Id, "2026-04-30");

        holidays.GetProperty("workdayDays").EnumerateArray().Select(d => (d.GetProperty("date").GetString(), d.GetProperty("name").GetString(), d.Minutes("minutes")))
            .ShouldBe([("2026-04-03", "Pitkäperjantai", 450L), ("2026-04-06", "2. pääsiäispäivä", 450L)]);
        saldo.Minutes("expected_minutes").ShouldBe(20 * 450);
        saldo.Minutes("saldo").ShouldBe(-20 * 450);
    }

    [Fact]
    public async Task Example2_FourDayWeek_HalfTimeFromMidMonth_VacationOnTheFreeFridayCountsNothing()
    {
        var t = await Tenant.CreateAsync(app, [1, 5]);
        var group = await Accounting.GroupAsync(t.Admin, new { name = "Four days", country = "fi", daily_minutes = 480, minutes_fri = 0 });
        await Accounting.SetUserAsync(t.Admin, t.Worker.Id, null, "2026-02-01");
        await t.Admin.Client.CreateAsync("employments", "employment", new { user = t.Worker.Id, worktimegroup = group, valid_from = "2026-02-01" });
        await t.Admin.Client.CreateAsync("employments", "employment", new { user = t.Worker.Id, worktimegroup = group, valid_from = "2026-02-16", percent = 50 });
        var vacation = await Accounting.AbsenceTypeAsync(t.Admin, "Vacation", "days");
        var absence = await Accounting.AbsenceAsync(t.Admin, new { user = t.Worker.Id, abcensetype = vacation, startdate = "2026-02-05", enddate = "2026-02-06" });
        foreach (var day in new[] { "02", "03", "04", "09", "10", "11", "12" })
        {
            await Accounting.WorktimeAsync(t.Admin, t.Worker.Id, $"2026-02-{day}", "08:00", "16:00");
        }
        foreach (var day in new[] { "16", "17", "18", "19", "23", "24", "25", "26" })
        {
            await Accounting.WorktimeAsync(t.Admin, t.Worker.Id, $"2026-02-{day}", "08:00", "12:00");
        }

        var saldo = await Accounting.SaldoAsync(t.Worker.Client, t.Worker.Id, "2026-02-28");
        var split = await t.Worker.Client.ReadAsync("/ttapi/absence/split?startdate=2026-02-01&enddate=2026-02-28&user=self");

        saldo.GetRawText().ShouldBe("""{"saldo":0,"from":"2026-02-01","to":"2026-02-28","worked_minutes":5280,"absence_minutes":480,"correction_minutes":0,"expected_minutes":5760,"initial_minutes":0}""");
        split.GetRawText().ShouldBe($$"""{"abcenses":[{"id":{{absence}},"date":"2026-02-05","user":{{t.Worker.Id}},"abcensetype":{{vacation}},"absence_hours":8,"minutes":480,"starttime":null,"endtime":null},{"id":{{absence}},"date":"2026-02-06","user":{{t.Worker.Id}},"abcensetype":{{vacation}},"absence_hours":0,"minutes":0,"starttime":null,"endtime":null}],"count":2}""");
    }

    [Fact]
    public async Task Example3_HourBasedAbsences_PaidCountsAsWorked_UnpaidDoesNot()
    {
        var t = await Tenant.CreateAsync(app, [1, 5]);
        var group = await Accounting.GroupAsync(t.Admin, new { name = "Office FI", country = "fi", daily_minutes = 450 });
        await Accounting.SetUserAsync(t.Admin, t.Worker.Id, group, "2026-03-10");
        var doctor = await Accounting.AbsenceTypeAsync(t.Admin, "Doctor", "hours");
        var unpaid = await Accounting.AbsenceTypeAsync(t.Admin, "Unpaid leave", "hours", paid: false);
        await Accounting.AbsenceAsync(t.Admin, new { user = t.Worker.Id, abcensetype = doctor, startdate = "2026-03-10", starttime = "09:00", endtime = "11:30", absence_hours = 2.5 });
        await Accounting.AbsenceAsync(t.Admin, new { user = t.Worker.Id, abcensetype = unpaid, startdate = "2026-03-11", starttime = "13:00", endtime = "16:00", absence_hours = 3 });
        await Accounting.WorktimeAsync(t.Admin, t.Worker.Id, "2026-03-10", "11:30", "16:30");
        await Accounting.WorktimeAsync(t.Admin, t.Worker.Id, "2026-03-11", "08:00", "12:30");

        var daily = await t.Worker.Client.ReadAsync($"/ttapi/saldo/daily?userid={t.Worker.Id}&date=2026-03-10_2026-03-11");
        var saldo = await Accounting.SaldoAsync(t.Worker.Client, t.Worker.Id, "2026-03-11");

        daily.GetProperty("days").GetRawText().ShouldBe("""[{"date":"2026-03-10","expected_minutes":450,"worked_minutes":300,"absence_minutes":150,"unpaid_absence_minutes":0,"correction_minutes":0,"balance_minutes":0,"running_minutes":0,"counted":true},{"date":"2026-03-11","expected_minutes":450,"worked_minutes":270,"absence_minutes":0,"unpaid_absence_minutes":180,"correction_minutes":0,"balance_minutes":-180,"running_minutes":-180,"counted":true}]""");
        saldo.Minutes("saldo").ShouldBe(-180);
        saldo.Minutes("absence_minutes").ShouldBe(150);
    }

    [Fact]
    public async Task Example4_CarriedOverBalance_AndACorrection()
    {
        var t = await Tenant.CreateAsync(app, [1, 3, 5]);
        var group = await Accounting.GroupAsync(t.Admin, new { name = "Office FI", country = "fi", daily_minutes = 450 });
        await Accounting.SetUserAsync(t.Admin, t.Worker.Id, group, "2026-03-16", initial: 600);
        await t.Supervisor.Client.CreateAsync("saldocorrections", "saldocorrection",
            new { user = t.Worker.Id, date = "2026-03-16", minutes = -300, description = "Overtime paid out" });
        foreach (var day in Accounting.Weekdays("2026-03-16", "2026-03-20"))
        {
            await Accounting.WorktimeAsync(t.Admin, t.Worker.Id, day, "08:00", "16:30", pause: 30);
        }

        var saldo = await Accounting.SaldoAsync(t.Worker.Client, t.Worker.Id, "2026-03-20");
        var before = await Accounting.SaldoAsync(t.Worker.Client, t.Worker.Id, "2026-03-15");

        saldo.GetRawText().ShouldBe("""{"saldo":450,"from":"2026-03-16","to":"2026-03-20","worked_minutes":2400,"absence_minutes":0,"correction_minutes":-300,"expected_minutes":2250,"initial_minutes":600}""");
        before.GetRawText().ShouldBe("""{"saldo":600,"from":"2026-03-16","to":"2026-03-15","worked_minutes":0,"absence_minutes":0,"correction_minutes":0,"expected_minutes":0,"initial_minutes":600}""");
    }
}
