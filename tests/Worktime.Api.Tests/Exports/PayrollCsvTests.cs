using System.Globalization;
using System.Net;
using System.Text.Json;
using Worktime.Api.Tests.Forms;
using Worktime.Api.Tests.Infrastructure;
using Worktime.Api.Tests.TimeAccounting;

namespace Worktime.Api.Tests.Exports;

/// <summary>
/// The payroll CSV read by Python's csv module: one line per person and wage type, under the codes an admin configured
/// as <c>wagetypes</c>; the minutes equal what <c>/ttapi/saldo/daily</c>, <c>/ttapi/absence/split</c> and
/// <c>GET /worktimes</c> answer for the same person and month; unmapped hours are listed, never dropped.
/// </summary>
[VariesWith(Vary.BackendAndCulture)]
public sealed class PayrollCsvTests(FakeClockFixture fixture) : IClassFixture<FakeClockFixture>
{
    private const string Csv = "text/csv";
    private static readonly string[] Header =
        ["employee_number", "user", "name", "period_start", "period_end", "wage_type", "wage_type_name", "hours", "minutes"];
    private readonly WorktimeApplication app = fixture.App;

    private sealed record Month(Tenant T, long Normal, long Travel, long Cleaning, long Holiday, long Doctor, long Unpaid);

    /// <summary>October 2026: worktimes of three worktypes and none, paid and unpaid absences, wage types for some of them.</summary>
    private async Task<Month> MonthAsync()
    {
        var t = await Tenant.CreateAsync(app, [1, 3, 5], otherWorker: true);
        var admin = t.Admin;
        var group = await Accounting.GroupAsync(admin, new { name = "FI", country = "fi" });
        await Accounting.SetUserAsync(admin, t.Worker.Id, group, "2026-09-01");
        await Accounting.SetUserAsync(admin, t.OtherWorker.Id, group, "2026-10-01");
        using (var named = await admin.Client.PutJsonAsync($"/users/{t.Worker.Id}",
            new { user = new { firstname = "Äijä", lastname = "Öhman", employee_number = "E-42" } }))
        {
            await named.ShouldBeJsonAsync(200);
        }
        var normal = await WorktypeAsync(admin, "Normal");
        var travel = await WorktypeAsync(admin, "Travel");
        var cleaning = await WorktypeAsync(admin, "Cleaning");
        await WorktimeAsync(admin, t.Worker.Id, "2026-10-01", "08:00", "16:30", 30, normal);
        await WorktimeAsync(admin, t.Worker.Id, "2026-10-02", "07:45", "17:10", 30, travel);
        await WorktimeAsync(admin, t.Worker.Id, "2026-10-03", "10:00", "13:00", 0, null); // a Saturday: all of it overtime
        await WorktimeAsync(admin, t.Worker.Id, "2026-10-05", "08:00", "15:00", 0, cleaning);
        await WorktimeAsync(admin, t.Worker.Id, "2026-11-02", "08:00", "16:00", 0, normal); // another month
        await WorktimeAsync(admin, t.OtherWorker.Id, "2026-10-06", "08:00", "16:00", 0, normal);
        var holiday = await Accounting.AbsenceTypeAsync(admin, "Vuosiloma", "days");
        var doctor = await Accounting.AbsenceTypeAsync(admin, "Lääkäri", "hours");
        var unpaid = await Accounting.AbsenceTypeAsync(admin, "Palkaton vapaa", "days", paid: false);
        await Accounting.AbsenceAsync(admin, new { user = t.Worker.Id, abcensetype = holiday, startdate = "2026-10-12", enddate = "2026-10-14" });
        await Accounting.AbsenceAsync(admin, new { user = t.Worker.Id, abcensetype = doctor, startdate = "2026-10-20", starttime = "09:00", endtime = "11:30" });
        await Accounting.AbsenceAsync(admin, new { user = t.Worker.Id, abcensetype = unpaid, startdate = "2026-10-26" });

        await WageTypeAsync(admin, new { code = "1001", name = "Tuntipalkka", kind = "worked" });
        await WageTypeAsync(admin, new { code = "1010", name = "Matka-aika", kind = "worked", worktype = travel });
        await WageTypeAsync(admin, new { code = "2010", name = "Vuosilomapalkka", kind = "absence", abcensetype = holiday });
        await WageTypeAsync(admin, new { code = "1200", name = "Ylityö 50 %", kind = "overtime" });
        return new Month(t, normal, travel, cleaning, holiday, doctor, unpaid);
    }

    [Fact]
    public async Task OwnMonth_OneLinePerWageType_MinutesEqualTheApis_UnmappedHoursListedWithoutACode()
    {
        var m = await MonthAsync();
        var w = m.T.Worker;

        var (bytes, fileName) = await w.Client.FileAsync("/exports/payroll/2026-10.csv", Csv);
        fileName.ShouldBe($"payroll_2026-10_user{w.Id}.csv");
        var csv = await IndependentReaders.CsvAsync(bytes);
        csv.GetProperty("bom").GetBoolean().ShouldBeTrue();
        var rows = csv.GetProperty("rows").EnumerateArray().Select(r => r.EnumerateArray().Select(c => c.GetString()!).ToArray()).ToList();
        rows[0].ShouldBe(Header);
        var lines = rows.Skip(1).ToList();
        lines.ShouldAllBe(l => l[0] == "E-42" && l[1] == w.Id.ToString(CultureInfo.InvariantCulture) && l[2] == "Äijä Öhman"
            && l[3] == "2026-10-01" && l[4] == "2026-10-31");

        // What the API answers for the same month, summed here.
        var worktimes = await w.Client.AllWorktimesAsync("date=2026-10-01_2026-10-31");
        long Worked(Func<JsonElement, bool> which) => worktimes.Where(which).Sum(x => x.WorkMinutes());
        long? TypeOf(JsonElement x) => x.GetProperty("worktype").ValueKind == JsonValueKind.Null ? null : x.GetProperty("worktype").GetInt64();
        var days = (await w.Client.ReadAsync("/ttapi/saldo/daily?date=2026-10-01_2026-10-31")).GetProperty("days").EnumerateArray().ToList();
        var overtime = days.Sum(d => Math.Max(0, d.GetProperty("worked_minutes").GetInt64() - d.GetProperty("expected_minutes").GetInt64()));
        var split = (await w.Client.ReadAsync("/ttapi/absence/split?startdate=2026-10-01&enddate=2026-10-31"))
            .GetProperty("abcenses").EnumerateArray().ToList();
        long Absent(long type) => split.Where(s => s.GetProperty("abcensetype").GetInt64() == type).Sum(s => s.GetProperty("minutes").GetInt64());

        var expected = new List<(string Code, string Name, long Minutes)>
        {
            ("1001", "Tuntipalkka", Worked(x => TypeOf(x) != m.Travel)), // the default: Normal, Cleaning and no worktype
            ("1010", "Matka-aika", Worked(x => TypeOf(x) == m.Travel)),
            ("1200", "Ylityö 50 %", overtime),
            ("2010", "Vuosilomapalkka", Absent(m.Holiday)),
            ("", "Absence (Lääkäri): no wage type", Absent(m.Doctor)),
            ("", "Absence (Palkaton vapaa): no wage type", Absent(m.Unpaid)),
        };
        lines.Select(l => (l[5], l[6], long.Parse(l[8], CultureInfo.InvariantCulture))).ShouldBe(expected);
        lines.ShouldAllBe(l => l[7] == Hours(long.Parse(l[8], CultureInfo.InvariantCulture)));

        // The data is what the lines should show: the sums are not empty by accident.
        expected.Select(e => e.Minutes).ShouldBe([480 + 180 + 420, 535, 30 + 85 + 180, 3 * 450, 150, 450]);
        days.Sum(d => d.GetProperty("worked_minutes").GetInt64()).ShouldBe(expected[0].Minutes + expected[1].Minutes, "worked lines hold every worked minute");
    }

    [Fact]
    public async Task WorkerReadsOnlyTheirOwn_AllIsEveryoneOfThePartner_AnotherPartnersIdIsNotFound()
    {
        var m = await MonthAsync();
        var t = m.T;
        var stranger = await Tenant.CreateAsync(app, [1, 5]);

        await t.Worker.Client.ErrorAsync($"/exports/payroll/2026-10.csv?user={t.OtherWorker.Id}", 403, "forbidden");
        await t.Worker.Client.ErrorAsync("/exports/payroll/2026-10.csv?all=true", 403, "forbidden");
        await t.Supervisor.Client.ErrorAsync($"/exports/payroll/2026-10.csv?user={stranger.Worker.Id}", 404, "not_found");

        var (bytes, fileName) = await t.Supervisor.Client.FileAsync("/exports/payroll/2026-10.csv?all=true&bom=false", Csv);
        fileName.ShouldBe("payroll_2026-10.csv");
        var csv = await IndependentReaders.CsvAsync(bytes);
        csv.GetProperty("bom").GetBoolean().ShouldBeFalse();
        var users = csv.GetProperty("rows").EnumerateArray().Skip(1).Select(r => r[1].GetString()).Distinct().ToList();
        users.ShouldBe([t.Worker.Id.ToString(CultureInfo.InvariantCulture), t.OtherWorker.Id.ToString(CultureInfo.InvariantCulture)],
            ignoreOrder: true, "people with hours in the month, and no one else's");
        var other = csv.GetProperty("rows").EnumerateArray().Skip(1).Where(r => r[1].GetString() == t.OtherWorker.Id.ToString(CultureInfo.InvariantCulture))
            .Select(r => (r[5].GetString(), r[8].GetString())).ToList();
        other.ShouldContain(("1001", "480"));
    }

    [Fact]
    public async Task WageTypes_AreWrittenByAdmins_NameOnlyWhatTheirKindMaps_EmployeeNumberIsNotTheWorkersToChange()
    {
        var t = await Tenant.CreateAsync(app, [1, 3, 5]);
        var worktype = await WorktypeAsync(t.Admin, "Normal");
        var absenceType = await Accounting.AbsenceTypeAsync(t.Admin, "Sick", "days");

        foreach (var (body, field) in new (object Body, string Field)[]
        {
            (new { code = "1200", kind = "overtime", worktype }, "worktype"),
            (new { code = "1200", kind = "absence", worktype }, "worktype"),
            (new { code = "1001", kind = "worked", abcensetype = absenceType }, "abcensetype"),
            (new { name = "No code", kind = "worked" }, "code"),
            (new { code = "9", kind = "bonus" }, "kind"),
        })
        {
            using var refused = await t.Admin.Client.PostJsonAsync("/wagetypes", new { wagetype = body });
            var error = await refused.ShouldBeJsonAsync(400);
            error.ToString().ShouldContain(field);
        }
        (await t.Admin.Client.ReadAsync("/wagetypes")).GetProperty("count").GetInt64().ShouldBe(0, "a refused write changes nothing");

        using (var byManager = await t.Supervisor.Client.PostJsonAsync("/wagetypes", new { wagetype = new { code = "1001", kind = "worked" } }))
        {
            await byManager.ShouldBeJsonAsync(403);
        }
        await WageTypeAsync(t.Admin, new { code = "2001", kind = "absence", abcensetype = absenceType });
        var read = await t.Worker.Client.ReadAsync("/wagetypes");
        read.GetProperty("wagetypes")[0].GetProperty("code").GetString().ShouldBe("2001", "everyone of the partner reads the codes");

        using (var own = await t.Worker.Client.PutJsonAsync($"/users/{t.Worker.Id}", new { user = new { employee_number = "E-1" } }))
        {
            await own.ShouldBeJsonAsync(403);
        }
        using (var byAdmin = await t.Admin.Client.PutJsonAsync($"/users/{t.Worker.Id}", new { user = new { employee_number = "E-1" } }))
        {
            (await byAdmin.ShouldBeJsonAsync(200)).GetProperty("user").GetProperty("employee_number").GetString().ShouldBe("E-1");
        }
    }

    [Theory]
    [InlineData("/exports/payroll/2026-10.csv?bom=maybe", "invalid_filter")]
    [InlineData("/exports/payroll/2026-10.pdf?bom=true", "invalid_filter")]
    [InlineData("/exports/payroll/2026-10.xlsx", "invalid_request")]
    [InlineData("/exports/payroll/2026-1.csv", "invalid_request")]
    public async Task BadRequests_Are400WithAReason(string path, string error)
    {
        var t = await Tenant.CreateAsync(app, [1, 5]);
        var body = await t.Admin.Client.ErrorAsync(path, 400, error);
        body.GetProperty("error_description").GetString().ShouldNotBeNullOrWhiteSpace();
    }

    private static async Task<long> WorktypeAsync(TenantUser admin, string name) =>
        (await admin.Client.CreateAsync("worktypes", "worktype", new { name })).Id();

    private static async Task WageTypeAsync(TenantUser admin, object body) =>
        await admin.Client.CreateAsync("wagetypes", "wagetype", body);

    private static Task<JsonElement> WorktimeAsync(TenantUser admin, long user, string date, string start, string end, int pause, long? worktype) =>
        admin.Client.CreateAsync("worktimes", "worktime", new { date, user, starttime = start, endtime = end, pause, worktype });

    /// <summary>Hours as the CSV writes them, computed here: a decimal with a point, at most two decimals, no trailing zeros.</summary>
    private static string Hours(long minutes) =>
        Math.Round(minutes / 60m, 2, MidpointRounding.AwayFromZero).ToString("0.##", CultureInfo.InvariantCulture);
}
