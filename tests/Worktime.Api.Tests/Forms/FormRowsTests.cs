using System.Text.Json;
using Microsoft.Extensions.Primitives;
using Worktime.Api.Auth;
using Worktime.Api.Forms;
using Worktime.Api.Forms.Definitions;
using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.Forms;

/// <summary>
/// The forms engine's door (<see cref="FormRows"/>, docs/architecture.md): what a web page, a report or an export
/// gets from it is what the REST routes answer for the same caller — the same rows, counts, refusals and privileges —
/// and its reads beyond a page (stream, sums, counts per month) agree with the rows themselves. Rows are written
/// through the API and through the door alike; the real app on a real database, either backend.
/// </summary>
[VariesWith(Vary.Backend)]
public sealed class FormRowsTests(FakeClockFixture fixture) : IClassFixture<FakeClockFixture>
{
    private readonly WorktimeApplication app = fixture.App;

    private FormRows Door => app.Service<FormRows>();

    [Fact]
    public async Task FindAll_and_get_through_the_door_answer_what_the_routes_answer_for_the_same_caller()
    {
        var t = await Tenant.CreateAsync(app, [1, 5], otherWorker: true);
        var mine = await WorktimeAsync(t.Worker.Client, t.Worker.Id, "2026-10-05");
        var theirs = await WorktimeAsync(t.Admin.Client, t.OtherWorker.Id, "2026-10-06");
        var worker = Caller(t, t.Worker);
        var parameters = Parameters(("date", "2026-10-01_2026-10-31"), ("sideload", "true"));

        var page = (await Door.FindAllAsync(BuiltInForms.Worktime, worker, parameters, default)).Value!;
        using var route = await t.Worker.Client.GetAsync("/worktimes?date=2026-10-01_2026-10-31&sideload=true");
        var json = await route.ShouldBeJsonAsync(200);

        page.Rows.Select(r => r.Id).ShouldBe(json.GetProperty("worktimes").EnumerateArray().Select(r => r.Id()));
        page.Rows.Select(r => r.Id).ShouldBe([mine]);
        page.Count.ShouldBe(json.GetProperty("count").GetInt64());
        page.Sideloads.Select(s => s.Target.PluralKey).ShouldBe(["users"]);
        page.Sideloads[0].Rows.Select(r => r.Id).ShouldBe(json.GetProperty("users").EnumerateArray().Select(r => r.Id()));

        var own = await Door.GetAsync(BuiltInForms.Worktime, worker, mine, default);
        own.Error.ShouldBeNull();
        FormRows.Privileges(BuiltInForms.Worktime, worker, own.Value!.Row)
            .ShouldBe(new RowPrivileges(Edit: true, Remove: true));
        var other = await Door.GetAsync(BuiltInForms.Worktime, worker, theirs, default);
        other.Error!.Status.ShouldBe(403);
        (await Door.GetAsync(BuiltInForms.Worktime, worker, theirs + 1_000_000, default)).Error!.Status.ShouldBe(404);
        using var routeOther = await t.Worker.Client.GetAsync($"/worktimes/{theirs}");
        await routeOther.ShouldBeErrorAsync(403, "forbidden");
        (await Door.FindAllAsync(BuiltInForms.Worktime, worker, Parameters(("nosuchfield", "1")), default)).Error!.Code.ShouldBe("invalid_filter");
    }

    [Fact]
    public async Task Writes_through_the_door_validate_refuse_and_compute_like_the_api()
    {
        var t = await Tenant.CreateAsync(app, [1, 5], otherWorker: true);
        var worker = Caller(t, t.Worker);

        var created = await Door.CreateAsync(BuiltInForms.Worktime, worker,
            Fields(new { date = "2026-10-07", starttime = "08:00", endtime = "16:00", pause = 30 }), validate: true, default);
        created.Error.ShouldBeNull();
        using (var read = await t.Worker.Client.GetAsync($"/worktimes/{created.Value}"))
        {
            var row = (await read.ShouldBeJsonAsync(200)).GetProperty("worktime");
            row.GetProperty("work_hours").GetString().ShouldBe("7:30"); // the hook ran
            row.GetProperty("user").GetInt64().ShouldBe(t.Worker.Id); // a worker records for themselves
            row.GetProperty("row_info").GetProperty("privilege_edit").GetBoolean().ShouldBeTrue();
        }

        var invalid = await Door.CreateAsync(BuiltInForms.Worktime, worker, Fields(new { date = "2026-13-01", starttime = "8" }), validate: true, default);
        invalid.Error!.Code.ShouldBe("validation_failed");
        invalid.Error.Fields!.Keys.ShouldBe(["date", "starttime"], ignoreOrder: true);
        var forSomeoneElse = await Door.CreateAsync(BuiltInForms.Worktime, worker, Fields(new { date = "2026-10-07", user = t.OtherWorker.Id }), validate: true, default);
        forSomeoneElse.Error!.Status.ShouldBe(403);

        var accepted = await Door.UpdateAsync(BuiltInForms.Worktime, Caller(t, t.Admin), created.Value, Fields(new { status = "accepted" }), validate: true, default);
        accepted.Error.ShouldBeNull();
        var closed = (await Door.GetAsync(BuiltInForms.Worktime, worker, created.Value, default)).Value!.Row;
        FormRows.Privileges(BuiltInForms.Worktime, worker, closed).ShouldBe(new RowPrivileges(Edit: false, Remove: false));
        (await Door.UpdateAsync(BuiltInForms.Worktime, worker, created.Value, Fields(new { description = "later" }), validate: true, default))
            .Error!.Status.ShouldBe(403);
        (await Door.RemoveAsync(BuiltInForms.Worktime, worker, created.Value, default))!.Status.ShouldBe(403);
        (await Door.RemoveAsync(BuiltInForms.Worktime, Caller(t, t.Admin), created.Value, default)).ShouldBeNull();
        using var gone = await t.Admin.Client.GetAsync($"/worktimes?date=2026-10-01_2026-10-31&row_info.status=removed");
        (await gone.ShouldBeJsonAsync(200)).GetProperty("worktimes").EnumerateArray().Select(r => r.Id()).ShouldBe([created.Value]);
    }

    [Fact]
    public async Task A_stream_reads_every_match_in_order_beyond_a_page_and_only_what_the_caller_may_read()
    {
        var t = await Tenant.CreateAsync(app, [1, 5]);
        var admin = Caller(t, t.Admin);
        for (var i = 0; i < 130; i++)
        {
            var user = i % 3 == 0 ? t.Worker.Id : t.Admin.Id;
            var day = $"2026-09-{1 + i % 30:00}";
            (await Door.CreateAsync(BuiltInForms.Worktime, admin, Fields(new { date = day, user, starttime = "08:00", endtime = "09:00" }), validate: true, default))
                .Error.ShouldBeNull();
        }
        var parameters = Parameters(("date", "2026-09-01_2026-09-30"), ("order", "-date"), ("limit", "5"));

        var everything = await ToListAsync(Door.StreamAsync(Door.Query(BuiltInForms.Worktime, admin, parameters).Value!, default));
        everything.Count.ShouldBe(130);
        everything.Select(r => r.Text("date")).ShouldBe(everything.Select(r => r.Text("date")).OrderDescending(StringComparer.Ordinal));
        everything.Select(r => r.Id).ShouldBeUnique();
        (await Door.FindAllAsync(BuiltInForms.Worktime, admin, parameters, default)).Value!.Rows.Count.ShouldBe(5); // the page keeps its limit

        var workers = await ToListAsync(Door.StreamAsync(Door.Query(BuiltInForms.Worktime, Caller(t, t.Worker), parameters).Value!, default));
        workers.Count.ShouldBe(44);
        workers.ShouldAllBe(r => r.Long("user") == t.Worker.Id);
    }

    [Fact]
    public async Task Sums_and_counts_per_month_agree_with_the_rows_for_every_kind_of_query()
    {
        var t = await Tenant.CreateAsync(app, [1, 5]);
        var admin = Caller(t, t.Admin);
        var minutes = new Dictionary<(long User, string Month), long>();
        var days = new[] { "2026-08-31", "2026-09-01", "2026-09-15", "2026-10-01", "2026-10-31", "2026-10-31" };
        for (var i = 0; i < days.Length; i++)
        {
            var user = i % 2 == 0 ? t.Worker.Id : t.Admin.Id;
            var end = $"{9 + i:00}:15";
            await Door.CreateAsync(BuiltInForms.Worktime, admin, Fields(new { date = days[i], user, starttime = "08:00", endtime = end }), validate: true, default);
            var key = (user, days[i][..7]);
            minutes[key] = minutes.GetValueOrDefault(key) + (60 * (1 + i)) + 15;
        }
        var removed = (await Door.CreateAsync(BuiltInForms.Worktime, admin, Fields(new { date = "2026-09-02", user = t.Worker.Id, starttime = "08:00", endtime = "18:00" }), validate: true, default)).Value;
        (await Door.RemoveAsync(BuiltInForms.Worktime, admin, removed, default)).ShouldBeNull();
        var threeMonths = Parameters(("date", "2026-08-01_2026-10-31"));

        var sums = await Door.SumAsync(Door.Query(BuiltInForms.Worktime, admin, threeMonths).Value!, ["user", "date:month"], ["work_hours"], default);
        sums.ToDictionary(g => (g.KeyLong("user")!.Value, g.KeyText("date:month")!), g => g.SumLong("work_hours")).ShouldBe(minutes, ignoreOrder: true);
        sums.Sum(g => g.Count).ShouldBe(days.Length);

        var expected = days.GroupBy(d => d[..7]).Select(g => new MonthCount(g.Key, g.Count())).ToList();
        // whole months of an unrestricted caller: from the kept counts; the same as counting the rows
        (await Door.CountPerMonthAsync(Door.Query(BuiltInForms.Worktime, admin, threeMonths).Value!, default)).ShouldBe(expected);
        (await Door.CountPerMonthAsync(Door.Query(BuiltInForms.Worktime, admin, Parameters(("date", "2026-08-01_2026-10-31"), ("user", $"{t.Worker.Id},{t.Admin.Id}"))).Value!, default))
            .ShouldBe(expected);
        (await Door.CountPerMonthAsync(Door.PartnerQuery(BuiltInForms.Worktime, t.PartnerId).Between("date", new(2026, 8, 1), new(2026, 10, 31)), default))
            .ShouldBe(expected);
        var workerMonths = await Door.CountPerMonthAsync(Door.Query(BuiltInForms.Worktime, Caller(t, t.Worker), threeMonths).Value!, default);
        workerMonths.ShouldBe(days.Where((_, i) => i % 2 == 0).GroupBy(d => d[..7]).Select(g => new MonthCount(g.Key, g.Count())));
    }

    [Fact]
    public async Task A_partner_query_reads_one_partners_rows_with_typed_conditions()
    {
        var t = await Tenant.CreateAsync(app, [5]);
        var other = await Tenant.CreateAsync(app, [5]);
        var admin = Caller(t, t.Admin);
        async Task<long> AbsenceAsync(Tenant tenant, object fields) =>
            (await Door.CreateAsync(BuiltInForms.Abcense, Caller(tenant, tenant.Admin), Fields(fields), validate: true, default)).Value;
        var week = await AbsenceAsync(t, new { user = t.Admin.Id, startdate = "2026-03-02", enddate = "2026-03-06" });
        var oneDay = await AbsenceAsync(t, new { user = t.Admin.Id, startdate = "2026-03-09" });
        var before = await AbsenceAsync(t, new { user = t.Admin.Id, startdate = "2026-02-27" });
        await AbsenceAsync(other, new { user = other.Admin.Id, startdate = "2026-03-04" });
        (await Door.RemoveAsync(BuiltInForms.Abcense, admin, before, default)).ShouldBeNull();

        async Task<List<long>> IdsAsync(FormQuery query) => (await Door.ListAsync(query, default)).Select(r => r.Id).ToList();
        var absences = () => Door.PartnerQuery(BuiltInForms.Abcense, t.PartnerId);
        (await IdsAsync(absences().Overlapping("startdate", "enddate", new(2026, 3, 6), new(2026, 3, 9)))).ShouldBe([week, oneDay]);
        (await IdsAsync(absences().Overlapping("startdate", "enddate", new(2026, 3, 7), new(2026, 3, 8)))).ShouldBeEmpty();
        (await IdsAsync(absences().IsSet("enddate"))).ShouldBe([week]);
        (await IdsAsync(absences().In("id", []))).ShouldBeEmpty();
        (await IdsAsync(absences().In("id", [before, week]))).ShouldBe([week]); // removed rows only when asked for
        (await IdsAsync(absences().AnyStatus().In("id", [before, week]))).ShouldBe([week, before]); // id order
        (await IdsAsync(absences().OrderBy("startdate", descending: true))).ShouldBe([oneDay, week]);
        Should.Throw<InvalidOperationException>(() => absences().Is("password", "x")); // a field the form does not store is a bug
    }

    private static CurrentUser Caller(Tenant t, TenantUser user) => new(user.Id, t.PartnerId, user.Level, user.Username, "test");

    private static KeyValuePair<string, StringValues>[] Parameters(params (string Key, string Value)[] pairs) =>
        pairs.Select(p => KeyValuePair.Create(p.Key, new StringValues(p.Value))).ToArray();

    private static JsonElement Fields(object fields) => JsonSerializer.SerializeToElement(fields);

    private static async Task<long> WorktimeAsync(HttpClient client, long user, string date) =>
        (await client.CreateAsync("worktimes", "worktime", new { date, user, starttime = "08:00", endtime = "12:00" })).Id();

    private static async Task<List<StoredRow>> ToListAsync(IAsyncEnumerable<StoredRow> rows)
    {
        var list = new List<StoredRow>();
        await foreach (var row in rows)
        {
            list.Add(row);
        }
        return list;
    }
}
