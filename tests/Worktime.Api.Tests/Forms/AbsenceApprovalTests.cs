using System.Globalization;
using System.Text.Json;
using Worktime.Api.Accounts;
using Worktime.Api.Tests.Infrastructure;
using Worktime.Api.Tests.TimeAccounting;

namespace Worktime.Api.Tests.Forms;

/// <summary>
/// Absence approval through HTTP (docs/forms.md, "Absence approval"): an absence of a type with
/// <c>requires_approval</c> is pending while open and the balance, the daily rows and the per-day split leave it out
/// until a supervisor accepts it, and so does the person's calendar feed; a rejection needs its reason, closes the absence to its worker and never counts;
/// workers and foremen cannot decide; every decision is audited; types without approval behave as before; a period
/// lock keeps a pending absence pending.
/// </summary>
[VariesWith(Vary.BackendAndCulture)]
public sealed class AbsenceApprovalTests(FakeClockFixture fixture) : IClassFixture<FakeClockFixture>
{
    private const long Day = 450;
    private readonly WorktimeApplication app = fixture.App;

    [Fact]
    public async Task A_pending_absence_counts_only_once_a_supervisor_accepts_it_and_the_decision_is_audited()
    {
        var (t, vacation, sick) = await SetUpAsync();
        var worker = t.Worker.Client;
        var pending = await worker.CreateAsync("abcenses", "abcense", new { abcensetype = vacation, startdate = "2026-03-02", enddate = "2026-03-04" });
        var unapproved = await worker.CreateAsync("abcenses", "abcense", new { abcensetype = sick, startdate = "2026-03-09" });

        pending.GetProperty("status").GetString().ShouldBe("open");
        pending.GetProperty("requires_approval").GetBoolean().ShouldBeTrue();
        pending.GetProperty("rejection_reason").ValueKind.ShouldBe(JsonValueKind.Null);
        unapproved.GetProperty("requires_approval").GetBoolean().ShouldBeFalse();
        (await AbsenceMinutesAsync(t)).ShouldBe(Day, "only the absence of the type without approval counts");
        (await SplitIdsAsync(t)).ShouldBe([unapproved.Id()]);
        var daily = await worker.ReadAsync($"/ttapi/saldo/daily?userid={t.Worker.Id}&date=2026-03-02_2026-03-02");
        daily.GetProperty("days")[0].Minutes("absence_minutes").ShouldBe(0);
        var feed = await OwnFeedAsync(worker);
        (await FeedUidsAsync(feed)).ShouldBe([unapproved.Id()], "the calendar feed shows the absences the balance counts");
        var waiting = await t.Supervisor.Client.ReadAsync("/abcenses?requires_approval=1&status=open&startdate=2026-03-01_2026-03-31");
        waiting.GetProperty("abcenses").EnumerateArray().Select(r => r.Id()).ShouldBe([pending.Id()]);

        await ExpectForbiddenAsync(await worker.PutJsonAsync($"/abcenses/{pending.Id()}", Body(new { status = "accepted" })));
        var foremansOwn = await t.Foreman.Client.CreateAsync("abcenses", "abcense", new { abcensetype = vacation, startdate = "2026-03-10" });
        await ExpectForbiddenAsync(await t.Foreman.Client.PutJsonAsync($"/abcenses/{pending.Id()}", Body(new { status = "accepted" })));
        await ExpectForbiddenAsync(await t.Foreman.Client.PutJsonAsync($"/abcenses/{foremansOwn.Id()}", Body(new { status = "accepted" })));
        (await AbsenceMinutesAsync(t)).ShouldBe(Day, "a refused decision changed nothing");

        using (var accept = await t.Supervisor.Client.PutJsonAsync($"/abcenses/{pending.Id()}", Body(new { status = "accepted" })))
        {
            (await accept.ShouldBeJsonAsync(200)).GetProperty("abcense").GetProperty("status").GetString().ShouldBe("accepted");
        }
        (await AbsenceMinutesAsync(t)).ShouldBe(4 * Day);
        (await SplitIdsAsync(t)).ShouldBe([pending.Id(), pending.Id(), pending.Id(), unapproved.Id()]);
        (await FeedUidsAsync(feed)).ShouldBe([pending.Id(), unapproved.Id()], ignoreOrder: true);
        await ExpectForbiddenAsync(await worker.PutJsonAsync($"/abcenses/{pending.Id()}", Body(new { description = "longer" })));

        var audit = await app.Service<AuditLog>().QueryAsync(0, null, 10_000);
        audit.Where(r => r.Event == AuditEvents.AbsenceApproval && r.PartnerId == t.PartnerId).Select(r => (r.Username, r.Detail)).ShouldBe([
            (t.Supervisor.Username, $"abcense {pending.Id()} accepted: user {t.Worker.Id}, startdate 2026-03-02"),
        ]);
    }

    [Fact]
    public async Task A_rejection_needs_its_reason_closes_the_absence_to_its_worker_and_never_counts()
    {
        var (t, vacation, sick) = await SetUpAsync();
        var worker = t.Worker.Client;
        var supervisor = t.Supervisor.Client;
        var id = (await worker.CreateAsync("abcenses", "abcense", new { abcensetype = vacation, startdate = "2026-03-02", enddate = "2026-03-03" })).Id();
        var sickDay = (await worker.CreateAsync("abcenses", "abcense", new { abcensetype = sick, startdate = "2026-03-05" })).Id();

        foreach (var path in new[] { $"/abcenses/{id}", $"/abcenses/{id}?validation=off" })
        {
            using var noReason = await supervisor.PutJsonAsync(path, Body(new { status = "rejected" }));
            (await noReason.ShouldBeErrorAsync(400, "validation_failed")).GetProperty("fields").GetProperty("rejection_reason").GetString().ShouldBe("is required when status is rejected");
        }
        using (var blank = await supervisor.PutJsonAsync($"/abcenses/{id}", Body(new { status = "rejected", rejection_reason = "   " })))
        {
            await blank.ShouldBeErrorAsync(400, "validation_failed");
        }
        using (var reasonWithoutRejection = await supervisor.PutJsonAsync($"/abcenses/{id}", Body(new { rejection_reason = "Busy week" })))
        {
            (await reasonWithoutRejection.ShouldBeErrorAsync(400, "validation_failed")).GetProperty("fields").GetProperty("rejection_reason").GetString()
                .ShouldBe("is given only with status rejected");
        }
        await ExpectForbiddenAsync(await worker.PutJsonAsync($"/abcenses/{id}", Body(new { status = "rejected", rejection_reason = "changed my mind" })));
        (await StatusAsync(supervisor, id)).ShouldBe("open");

        using (var reject = await supervisor.PutJsonAsync("/abcenses", Body(new { id = new[] { id, sickDay }, status = "rejected", rejection_reason = "Busy week" })))
        {
            await reject.ShouldBeJsonAsync(200);
        }
        var rejected = (await worker.ReadAsync($"/abcenses/{id}")).GetProperty("abcense");
        rejected.GetProperty("status").GetString().ShouldBe("rejected");
        rejected.GetProperty("rejection_reason").GetString().ShouldBe("Busy week");
        rejected.GetProperty("row_info").GetProperty("privilege_edit").GetBoolean().ShouldBeFalse();
        rejected.GetProperty("row_info").GetProperty("privilege_remove").GetBoolean().ShouldBeFalse();
        (await AbsenceMinutesAsync(t)).ShouldBe(0, "rejected absences count neither with nor without approval");
        (await SplitIdsAsync(t)).ShouldBeEmpty();
        await ExpectForbiddenAsync(await worker.PutJsonAsync($"/abcenses/{id}", Body(new { description = "please" })));
        await ExpectForbiddenAsync(await worker.DeleteAsync($"/abcenses/{id}"));

        using (var accept = await supervisor.PutJsonAsync($"/abcenses/{id}", Body(new { status = "accepted" })))
        {
            var row = (await accept.ShouldBeJsonAsync(200)).GetProperty("abcense");
            row.GetProperty("rejection_reason").ValueKind.ShouldBe(JsonValueKind.Null, "the refusal no longer applies");
        }
        using (var reopen = await supervisor.PutJsonAsync($"/abcenses/{sickDay}", Body(new { status = "open" })))
        {
            await reopen.ShouldBeJsonAsync(200);
        }
        (await AbsenceMinutesAsync(t)).ShouldBe(3 * Day);

        var audit = await app.Service<AuditLog>().QueryAsync(0, null, 10_000);
        audit.Where(r => r.Event == AuditEvents.AbsenceApproval && r.PartnerId == t.PartnerId).Select(r => (r.Username, r.Detail)).ShouldBe([
            (t.Supervisor.Username, $"abcense {id} rejected: user {t.Worker.Id}, startdate 2026-03-02"),
            (t.Supervisor.Username, $"abcense {sickDay} rejected: user {t.Worker.Id}, startdate 2026-03-05"),
            (t.Supervisor.Username, $"abcense {id} accepted: user {t.Worker.Id}, startdate 2026-03-02"),
            (t.Supervisor.Username, $"abcense {sickDay} reopened as open (was rejected): user {t.Worker.Id}, startdate 2026-03-05"),
        ]);
    }

    [Fact]
    public async Task Types_without_approval_behave_as_before_and_an_absence_keeps_what_its_type_required_when_written()
    {
        var (t, vacation, sick) = await SetUpAsync();
        var worker = t.Worker.Client;
        var sickDay = (await worker.CreateAsync("abcenses", "abcense", new { abcensetype = sick, startdate = "2026-03-02" })).Id();
        using (var edit = await worker.PutJsonAsync($"/abcenses/{sickDay}", Body(new { description = "flu", enddate = "2026-03-03" })))
        {
            (await edit.ShouldBeJsonAsync(200)).GetProperty("abcense").GetProperty("status").GetString().ShouldBe("open");
        }
        (await AbsenceMinutesAsync(t)).ShouldBe(2 * Day);
        await ExpectForbiddenAsync(await worker.PutJsonAsync($"/abcenses/{sickDay}", Body(new { status = "accepted" })));

        // The client cannot say whether approval is needed: the type says it.
        var pending = await worker.CreateAsync("abcenses", "abcense", new { abcensetype = vacation, startdate = "2026-03-09", requires_approval = false });
        pending.GetProperty("requires_approval").GetBoolean().ShouldBeTrue();
        (await AbsenceMinutesAsync(t)).ShouldBe(2 * Day);

        // Changing a type later leaves the absences written under it as they were.
        await SetRequiresApprovalAsync(t, vacation, false);
        await SetRequiresApprovalAsync(t, sick, true);
        (await worker.ReadAsync($"/abcenses/{pending.Id()}")).GetProperty("abcense").GetProperty("requires_approval").GetBoolean().ShouldBeTrue();
        (await worker.ReadAsync($"/abcenses/{sickDay}")).GetProperty("abcense").GetProperty("requires_approval").GetBoolean().ShouldBeFalse();
        (await AbsenceMinutesAsync(t)).ShouldBe(2 * Day);

        // Setting an absence's type takes what that type requires now.
        var training = (await t.Admin.Client.CreateAsync("abcensetypes", "abcensetype", new { name = "Training", type = "days" })).Id();
        using (var retyped = await worker.PutJsonAsync($"/abcenses/{pending.Id()}", Body(new { abcensetype = training })))
        {
            (await retyped.ShouldBeJsonAsync(200)).GetProperty("abcense").GetProperty("requires_approval").GetBoolean().ShouldBeFalse();
        }
        (await AbsenceMinutesAsync(t)).ShouldBe(3 * Day);
        using (var removed = await worker.DeleteAsync($"/abcenses/{sickDay}"))
        {
            await removed.ShouldBeJsonAsync(200); // open and their own: the worker removes it as before
        }
        (await AbsenceMinutesAsync(t)).ShouldBe(Day);
    }

    [Fact]
    public async Task A_period_lock_keeps_a_pending_absence_pending_and_its_decision_waits_for_the_lock()
    {
        var (t, vacation, _) = await SetUpAsync();
        var pending = (await t.Worker.Client.CreateAsync("abcenses", "abcense", new { abcensetype = vacation, startdate = "2026-03-02" })).Id();
        var accepted = (await t.Worker.Client.CreateAsync("abcenses", "abcense", new { abcensetype = vacation, startdate = "2026-03-03" })).Id();
        using (var accept = await t.Supervisor.Client.PutJsonAsync($"/abcenses/{accepted}", Body(new { status = "accepted" })))
        {
            await accept.ShouldBeJsonAsync(200);
        }
        var periodLock = (await t.Supervisor.Client.CreateAsync("periodlocks", "periodlock", new { enddate = "2026-03-31" })).Id();

        (await StatusAsync(t.Admin.Client, pending)).ShouldBe("locked");
        (await StatusAsync(t.Admin.Client, accepted)).ShouldBe("locked");
        (await AbsenceMinutesAsync(t)).ShouldBe(Day, "the accepted one still counts, the pending one still does not");
        using (var late = await t.Supervisor.Client.PutJsonAsync($"/abcenses/{pending}", Body(new { status = "accepted" })))
        {
            await late.ShouldBeErrorAsync(409, "period_locked");
        }

        using (var unlock = await t.Admin.Client.DeleteAsync($"/periodlocks/{periodLock}"))
        {
            await unlock.ShouldBeJsonAsync(200);
        }
        (await StatusAsync(t.Admin.Client, pending)).ShouldBe("open");
        using (var decided = await t.Supervisor.Client.PutJsonAsync($"/abcenses/{pending}", Body(new { status = "accepted" })))
        {
            await decided.ShouldBeJsonAsync(200);
        }
        (await AbsenceMinutesAsync(t)).ShouldBe(2 * Day);
    }

    [Fact]
    public async Task The_api_reference_documents_approval()
    {
        using var response = await app.CreateClient().GetAsync("/openapi/v1.json");
        var document = await response.ShouldBeJsonAsync(200);
        var schemas = document.GetProperty("components").GetProperty("schemas");

        schemas.GetProperty("AbcenseStatus").GetProperty("enum").EnumerateArray().Select(v => v.GetString()).ShouldContain("rejected");
        schemas.GetProperty("Abcensetype").GetProperty("properties").TryGetProperty("requires_approval", out _).ShouldBeTrue();
        schemas.GetProperty("Abcense").GetProperty("properties").GetProperty("requires_approval").GetProperty("readOnly").GetBoolean().ShouldBeTrue();
        schemas.GetProperty("AbcenseCreate").GetProperty("properties").TryGetProperty("startdate", out _).ShouldBeTrue();
        schemas.GetProperty("AbcenseCreate").GetProperty("properties").TryGetProperty("requires_approval", out _).ShouldBeFalse("the server sets it");
        schemas.GetProperty("AbcenseChanges").GetProperty("properties").TryGetProperty("rejection_reason", out _).ShouldBeTrue();
        document.GetProperty("tags").EnumerateArray().Single(tag => tag.GetProperty("name").GetString() == "Abcenses")
            .GetProperty("description").GetString()!.ShouldContain("rejection_reason");
    }

    /// <summary>A partner with a worker (450 minutes Mon–Fri from 2026-03-01), a foreman, a supervisor and an admin; a type that needs approval and one that does not.</summary>
    private async Task<(Tenant Tenant, long Vacation, long Sick)> SetUpAsync()
    {
        var t = await Tenant.CreateAsync(app, [1, 2, 3, 5]);
        var group = await Accounting.GroupAsync(t.Admin, new { name = "Office", country = "fi", daily_minutes = Day });
        await Accounting.SetUserAsync(t.Admin, t.Worker.Id, group, "2026-03-01");
        var vacation = await t.Admin.Client.CreateAsync("abcensetypes", "abcensetype", new { name = "Vacation", type = "days", requires_approval = true });
        var sick = await t.Admin.Client.CreateAsync("abcensetypes", "abcensetype", new { name = "Sick", type = "days" });
        vacation.GetProperty("requires_approval").GetBoolean().ShouldBeTrue();
        sick.GetProperty("requires_approval").GetBoolean().ShouldBeFalse("approval is off unless a type asks for it");
        return (t, vacation.Id(), sick.Id());
    }

    private static async Task SetRequiresApprovalAsync(Tenant t, long type, bool value)
    {
        using var response = await t.Admin.Client.PutJsonAsync($"/abcensetypes/{type}", new { abcensetype = new { requires_approval = value } });
        await response.ShouldBeJsonAsync(200);
    }

    /// <summary>The worker's absence minutes in the balance through 2026-03-13 (read by the worker).</summary>
    private static async Task<long> AbsenceMinutesAsync(Tenant t) =>
        (await Accounting.SaldoAsync(t.Worker.Client, t.Worker.Id, "2026-03-13")).Minutes("absence_minutes");

    /// <summary>The absence of each split row of the worker's March, in the split's order.</summary>
    private static async Task<List<long>> SplitIdsAsync(Tenant t) =>
        (await t.Worker.Client.ReadAsync("/ttapi/absence/split?startdate=2026-03-01&enddate=2026-03-31&user=self&order=date"))
            .GetProperty("abcenses").EnumerateArray().Select(r => r.Id()).ToList();

    /// <summary>The path of a new calendar feed of the caller's own absences (docs/exports.md, "Calendar feeds").</summary>
    private static async Task<string> OwnFeedAsync(HttpClient client)
    {
        using var response = await client.PostJsonAsync("/calendarfeeds", new { calendarfeed = new { kind = "own" } });
        var url = (await response.ShouldBeJsonAsync(201)).GetProperty("calendarfeed").GetProperty("url").GetString()!;
        return new Uri(url).PathAndQuery;
    }

    /// <summary>The absences of a feed, from the UIDs of its events (<c>abcense-&lt;id&gt;@host</c>), fetched without a login as a calendar app does.</summary>
    private async Task<List<long>> FeedUidsAsync(string path)
    {
        using var response = await app.CreateClient().GetAsync(path);
        response.EnsureSuccessStatusCode();
        var text = await response.Content.ReadAsStringAsync();
        return text.Split('\n').Select(line => line.TrimEnd('\r')).Where(line => line.StartsWith("UID:abcense-", StringComparison.Ordinal))
            .Select(line => long.Parse(line["UID:abcense-".Length..line.IndexOf('@', StringComparison.Ordinal)], CultureInfo.InvariantCulture))
            .ToList();
    }

    private static async Task<string?> StatusAsync(HttpClient client, long id) =>
        (await client.ReadAsync($"/abcenses/{id}")).GetProperty("abcense").GetProperty("status").GetString();

    private static object Body(object abcense) => new { abcense };

    private static async Task ExpectForbiddenAsync(HttpResponseMessage response)
    {
        using (response)
        {
            await response.ShouldBeErrorAsync(403, "forbidden");
        }
    }
}
