using System.Text.Json;
using Worktime.Api.Accounts;
using Worktime.Api.Tests.Forms;
using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.TimeAccounting;

/// <summary>The /ttapi routes: privileges, partner isolation, parameters, the calendar rules and the shapes otta-cli reads.</summary>
[VariesWith(Vary.BackendAndCulture)]
public sealed class TtapiRoutesTests(FakeClockFixture fixture) : IClassFixture<FakeClockFixture>
{
    private readonly WorktimeApplication app = fixture.App;

    [Fact]
    public async Task NewWorktimeGroup_DefaultsToDailyMinutesMondayToFriday_AndThePartnersCountry()
    {
        var t = await Tenant.CreateAsync(app, [5]);

        var plain = await t.Admin.Client.CreateAsync("worktimegroups", "worktimegroup", new { name = "Plain" });
        var daily = await t.Admin.Client.CreateAsync("worktimegroups", "worktimegroup", new { name = "Eight", daily_minutes = 480, country = "SE" });

        string[] days = ["minutes_mon", "minutes_tue", "minutes_wed", "minutes_thu", "minutes_fri", "minutes_sat", "minutes_sun"];
        days.Select(d => plain.Minutes(d)).ShouldBe([450L, 450, 450, 450, 450, 0, 0]);
        days.Select(d => daily.Minutes(d)).ShouldBe([480L, 480, 480, 480, 480, 0, 0]);
        plain.GetProperty("country").GetString().ShouldBe("fi");
        daily.GetProperty("country").GetString().ShouldBe("se");
        using var bad = await t.Admin.Client.PostJsonAsync("/worktimegroups", new { worktimegroup = new { name = "X", country = "Finland" } });
        (await bad.ShouldBeErrorAsync(400, "validation_failed")).GetProperty("fields").GetProperty("country").GetString().ShouldNotBeNull();
    }

    [Fact]
    public async Task WorkdayDay_OverridesHolidayAndWeekday_OnePerGroupAndDate_AndAnUnknownCountryHasNoHolidays()
    {
        var t = await Tenant.CreateAsync(app, [5]);
        var fi = await Accounting.GroupAsync(t.Admin, new { name = "FI", country = "fi" });
        var nowhere = await Accounting.GroupAsync(t.Admin, new { name = "Nowhere", country = "zz" });
        // Christmas Eve 2026 is a Thursday: a short day; Epiphany worked in full by decision; a Saturday made a working day.
        var eve = (await t.Admin.Client.CreateAsync("workdaydays", "workdayday", new { worktimegroup = fi, date = "2026-12-24", name = "Jouluaatto", minutes = 240 })).Id();
        var epiphany = (await t.Admin.Client.CreateAsync("workdaydays", "workdayday", new { worktimegroup = fi, date = "2026-01-06", minutes = 450 })).Id();
        var saturday = (await t.Admin.Client.CreateAsync("workdaydays", "workdayday", new { worktimegroup = fi, date = "2026-12-19", name = "Inventory", minutes = 300 })).Id();
        using var twice = await t.Admin.Client.PostJsonAsync("/workdaydays", new { workdayday = new { worktimegroup = fi, date = "2026-12-24", minutes = 0 } });

        var december = await t.Admin.Client.ReadAsync($"/ttapi/workdayCalendar/workdayDays?date=2026-12-01_2026-12-31&worktimegroup={fi}");
        var january = await t.Admin.Client.ReadAsync($"/1.1/ttapi/workdayCalendar/workdayDays?date=2026-01-06&worktimegroup={fi}");
        var none = await t.Admin.Client.ReadAsync($"/ttapi/workdayCalendar/workdayDays?date=2026-01-01_2026-12-31&worktimegroup={nowhere}");

        (await twice.ShouldBeErrorAsync(400, "validation_failed")).GetProperty("fields").GetProperty("date").GetString().ShouldNotBeNull();
        december.GetProperty("workdayDays").EnumerateArray()
            .Select(d => (d.GetProperty("id").ValueKind == JsonValueKind.Null ? 0 : d.Id(), d.GetProperty("date").GetString(), d.Minutes("minutes"), d.Minutes("expected_minutes")))
            .ShouldBe([(saturday, "2026-12-19", -300L, 300L), (eve, "2026-12-24", 210, 240), (0, "2026-12-25", 450, 0)],
                "Independence Day (6th) and Boxing Day (26th) fall on a weekend: no difference, not listed");
        january.GetProperty("count").GetInt32().ShouldBe(0, $"workday day {epiphany} makes Epiphany an ordinary day");
        none.GetRawText().ShouldBe("""{"workdayDays":[],"count":0}""");
    }

    [Fact]
    public async Task Saldo_WorkerReadsOnlyOwn_SupervisorReadsAnyone_OtherPartnerIs404()
    {
        var t = await Tenant.CreateAsync(app, [1, 2, 3], otherWorker: true);
        var other = await Tenant.CreateAsync(app, [1]);

        using var own = await t.Worker.Client.GetAsync("/ttapi/saldo/get_current_saldo");
        using var ownSelf = await t.Worker.Client.GetAsync("/1.1/ttapi/saldo/get_current_saldo?userid=self&date=2026-11-01");
        using var colleague = await t.Foreman.Client.GetAsync($"/ttapi/saldo/get_current_saldo?userid={t.OtherWorker.Id}");
        using var supervised = await t.Supervisor.Client.GetAsync($"/ttapi/saldo/daily?userid={t.OtherWorker.Id}&date=2026-11-01_2026-11-02");
        using var foreign = await t.Supervisor.Client.GetAsync($"/ttapi/saldo/get_current_saldo?userid={other.Worker.Id}");
        using var anonymous = await app.CreateClient().GetAsync("/ttapi/saldo/get_current_saldo");

        // Created on 2026-11-02 (the test clock): the balance starts that day; "to" defaults to yesterday.
        (await own.ShouldBeJsonAsync(200)).GetRawText().ShouldBe("""{"saldo":0,"from":"2026-11-02","to":"2026-11-01","worked_minutes":0,"absence_minutes":0,"correction_minutes":0,"expected_minutes":0,"initial_minutes":0}""");
        (await ownSelf.ShouldBeJsonAsync(200)).GetProperty("to").GetString().ShouldBe("2026-11-01");
        await colleague.ShouldBeErrorAsync(403, "forbidden");
        var days = (await supervised.ShouldBeJsonAsync(200)).GetProperty("days");
        days.EnumerateArray().Select(d => d.GetProperty("counted").GetBoolean()).ShouldBe([false, true]);
        await foreign.ShouldBeErrorAsync(404, "not_found");
        ((int)anonymous.StatusCode).ShouldBe(401);
    }

    [Theory]
    [InlineData("/ttapi/saldo/get_current_saldo?userid=abc", "invalid_filter")]
    [InlineData("/ttapi/saldo/get_current_saldo?date=2026-13-01", "invalid_filter")]
    [InlineData("/ttapi/saldo/get_current_saldo?user=1", "invalid_filter")]
    [InlineData("/ttapi/saldo/daily?date=2026-02-01_2026-01-01", "invalid_filter")]
    [InlineData("/ttapi/saldo/daily?date=2000-01-01_2026-01-01", "invalid_filter")]
    [InlineData("/ttapi/saldo/daily", "invalid_filter")]
    [InlineData("/ttapi/workdayCalendar/workdayDays?date=2026-01-01&worktimegroup=x", "invalid_filter")]
    [InlineData("/ttapi/workdayCalendar/workdayDays?date=x_y&worktimegroup=1", "invalid_filter")]
    [InlineData("/ttapi/absence/split?enddate=2026-01-01", "invalid_filter")]
    [InlineData("/ttapi/absence/split?startdate=2026-01-01&order=password", "invalid_filter")]
    [InlineData("/ttapi/absence/split?startdate=2026-01-01&sideload[]=description", "invalid_filter")]
    [InlineData("/ttapi/absence/split?startdate=2026-01-01&startdate=2026-01-02", "invalid_filter")]
    public async Task BadParameters_Are400WithAClearError(string path, string error)
    {
        var t = await Tenant.CreateAsync(app, [5]);

        using var response = await t.Admin.Client.GetAsync(path);

        await response.ShouldBeErrorAsync(400, error);
    }

    [Fact]
    public async Task WorkdayDays_OfAnotherPartnersGroup_Is404_AndWithoutAGroupIs400()
    {
        var a = await Tenant.CreateAsync(app, [5]);
        var b = await Tenant.CreateAsync(app, [5]);
        var theirs = await Accounting.GroupAsync(a.Admin, new { name = "Theirs" });

        using var foreign = await b.Admin.Client.GetAsync($"/ttapi/workdayCalendar/workdayDays?date=2026-01-01_2026-01-31&worktimegroup={theirs}");
        using var missing = await b.Admin.Client.GetAsync("/ttapi/workdayCalendar/workdayDays?date=2026-01-01_2026-01-31");

        await foreign.ShouldBeErrorAsync(404, "not_found");
        await missing.ShouldBeErrorAsync(400, "invalid_filter");
    }

    [Fact]
    public async Task AbsenceSplit_FollowsTheAbcenseReadScope_SortsAndSideloadsLikeFindAll()
    {
        var t = await Tenant.CreateAsync(app, [1, 2, 5], otherWorker: true);
        var b = await Tenant.CreateAsync(app, [5]);
        var group = await Accounting.GroupAsync(t.Admin, new { name = "FI", country = "fi" });
        await Accounting.SetUserAsync(t.Admin, t.Worker.Id, group, "2026-01-01");
        await Accounting.SetUserAsync(t.Admin, t.OtherWorker.Id, group, "2026-01-01");
        var sick = await Accounting.AbsenceTypeAsync(t.Admin, "Sick", "days");
        var doctor = await Accounting.AbsenceTypeAsync(t.Admin, "Doctor", "both");
        var mine = await Accounting.AbsenceAsync(t.Admin, new { user = t.Worker.Id, abcensetype = sick, startdate = "2026-01-05", enddate = "2026-01-07" });
        var visit = await Accounting.AbsenceAsync(t.Admin, new { user = t.Worker.Id, abcensetype = doctor, startdate = "2026-01-08", starttime = "08:00", endtime = "09:15" });
        var theirs = await Accounting.AbsenceAsync(t.Admin, new { user = t.OtherWorker.Id, abcensetype = sick, startdate = "2026-01-05" });
        await Accounting.AbsenceAsync(b.Admin, new { user = b.Admin.Id, startdate = "2026-01-05" });

        var worker = await t.Worker.Client.ReadAsync("/ttapi/absence/split?startdate=2026-01-06&enddate=2026-01-31&user=self&order=starttime,endtime&sideload[]=abcensetype.name");
        var asksOther = await t.Worker.Client.ReadAsync($"/ttapi/absence/split?startdate=2026-01-01&enddate=2026-01-31&user={t.OtherWorker.Id}");
        var foreman = await t.Foreman.Client.ReadAsync("/1.1/ttapi/absence/split?startdate=2026-01-05&enddate=2026-01-05&order=-user&sideload=true");

        // Epiphany (6th) is a day off: the sick day counts 0 there. The doctor's visit is hour-based (75 min).
        worker.GetRawText().ShouldBe($$"""{"abcenses":[{"id":{{mine}},"date":"2026-01-06","user":{{t.Worker.Id}},"abcensetype":{{sick}},"absence_hours":0,"minutes":0,"starttime":null,"endtime":null},{"id":{{mine}},"date":"2026-01-07","user":{{t.Worker.Id}},"abcensetype":{{sick}},"absence_hours":7.5,"minutes":450,"starttime":null,"endtime":null},{"id":{{visit}},"date":"2026-01-08","user":{{t.Worker.Id}},"abcensetype":{{doctor}},"absence_hours":1.25,"minutes":75,"starttime":"08:00","endtime":"09:15"}],"count":3,"abcensetypes":[{"id":{{sick}},"name":"Sick"},{"id":{{doctor}},"name":"Doctor"}]}""");
        asksOther.GetProperty("count").GetInt32().ShouldBe(0);
        foreman.GetProperty("abcenses").EnumerateArray().Select(r => r.Id()).ShouldBe([theirs, mine]);
        foreman.GetProperty("users").EnumerateArray().Select(r => r.Id()).Order().ShouldBe(new[] { t.Worker.Id, t.OtherWorker.Id }.Order());
        foreman.GetProperty("abcensetypes").EnumerateArray().Select(r => r.Id()).ShouldBe([sick]);
    }

    [Fact]
    public async Task SaldoCorrections_AreAudited_AndEmploymentsAreReadOnlyToTheirUser()
    {
        var t = await Tenant.CreateAsync(app, [1, 3, 4, 5]);
        var group = await Accounting.GroupAsync(t.Admin, new { name = "G" });
        var correction = await t.Supervisor.Client.CreateAsync("saldocorrections", "saldocorrection",
            new { user = t.Worker.Id, date = "2026-11-01", minutes = 120, description = "Travel day" });
        using (var edit = await t.Supervisor.Client.PutJsonAsync($"/saldocorrections/{correction.Id()}", new { saldocorrection = new { minutes = 90 } }))
        {
            await edit.ShouldBeJsonAsync(200);
        }
        using (var remove = await t.Supervisor.Client.DeleteAsync($"/saldocorrections/{correction.Id()}"))
        {
            await remove.ShouldBeJsonAsync(200);
        }
        var employment = await t.Manager.Client.CreateAsync("employments", "employment", new { user = t.Worker.Id, worktimegroup = group, valid_from = "2026-01-01" });
        using var noDescription = await t.Supervisor.Client.PostJsonAsync("/saldocorrections", new { saldocorrection = new { user = t.Worker.Id, date = "2026-11-01", minutes = 5 } });

        var records = await app.Service<AuditLog>().QueryAsync(0, t.Supervisor.Username, 100);
        records.Where(r => r.Event == AuditEvents.SaldoCorrection).Select(r => r.Detail).ShouldBe([
            $"saldocorrection {correction.Id()} created: user {t.Worker.Id}, date 2026-11-01, minutes 120",
            $"saldocorrection {correction.Id()} updated: user {t.Worker.Id}, date 2026-11-01, minutes 90",
            $"saldocorrection {correction.Id()} removed: user {t.Worker.Id}, date 2026-11-01, minutes 90",
        ]);
        var own = await t.Worker.Client.ReadAsync($"/employments/{employment.Id()}");
        own.GetProperty("employment").GetProperty("row_info").GetProperty("privilege_edit").GetBoolean().ShouldBeFalse();
        own.GetProperty("employment").GetProperty("percent").GetDouble().ShouldBe(100);
        (await noDescription.ShouldBeErrorAsync(400, "validation_failed")).GetProperty("fields").GetProperty("description").GetString().ShouldNotBeNull();
    }

    [Fact]
    public async Task FormsMetadata_DescribesTheNewFields()
    {
        var t = await Tenant.CreateAsync(app, [1]);

        var workdayday = await t.Worker.Client.ReadAsync("/forms/workdayday");
        var abcensetype = await t.Worker.Client.ReadAsync("/forms/abcensetype");

        workdayday.GetRawText().ShouldContain("\"worktimegroup\"");
        abcensetype.GetRawText().ShouldContain("\"paid\"");
        abcensetype.GetRawText().ShouldContain("\"checkbox\"");
    }
}
