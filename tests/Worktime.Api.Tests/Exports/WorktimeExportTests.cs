using System.Globalization;
using System.Text.Json;
using Worktime.Api.Tests.Forms;
using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.Exports;

/// <summary>
/// <c>GET /exports/worktimes.csv|.xlsx</c> read by Python's csv module and openpyxl: one row per worktime the caller
/// may read, names beside ids, RFC 4180 with neutralised formulas, typed spreadsheet cells; totals equal the API's.
/// </summary>
[VariesWith(Vary.BackendAndCulture)]
public sealed class WorktimeExportTests(FakeClockFixture fixture) : IClassFixture<FakeClockFixture>
{
    private const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private static readonly string[] Header =
    [
        "id", "date", "user", "user_name", "project", "project_name", "task", "task_name", "worktype", "worktype_name",
        "customer", "customer_name", "starttime", "endtime", "pause_minutes", "minutes", "hours", "status", "description",
    ];

    private readonly WorktimeApplication app = fixture.App;

    [Fact]
    public async Task Csv_IsRfc4180Utf8_WithNamesBesideIds_AndFormulasNeutralised()
    {
        var d = await ExportData.CreateAsync(app);
        var client = d.Tenant.Admin.Client;

        var (bytes, name) = await client.FileAsync($"/exports/worktimes.csv?{ExportData.Range}", "text/csv");
        var (plain, _) = await client.FileAsync($"/1.1/exports/worktimes.csv?{ExportData.Range}&bom=false", "text/csv");
        var csv = await IndependentReaders.CsvAsync(bytes);
        var worktimes = await client.AllWorktimesAsync($"date={ExportData.From}_{ExportData.To}");

        name.ShouldBe("worktimes_2026-11-01_2026-11-30.csv");
        csv.GetProperty("bom").GetBoolean().ShouldBeTrue();
        (await IndependentReaders.CsvAsync(plain)).GetProperty("bom").GetBoolean().ShouldBeFalse();
        plain.ShouldBe(bytes[3..], "the same file without the byte order mark");
        var rows = csv.GetProperty("rows").EnumerateArray().Select(r => r.EnumerateArray().Select(c => c.GetString()!).ToArray()).ToList();
        rows[0].ShouldBe(Header);
        rows.Skip(1).Select(r => long.Parse(r[0], CultureInfo.InvariantCulture)).ShouldBe(worktimes.Select(w => w.Id()), "the rows of GET /worktimes, in its order");
        rows.Skip(1).Sum(r => long.Parse(r[15], CultureInfo.InvariantCulture)).ShouldBe(worktimes.Sum(w => w.WorkMinutes()));
        var first = rows[1];
        first.ShouldBe([
            first[0], "2026-11-02", $"{d.Tenant.Worker.Id}", "Äijä Öhman", $"{d.Project}", "Kattila", $"{d.Task}", "Asennus",
            $"{d.Worktype}", "'+Ylityö", $"{d.Customer}", "Åbo Ab, \"Turku\"", "08:00", "16:00", "30", "450", "7.5", "open",
            "Pumppu, \"uusi\"\nrivi 2",
        ]);
        var byDescription = rows.Skip(1).ToDictionary(r => r[0]);
        rows.Single(r => r[4] == $"{d.FormulaProject}")[5].ShouldBe("'=HYPERLINK(\"http://x\";\"y\")");
        rows.Single(r => r[4] == $"{d.FormulaProject}")[18].ShouldBe("'-2 tuntia @ työmaa");
        rows.Single(r => r[1] == "2026-11-05")[18].ShouldBe("'\tsisennetty");
        rows.Single(r => r[1] == "2026-11-30")[16].ShouldBe("1.98", "119 minutes, two decimals");
        // Every record ends in CRLF (RFC 4180); the line break inside the quoted description is the row's own.
        csv.GetProperty("crlf").GetInt32().ShouldBe(rows.Count);
    }

    [Fact]
    public async Task Xlsx_NumbersAsNumbers_DatesAsDates_FrozenHeader_Autofilter_TotalsAsTheApi()
    {
        var d = await ExportData.CreateAsync(app);
        var client = d.Tenant.Supervisor.Client;

        var (bytes, name) = await client.FileAsync($"/exports/worktimes.xlsx?{ExportData.Range}&project={d.Project}", Xlsx);
        var xlsx = await IndependentReaders.XlsxAsync(bytes);
        var worktimes = await client.AllWorktimesAsync($"date={ExportData.From}_{ExportData.To}&project={d.Project}");
        var report = await client.ReadAsync($"/reports/hours?{ExportData.Range}&project={d.Project}");

        name.ShouldBe("worktimes_2026-11-01_2026-11-30.xlsx");
        xlsx.GetProperty("title").GetString().ShouldBe("Worktimes");
        xlsx.GetProperty("freeze").GetString().ShouldBe("A2");
        xlsx.GetProperty("filter").GetString().ShouldStartWith("A1:S");
        xlsx.GetProperty("header_bold").GetBoolean().ShouldBeTrue();
        var rows = xlsx.GetProperty("rows").EnumerateArray().Select(r => r.EnumerateArray().ToArray()).ToList();
        rows[0].Select(c => c.GetString()).ShouldBe(Header);
        rows.Skip(1).Select(r => r[0].GetInt64()).ShouldBe(worktimes.Select(w => w.Id()));
        var first = rows[1];
        (first[1].GetString(), first[2].GetInt64(), first[3].GetString(), first[5].GetString(), first[11].GetString())
            .ShouldBe(("date:2026-11-02", d.Tenant.Worker.Id, "Äijä Öhman", "Kattila", "Åbo Ab, \"Turku\""));
        (first[12].GetString(), first[13].GetString(), first[14].GetInt64(), first[15].GetInt64(), first[16].GetDouble())
            .ShouldBe(("time:08:00", "time:16:00", 30L, 450L, 7.5));
        first[9].GetString().ShouldBe("+Ylityö", "a spreadsheet cell holds text as text: nothing to neutralise");
        var minutes = rows.Skip(1).Sum(r => r[15].GetInt64());
        minutes.ShouldBe(worktimes.Sum(w => w.WorkMinutes()));
        minutes.ShouldBe(report.GetProperty("total").GetProperty("minutes").GetInt64());
        rows.Skip(1).Sum(r => r[16].GetDouble()).ShouldBe(minutes / 60.0, 1e-9);
    }

    [Fact]
    public async Task WorkerExportsOwnRows_AnotherPartnersRowsNeverAppear()
    {
        var d = await ExportData.CreateAsync(app);
        var other = await ExportData.CreateAsync(app);
        var worker = d.Tenant.Worker;

        var (own, _) = await worker.Client.FileAsync($"/exports/worktimes.csv?{ExportData.Range}", "text/csv");
        var (all, _) = await d.Tenant.Admin.Client.FileAsync($"/exports/worktimes.xlsx?from=2026-10-01&to=2026-11-30", Xlsx);
        var ownRows = (await IndependentReaders.CsvAsync(own)).GetProperty("rows").EnumerateArray().Skip(1).ToList();
        var allRows = (await IndependentReaders.XlsxAsync(all)).GetProperty("rows").EnumerateArray().Skip(1).ToList();

        ownRows.Select(r => r[2].GetString()).Distinct().ShouldBe([$"{worker.Id}"]);
        ownRows.Count.ShouldBe(2);
        allRows.Count.ShouldBe(6, "five in November and one in October; the removed one is not there");
        var foreignIds = new[] { other.Tenant.Worker.Id, other.Tenant.OtherWorker.Id, other.Project, other.Customer };
        allRows.SelectMany(r => r.EnumerateArray()).Where(c => c.ValueKind == JsonValueKind.Number)
            .Select(c => c.GetDouble()).ShouldNotContain(v => foreignIds.Contains((long)v));
        using var foreign = await d.Tenant.Admin.Client.GetAsync($"/exports/worktimes.csv?{ExportData.Range}&project={other.Project}");
        var text = await foreign.Content.ReadAsStringAsync();
        text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length.ShouldBe(1, "the header only: another partner's project is as if absent");
    }

    [Fact]
    public async Task CustomerFilter_TakesTheWorktimesOfItsProjects()
    {
        var d = await ExportData.CreateAsync(app);

        var (bytes, _) = await d.Tenant.Admin.Client.FileAsync($"/exports/worktimes.csv?{ExportData.Range}&customer={d.Customer}", "text/csv");
        var rows = (await IndependentReaders.CsvAsync(bytes)).GetProperty("rows").EnumerateArray().Skip(1).ToList();
        var report = await d.Tenant.Admin.Client.ReadAsync($"/reports/hours?{ExportData.Range}&customer={d.Customer}&group_by=customer");

        rows.Select(r => r[10].GetString()).Distinct().ShouldBe([$"{d.Customer}"]);
        rows.Sum(r => long.Parse(r[15].GetString()!, CultureInfo.InvariantCulture)).ShouldBe(450 + 200 + 119);
        report.GetProperty("rows").EnumerateArray().Single().GetProperty("minutes").GetInt64().ShouldBe(769);
    }
}
