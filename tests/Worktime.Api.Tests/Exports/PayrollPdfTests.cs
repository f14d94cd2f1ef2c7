using System.Globalization;
using System.Net;
using System.Text.Json;
using Worktime.Api.Tests.Forms;
using Worktime.Api.Tests.Infrastructure;
using Worktime.Api.Tests.TimeAccounting;

namespace Worktime.Api.Tests.Exports;

/// <summary>
/// The payroll month PDF read by poppler's pdftotext and pdffonts: every day's numbers, the totals and the balances
/// equal what <c>GET /ttapi/saldo/daily</c> (and the absence split) answer for the same person and month; names with
/// Ä, Ö and Å come out as written from the embedded font; who may read whose month; bad requests.
/// </summary>
[VariesWith(Vary.BackendAndCulture)]
public sealed class PayrollPdfTests(FakeClockFixture fixture) : IClassFixture<FakeClockFixture>
{
    private const string Pdf = "application/pdf";
    private static readonly string[] DayFields =
        ["expected_minutes", "worked_minutes", "absence_minutes", "unpaid_absence_minutes", "correction_minutes", "balance_minutes", "running_minutes"];
    private readonly WorktimeApplication app = fixture.App;

    private sealed record Month(Tenant T, long Holiday, long Doctor, long Unpaid);

    /// <summary>October 2026 of the worker: worktimes, paid and unpaid absences, a correction, a balance carried from September.</summary>
    private async Task<Month> MonthAsync()
    {
        var t = await Tenant.CreateAsync(app, [1, 3, 5], otherWorker: true);
        var admin = t.Admin;
        var group = await Accounting.GroupAsync(admin, new { name = "FI", country = "fi" });
        await Accounting.SetUserAsync(admin, t.Worker.Id, group, "2026-09-01", initial: 95);
        await Accounting.SetUserAsync(admin, t.OtherWorker.Id, group, "2026-10-01");
        await NameAsync(admin, t.Worker.Id, "Äijä", "Öhman-Åström");
        await NameAsync(admin, t.OtherWorker.Id, "Åsa", "Öberg");
        await Accounting.WorktimeAsync(admin, t.Worker.Id, "2026-09-30", "08:00", "12:00");
        await Accounting.WorktimeAsync(admin, t.Worker.Id, "2026-10-01", "08:00", "16:30", pause: 30);
        await Accounting.WorktimeAsync(admin, t.Worker.Id, "2026-10-02", "07:45", "17:10", pause: 30);
        await Accounting.WorktimeAsync(admin, t.Worker.Id, "2026-10-05", "08:00", "15:00");
        await Accounting.WorktimeAsync(admin, t.Worker.Id, "2026-10-31", "10:00", "13:00");
        await Accounting.WorktimeAsync(admin, t.OtherWorker.Id, "2026-10-06", "08:00", "16:00");
        var holiday = await Accounting.AbsenceTypeAsync(admin, "Vuosiloma", "days");
        var doctor = await Accounting.AbsenceTypeAsync(admin, "Lääkäri", "hours");
        var unpaid = await Accounting.AbsenceTypeAsync(admin, "Palkaton vapaa", "days", paid: false);
        await Accounting.AbsenceAsync(admin, new { user = t.Worker.Id, abcensetype = holiday, startdate = "2026-10-12", enddate = "2026-10-14" });
        await Accounting.AbsenceAsync(admin, new { user = t.Worker.Id, abcensetype = doctor, startdate = "2026-10-20", starttime = "09:00", endtime = "11:30" });
        await Accounting.AbsenceAsync(admin, new { user = t.Worker.Id, abcensetype = unpaid, startdate = "2026-10-26" });
        await Accounting.AbsenceAsync(admin, new { user = t.Worker.Id, abcensetype = holiday, startdate = "2026-10-30", enddate = "2026-11-03" });
        await admin.Client.CreateAsync("saldocorrections", "saldocorrection",
            new { user = t.Worker.Id, date = "2026-10-15", minutes = -45, description = "Ylityö korjattu: äöå, Łódź €" });
        return new Month(t, holiday, doctor, unpaid);
    }

    [Fact]
    public async Task OwnMonth_EveryDayTotalAndBalance_EqualSaldoDaily_NamesPrintFromTheEmbeddedFont()
    {
        var m = await MonthAsync();
        var w = m.T.Worker;

        var (bytes, fileName) = await w.Client.FileAsync("/exports/payroll/2026-10.pdf", Pdf);
        fileName.ShouldBe($"payroll_2026-10_user{w.Id}.pdf");
        var text = await IndependentReaders.PdfTextAsync(bytes);
        var daily = await w.Client.ReadAsync($"/ttapi/saldo/daily?date=2026-10-01_2026-10-31");
        var days = daily.GetProperty("days").EnumerateArray().ToList();
        days.Count.ShouldBe(31);

        text.ShouldContain("Payroll 2026-10");
        text.ShouldContain("Äijä Öhman-Åström");
        text.ShouldContain("Period: 2026-10-01 – 2026-10-31");
        var lines = text.Split('\n');
        foreach (var day in days)
        {
            var date = day.GetProperty("date").GetString()!;
            var row = DayRow(lines, date);
            row.Skip(2).Take(7).ShouldBe(DayFields.Select(f => Hours(day.GetProperty(f).GetInt64())), $"the row of {date}");
        }
        var total = Tokens(lines.Single(l => l.TrimStart().StartsWith("Total", StringComparison.Ordinal)));
        total.Skip(1).ShouldBe(DayFields.SkipLast(1)
            .Select(f => Hours(days.Sum(d => d.GetProperty(f).GetInt64())))
            .Append(Hours(days[^1].GetProperty("running_minutes").GetInt64())));
        days.Sum(d => d.GetProperty("worked_minutes").GetInt64()).ShouldBe(480 + 535 + 420 + 180, "the data is what the sheet should show");

        var closing = await Accounting.SaldoAsync(w.Client, w.Id, "2026-10-31");
        Value(lines, "At the end of the month").ShouldBe(Hours(closing.GetProperty("saldo").GetInt64()));
        var september = await Accounting.SaldoAsync(w.Client, w.Id, "2026-09-30");
        Value(lines, "Before the month").ShouldBe(Hours(september.GetProperty("saldo").GetInt64()));
        Value(lines, "The month's balance").ShouldBe(Hours(days.Sum(d => d.GetProperty("balance_minutes").GetInt64())));

        var split = (await w.Client.ReadAsync("/ttapi/absence/split?startdate=2026-10-01&enddate=2026-10-31"))
            .GetProperty("abcenses").EnumerateArray().ToList();
        long TypeMinutes(long type) => split.Where(s => s.GetProperty("abcensetype").GetInt64() == type).Sum(s => s.GetProperty("minutes").GetInt64());
        Value(lines, "Vuosiloma (paid)").ShouldBe(Hours(TypeMinutes(m.Holiday)));
        Value(lines, "Lääkäri (paid)").ShouldBe(Hours(150));
        Value(lines, "Palkaton vapaa (unpaid)").ShouldBe(Hours(TypeMinutes(m.Unpaid)));
        TypeMinutes(m.Holiday).ShouldBeGreaterThan(0);
        var correction = lines.Single(l => l.Contains("Ylityö korjattu: äöå, Łódź €", StringComparison.Ordinal));
        Tokens(correction).Take(2).ShouldBe(["2026-10-15", "-0:45"]);
        text.ShouldContain("Employee: date and signature");
        text.ShouldNotContain("Åsa Öberg", Case.Sensitive, "one person's sheet holds only that person");

        var fonts = await IndependentReaders.PdfFontsAsync(bytes);
        // The rows below pdffonts' header and its rule of dashes.
        var fontRows = fonts.Split('\n').SkipWhile(l => !l.StartsWith("---", StringComparison.Ordinal)).Skip(1).Where(l => l.Trim().Length > 0).ToList();
        fontRows.ShouldNotBeEmpty();
        fontRows.ShouldAllBe(l => l.Contains("DejaVu Sans", StringComparison.Ordinal), fonts);
        // pdffonts' columns end with: emb sub uni object ID. Embedded, and with a Unicode map (so any character, not only WinAnsi's).
        fontRows.Select(l => Tokens(l)).ShouldAllBe(columns => columns[columns.Length - 5] == "yes" && columns[columns.Length - 3] == "yes", "every font is embedded: " + fonts);
    }

    [Fact]
    public async Task WorkerReadsOnlyTheirOwn_Levels3To5ReadAnyoneOfTheirPartner_AllIsEveryoneInOnePdf()
    {
        var m = await MonthAsync();
        var t = m.T;
        var stranger = await Tenant.CreateAsync(app, [1, 5]);

        await ShouldFailAsync(t.Worker.Client, $"/exports/payroll/2026-10.pdf?user={t.OtherWorker.Id}", HttpStatusCode.Forbidden, "forbidden");
        await ShouldFailAsync(t.Worker.Client, $"/exports/payroll/2026-10.pdf?user={stranger.Worker.Id}", HttpStatusCode.Forbidden, "forbidden");
        await ShouldFailAsync(t.Worker.Client, "/exports/payroll/2026-10.pdf?all=true", HttpStatusCode.Forbidden, "forbidden");
        (await t.Worker.Client.FileAsync($"/exports/payroll/2026-10.pdf?user=self", Pdf)).FileName.ShouldBe($"payroll_2026-10_user{t.Worker.Id}.pdf");
        await ShouldFailAsync(t.Supervisor.Client, $"/exports/payroll/2026-10.pdf?user={stranger.Worker.Id}", HttpStatusCode.NotFound, "not_found");

        var other = await IndependentReaders.PdfTextAsync((await t.Supervisor.Client.FileAsync($"/exports/payroll/2026-10.pdf?user={t.OtherWorker.Id}", Pdf)).Bytes);
        other.ShouldContain("Åsa Öberg");
        DayRow(other.Split('\n'), "2026-10-06").Skip(2).Take(2).ShouldBe(["7:30", "8:00"]);

        var (bytes, fileName) = await t.Admin.Client.FileAsync("/exports/payroll/2026-10.pdf?all=true", Pdf);
        fileName.ShouldBe("payroll_2026-10.pdf");
        var all = await IndependentReaders.PdfTextAsync(bytes);
        var pages = all.Split('\f').Where(p => p.Trim().Length > 0).ToList();
        var names = pages.Select(p => p.Split('\n').First(l => l.Contains("Name: ", StringComparison.Ordinal)).Trim()).Distinct().ToList();
        names.Count.ShouldBe(4, "the four people of the partner: " + string.Join(" | ", names));
        names.ShouldContain("Name: Äijä Öhman-Åström");
        names.ShouldContain("Name: Åsa Öberg");
        all.ShouldNotContain(stranger.Worker.Username);
        var ownPages = string.Join('\f', pages.Where(p => p.Contains("Name: Äijä Öhman-Åström", StringComparison.Ordinal)));
        var alone = await IndependentReaders.PdfTextAsync((await t.Admin.Client.FileAsync($"/exports/payroll/2026-10.pdf?user={t.Worker.Id}", Pdf)).Bytes);
        Rows(ownPages).ShouldBe(Rows(alone), "a person's pages in the all-people PDF are their own sheet");
    }

    [Theory]
    [InlineData("/exports/payroll/2026-13.pdf", "invalid_request")]
    [InlineData("/exports/payroll/2026-10.txt", "invalid_request")]
    [InlineData("/exports/payroll/october.pdf", "invalid_request")]
    [InlineData("/exports/payroll/2026-10.pdf?user=abc", "invalid_filter")]
    [InlineData("/exports/payroll/2026-10.pdf?user=5&user=6", "invalid_filter")]
    [InlineData("/exports/payroll/2026-10.pdf?all=maybe", "invalid_filter")]
    [InlineData("/exports/payroll/2026-10.pdf?all=true&user=self", "invalid_filter")]
    [InlineData("/exports/payroll/2026-10.pdf?month=2026-10", "invalid_filter")]
    public async Task BadRequests_Are400WithAReason(string path, string error)
    {
        var t = await Tenant.CreateAsync(app, [1, 5]);
        var body = await ShouldFailAsync(t.Admin.Client, path, HttpStatusCode.BadRequest, error);
        body.GetProperty("error_description").GetString().ShouldNotBeNullOrWhiteSpace();
        using var anonymous = await app.CreateClient().GetAsync("/exports/payroll/2026-10.pdf");
        anonymous.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    private static async Task NameAsync(TenantUser admin, long user, string first, string last)
    {
        using var response = await admin.Client.PutJsonAsync($"/users/{user}", new { user = new { firstname = first, lastname = last } });
        await response.ShouldBeJsonAsync(200);
    }

    private static async Task<JsonElement> ShouldFailAsync(HttpClient client, string path, HttpStatusCode status, string error)
    {
        using var response = await client.GetAsync(path);
        var body = await response.ShouldBeJsonAsync((int)status);
        body.GetProperty("error").GetString().ShouldBe(error, path);
        return body;
    }

    /// <summary>The value printed after a label (the label's words, then the h:mm).</summary>
    private static string Value(string[] lines, string label)
    {
        var line = lines.Single(l => l.TrimStart().StartsWith(label, StringComparison.Ordinal));
        return Tokens(line.TrimStart()[label.Length..]).First();
    }

    /// <summary>The day table's rows: a date, a weekday (<c>Thu</c>), then the numbers (a correction's line has a number second).</summary>
    private static List<string> Rows(string text) =>
        text.Split('\n').Select(Tokens).Where(IsDayRow).Select(t => string.Join(' ', t)).ToList();

    private static string[] DayRow(string[] lines, string date) => lines.Select(Tokens).Single(t => IsDayRow(t) && t[0] == date);

    private static bool IsDayRow(string[] tokens) =>
        tokens.Length >= 9 && tokens[0].StartsWith("2026-", StringComparison.Ordinal) && tokens[1].Length == 3 && tokens[1].All(char.IsAsciiLetter);

    private static string[] Tokens(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Minutes as the sheet prints them, computed here independently: <c>h:mm</c>, negative with <c>-</c>.</summary>
    private static string Hours(long minutes) =>
        string.Create(CultureInfo.InvariantCulture, $"{(minutes < 0 ? "-" : "")}{Math.Abs(minutes) / 60}:{Math.Abs(minutes) % 60:00}");
}
