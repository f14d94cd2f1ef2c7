using System.Globalization;
using System.Text.Json;
using Worktime.Api.Tests.Forms;
using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.Exports;

/// <summary>
/// <c>GET /reports/hours</c>: the sums equal what <c>GET /worktimes</c> answers for the same filters, in every grouping
/// and format (CSV read by Python's csv, XLSX by openpyxl); privileges are the rows'; bad parameters are 400s.
/// </summary>
[VariesWith(Vary.BackendAndCulture)]
public sealed class HoursReportTests(FakeClockFixture fixture) : IClassFixture<FakeClockFixture>
{
    private const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private readonly WorktimeApplication app = fixture.App;

    [Theory]
    [InlineData("user", "")]
    [InlineData("project", "")]
    [InlineData("user,project", "")]
    [InlineData("date", "")]
    [InlineData("task,worktype", "")]
    [InlineData("customer,user", "")]
    [InlineData("", "")]
    [InlineData("user", "&project={project}")]
    [InlineData("date,user", "&project={project}||{formula}&status=open")]
    [InlineData("project", "&user={worker}")]
    public async Task Report_SumsEqualWhatWorktimesAnswers_ForTheSameFilters(string groupBy, string filterTemplate)
    {
        var d = await ExportData.CreateAsync(app);
        var filters = filterTemplate.Replace("{project}", $"{d.Project}", StringComparison.Ordinal)
            .Replace("{formula}", $"{d.FormulaProject}", StringComparison.Ordinal)
            .Replace("{worker}", $"{d.Tenant.Worker.Id}", StringComparison.Ordinal);
        var client = d.Tenant.Supervisor.Client;

        var report = await client.ReadAsync($"/reports/hours?{ExportData.Range}&group_by={groupBy}{filters}");
        var worktimes = await client.AllWorktimesAsync($"date={ExportData.From}_{ExportData.To}{filters}");

        var dimensions = groupBy.Split(',', StringSplitOptions.RemoveEmptyEntries);
        var projectsCustomer = new Dictionary<long, long> { [d.Project] = d.Customer };
        string Key(JsonElement w) => string.Join("|", dimensions.Select(dim => dim switch
        {
            "date" => w.GetProperty("date").GetString(),
            "customer" => Ref(w, "project") is { } p && projectsCustomer.TryGetValue(p, out var c) ? $"{c}" : "-",
            _ => Ref(w, dim)?.ToString(CultureInfo.InvariantCulture) ?? "-",
        }));
        var expected = worktimes.GroupBy(Key).ToDictionary(g => g.Key, g => g.Sum(w => w.WorkMinutes()));
        var rows = report.GetProperty("rows").EnumerateArray().ToList();
        var actual = rows.ToDictionary(r => string.Join("|", dimensions.Select(dim => r.GetProperty(dim) switch
        {
            { ValueKind: JsonValueKind.Null } => "-",
            { ValueKind: JsonValueKind.String } s => s.GetString(),
            var n => n.GetInt64().ToString(CultureInfo.InvariantCulture),
        })), r => r.GetProperty("minutes").GetInt64());

        worktimes.Count.ShouldBeGreaterThan(0);
        actual.ShouldBe(expected, ignoreOrder: true);
        report.GetProperty("total").GetProperty("minutes").GetInt64().ShouldBe(worktimes.Sum(w => w.WorkMinutes()));
        foreach (var row in rows)
        {
            var minutes = row.GetProperty("minutes").GetInt64();
            row.GetProperty("hours").GetString().ShouldBe($"{minutes / 60}:{minutes % 60:00}");
            row.Keys().ShouldBe([.. dimensions.SelectMany(dim => dim == "date" ? [dim] : new[] { dim, dim + "_name" }), "minutes", "hours"]);
        }
    }

    [Fact]
    public async Task Report_NamesBesideIds_InTheOrderOfTheNames()
    {
        var d = await ExportData.CreateAsync(app);

        var report = await d.Tenant.Foreman.Client.ReadAsync($"/1.1/reports/hours?{ExportData.Range}&group_by=user,customer");

        // 2nd: 450 min, 3rd: 510 min (Äijä); 2nd: 200 min + 30th: 119 min on Kattila, 5th: 60 min without a project (Åsa).
        report.GetProperty("rows").EnumerateArray()
            .Select(r => (r.GetProperty("user_name").GetString(), r.GetProperty("customer_name").GetString(), r.GetProperty("minutes").GetInt64()))
            .ShouldBe([("Äijä Öhman", "Åbo Ab, \"Turku\"", 450L), ("Äijä Öhman", null, 510), ("Åsa Lindqvist", "Åbo Ab, \"Turku\"", 319), ("Åsa Lindqvist", null, 60)]);
        report.GetProperty("total").GetRawText().ShouldBe("""{"minutes":1339,"hours":"22:19"}""");
    }

    [Fact]
    public async Task Report_AsCsvAndXlsx_HoldsTheRowsAndTotalOfTheJson()
    {
        var d = await ExportData.CreateAsync(app);
        var client = d.Tenant.Admin.Client;
        var query = $"/reports/hours?{ExportData.Range}&group_by=project,date";

        var json = await client.ReadAsync(query);
        var (csvBytes, csvName) = await client.FileAsync(query + "&format=csv", "text/csv");
        var (xlsxBytes, xlsxName) = await client.FileAsync(query + "&format=xlsx", Xlsx);
        var csv = await IndependentReaders.CsvAsync(csvBytes);
        var xlsx = await IndependentReaders.XlsxAsync(xlsxBytes);

        csvName.ShouldBe("hours_2026-11-01_2026-11-30.csv");
        xlsxName.ShouldBe("hours_2026-11-01_2026-11-30.xlsx");
        var expected = json.GetProperty("rows").EnumerateArray().Select(r => new
        {
            Project = r.GetProperty("project").ValueKind == JsonValueKind.Null ? (long?)null : r.GetProperty("project").GetInt64(),
            Name = r.GetProperty("project_name").GetString(),
            Date = r.GetProperty("date").GetString(),
            Minutes = r.GetProperty("minutes").GetInt64(),
        }).ToList();
        var csvRows = csv.GetProperty("rows").EnumerateArray().Select(r => r.EnumerateArray().Select(c => c.GetString()!).ToList()).ToList();
        csvRows[0].ShouldBe(["project", "project_name", "date", "minutes", "hours"]);
        csvRows.Skip(1).Select(r => (r[0], r[1], r[2], r[3], r[4])).ShouldBe(expected.Select(e => (
            e.Project?.ToString(CultureInfo.InvariantCulture) ?? "",
            e.Name is { } n && n.StartsWith('=') ? "'" + n : e.Name ?? "",
            e.Date!, e.Minutes.ToString(CultureInfo.InvariantCulture),
            Math.Round(e.Minutes / 60.0, 2).ToString("0.##", CultureInfo.InvariantCulture))));

        var sheet = xlsx.GetProperty("rows").EnumerateArray().ToList();
        xlsx.GetProperty("freeze").GetString().ShouldBe("A2");
        xlsx.GetProperty("filter").GetString().ShouldBe($"A1:E{expected.Count + 1}");
        xlsx.GetProperty("header_bold").GetBoolean().ShouldBeTrue();
        sheet.Skip(1).Take(expected.Count).Select(r => (
                r[0].ValueKind == JsonValueKind.Null ? (long?)null : r[0].GetInt64(), r[1].ValueKind == JsonValueKind.Null ? null : r[1].GetString(),
                r[2].GetString()!, r[3].GetInt64(), r[4].GetDouble()))
            .ShouldBe(expected.Select(e => (e.Project, e.Name, "date:" + e.Date!, e.Minutes, e.Minutes / 60.0)));
        var total = sheet[^1];
        total[0].GetString().ShouldBe("Total");
        total[3].GetInt64().ShouldBe(json.GetProperty("total").GetProperty("minutes").GetInt64());
        csvRows.Skip(1).Sum(r => long.Parse(r[3], CultureInfo.InvariantCulture)).ShouldBe(json.GetProperty("total").GetProperty("minutes").GetInt64());
    }

    [Fact]
    public async Task Report_WorkerSeesOwn_NamingAnyoneElseIs403_AnotherPartnersIdsAreAsIfAbsent()
    {
        var d = await ExportData.CreateAsync(app);
        var other = await ExportData.CreateAsync(app);
        var worker = d.Tenant.Worker;

        var own = await worker.Client.ReadAsync($"/reports/hours?{ExportData.Range}&group_by=user");
        var self = await worker.Client.ReadAsync($"/reports/hours?{ExportData.Range}&group_by=user&user=self");
        await worker.Client.ErrorAsync($"/reports/hours?{ExportData.Range}&user={d.Tenant.OtherWorker.Id}", 403, "forbidden");
        await worker.Client.ErrorAsync($"/reports/hours?{ExportData.Range}&user={worker.Id},{other.Tenant.Worker.Id}", 403, "forbidden");
        await worker.Client.ErrorAsync($"/exports/worktimes.csv?{ExportData.Range}&user={other.Tenant.Worker.Id}", 403, "forbidden");
        await worker.Client.ErrorAsync($"/exports/worktimes.xlsx?{ExportData.Range}&user=999999999", 403, "forbidden");
        var foreignUser = await d.Tenant.Supervisor.Client.ReadAsync($"/reports/hours?{ExportData.Range}&group_by=user&user={other.Tenant.Worker.Id}");
        var foreignCustomer = await d.Tenant.Supervisor.Client.ReadAsync($"/reports/hours?{ExportData.Range}&customer={other.Customer}");
        var foreignProject = await d.Tenant.Supervisor.Client.ReadAsync($"/reports/hours?{ExportData.Range}&group_by=project&project={other.Project}");
        using var anonymous = await app.CreateClient().GetAsync($"/reports/hours?{ExportData.Range}");

        own.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("user").GetInt64()).ShouldBe([worker.Id]);
        own.GetProperty("total").GetProperty("minutes").GetInt64().ShouldBe(960);
        self.GetRawText().ShouldBe(own.GetRawText());
        foreach (var nothing in new[] { foreignUser, foreignCustomer, foreignProject })
        {
            nothing.GetRawText().ShouldBe("""{"rows":[],"total":{"minutes":0,"hours":"0:00"}}""");
        }
        ((int)anonymous.StatusCode).ShouldBe(401);
    }

    [Theory]
    [InlineData("/reports/hours?to=2026-11-30", "'from' is required")]
    [InlineData("/reports/hours?from=2026-11-01", "'to' is required")]
    [InlineData("/reports/hours?from=2026-11-31&to=2026-12-01", "'from' must be")]
    [InlineData("/reports/hours?from=2026-11-30&to=2026-11-01", "before from")]
    [InlineData("/reports/hours?from=2026-11-01&to=2026-11-30&group_by=user,month", "not one of user, project, task, worktype, customer, date")]
    [InlineData("/reports/hours?from=2026-11-01&to=2026-11-30&group_by=user,user", "twice")]
    [InlineData("/reports/hours?from=2026-11-01&to=2026-11-30&format=pdf", "json, csv or xlsx")]
    [InlineData("/reports/hours?from=2010-01-01&to=2026-11-30", "days long")]
    [InlineData("/reports/hours?from=2026-11-01&to=2026-11-30&date=2026-11-01", "from and to")]
    [InlineData("/reports/hours?from=2026-11-01&to=2026-11-30&limit=5", "every matching row")]
    [InlineData("/reports/hours?from=2026-11-01&to=2026-11-30&project=abc", "'project'")]
    [InlineData("/reports/hours?from=2026-11-01&to=2026-11-30&nosuchfield=1", "'nosuchfield'")]
    [InlineData("/reports/hours?from=2026-11-01&to=2026-11-30&customer=x", "customer ids")]
    [InlineData("/reports/hours?from=2026-11-01&to=2026-11-30&from=2026-11-02", "more than once")]
    [InlineData("/exports/worktimes.csv?from=2025-11-01&to=2026-11-02", "367 days long; a per-row export covers at most 366 days")]
    [InlineData("/exports/worktimes.xlsx?from=2026-11-30&to=2026-11-01", "before from")]
    [InlineData("/exports/worktimes.csv?from=2026-11-01&to=2026-11-30&bom=maybe", "true or false")]
    [InlineData("/exports/worktimes.csv?from=2026-11-01&to=2026-11-30&sideload=true", "every matching row")]
    public async Task BadParameters_Are400WithAReason(string path, string reason)
    {
        var t = await Tenant.CreateAsync(app, [5]);

        var error = await t.Admin.Client.ErrorAsync(path, 400, "invalid_filter");

        error.GetProperty("error_description").GetString()!.ShouldContain(reason);
    }

    [Fact]
    public async Task AYearIncludingALeapDay_IsOneExport_AndTenYearsIsOneReport()
    {
        var t = await Tenant.CreateAsync(app, [5]);

        var (bytes, _) = await t.Admin.Client.FileAsync("/exports/worktimes.csv?from=2027-03-01&to=2028-02-29", "text/csv");
        var report = await t.Admin.Client.ReadAsync("/reports/hours?from=2017-01-01&to=2026-12-31");

        (await IndependentReaders.CsvAsync(bytes)).GetProperty("rows").GetArrayLength().ShouldBe(1, "the header only");
        report.GetProperty("rows").GetArrayLength().ShouldBe(0);
    }

    private static long? Ref(JsonElement row, string field) =>
        row.GetProperty(field).ValueKind == JsonValueKind.Null ? null : row.GetProperty(field).GetInt64();
}
