using Microsoft.Extensions.Primitives;
using Worktime.Api.Auth;
using Worktime.Api.Forms;
using Worktime.Api.Forms.Definitions;
using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.Forms;

/// <summary>
/// The order rows come in when nobody asks for one, and when the asked order ties (docs/forms.md: a date-indexed
/// form by its date, any other by id; ties broken by <c>id</c> in the direction of the first key), through the
/// routes and through the forms door (a partner query is in id order). Every test first updates some of its rows:
/// PostgreSQL writes an updated row's new version after the others in the table, so a statement that loses its
/// ORDER BY (or sorts by anything else) answers them out of order there — SQLite keeps rows in id order whatever
/// the statement says, which is why this class runs on both backends.
/// </summary>
[VariesWith(Vary.Backend)]
public sealed class DefaultOrderTests(FakeClockFixture fixture) : IClassFixture<FakeClockFixture>
{
    private readonly WorktimeApplication app = fixture.App;

    private static readonly object Moved = new { description = "moved" };

    private FormRows Door => app.Service<FormRows>();

    [Fact]
    public async Task A_listing_without_an_order_is_by_date_then_id_and_a_form_without_a_date_by_id()
    {
        var t = await Tenant.CreateAsync(app, [5]);
        var admin = t.Admin.Client;
        string[] dates = ["2026-10-20", "2026-10-03", "2026-10-20", "2026-10-11", "2026-10-03", "2026-10-20", "2026-10-11"];
        var created = new List<(long Id, string Date)>();
        foreach (var date in dates)
        {
            created.Add((await WorktimeAsync(admin, t.Admin.Id, date), date));
        }
        var projects = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            projects.Add((await admin.CreateAsync("projects", "project", new { name = $"Project {i}" })).Id());
        }
        await MoveAsync(admin, "worktimes", "worktime", Moved, created[0].Id, created[2].Id, created[4].Id);
        await MoveAsync(admin, "projects", "project", Moved, projects[0], projects[1], projects[3]);

        var byDateThenId = created.OrderBy(r => r.Date, StringComparer.Ordinal).ThenBy(r => r.Id).Select(r => r.Id).ToList();
        (await IdsAsync(admin, "/worktimes?date=2026-10-01_2026-10-31", "worktimes")).ShouldBe(byDateThenId);
        (await IdsAsync(admin, "/projects", "projects")).ShouldBe(projects.Order().ToList());

        // The door's findAll and its stream of a caller's query answer the same order as the route.
        var caller = new CurrentUser(t.Admin.Id, t.PartnerId, 5, t.Admin.Username, "test");
        var month = Parameters(("date", "2026-10-01_2026-10-31"));
        (await Door.FindAllAsync(BuiltInForms.Worktime, caller, month, default)).Value!.Rows.Select(r => r.Id).ShouldBe(byDateThenId);
        (await StreamIdsAsync(Door.Query(BuiltInForms.Worktime, caller, month).Value!)).ShouldBe(byDateThenId);
        (await StreamIdsAsync(Door.Query(BuiltInForms.Project, caller, []).Value!)).ShouldBe(projects.Order().ToList());
    }

    [Fact]
    public async Task A_partner_query_of_the_door_answers_its_rows_in_id_order()
    {
        var t = await Tenant.CreateAsync(app, [5]);
        var admin = t.Admin.Client;
        string[] dates = ["2026-09-30", "2026-09-02", "2026-09-15", "2026-09-02", "2026-09-30", "2026-09-09"];
        var ids = new List<long>();
        foreach (var date in dates)
        {
            ids.Add(await WorktimeAsync(admin, t.Admin.Id, date));
        }
        var projects = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            projects.Add((await admin.CreateAsync("projects", "project", new { name = $"Project {i}" })).Id());
        }
        await MoveAsync(admin, "worktimes", "worktime", Moved, ids[0], ids[1], ids[3]);
        await MoveAsync(admin, "projects", "project", Moved, projects[0], projects[2]);

        var month = () => Door.PartnerQuery(BuiltInForms.Worktime, t.PartnerId).Between("date", new(2026, 9, 1), new(2026, 9, 30));
        (await ListIdsAsync(month())).ShouldBe(ids.Order().ToList());
        (await StreamIdsAsync(month())).ShouldBe(ids.Order().ToList());
        (await ListIdsAsync(Door.PartnerQuery(BuiltInForms.Worktime, t.PartnerId).Is("user", t.Admin.Id))).ShouldBe(ids.Order().ToList());
        (await ListIdsAsync(Door.PartnerQuery(BuiltInForms.Project, t.PartnerId))).ShouldBe(projects.Order().ToList());
        (await ListIdsAsync(Door.PartnerQuery(BuiltInForms.Project, t.PartnerId).In("id", projects.AsEnumerable().Reverse().ToList())))
            .ShouldBe(projects.Order().ToList());
        // An asked order is kept, ties by id in its direction.
        (await ListIdsAsync(month().OrderBy("date", descending: true)))
            .ShouldBe(ids.Zip(dates).OrderByDescending(r => r.Second, StringComparer.Ordinal).ThenByDescending(r => r.First).Select(r => r.First).ToList());
    }

    [Fact]
    public async Task Pages_of_rows_with_equal_sort_keys_hold_every_row_once_in_id_order()
    {
        var t = await Tenant.CreateAsync(app, [5]);
        var admin = t.Admin.Client;
        var project = (await admin.CreateAsync("projects", "project", new { name = "One project" })).Id();
        var ids = new List<long>();
        for (var i = 0; i < 11; i++)
        {
            var row = await admin.CreateAsync("worktimes", "worktime",
                new { date = "2026-08-14", user = t.Admin.Id, project, starttime = "08:00", endtime = "12:00", description = "same" });
            ids.Add(row.Id());
        }
        // Moved by a field none of the orders below reads, so every row still ties on them.
        await MoveAsync(admin, "worktimes", "worktime", new { starttime = "07:00" }, ids[0], ids[4], ids[5], ids[9]);
        var ascending = ids.Order().ToList();
        var descending = ids.OrderDescending().ToList();

        // The default order, and orders every row ties on, paged three at a time: the pages partition the rows.
        foreach (var (order, expected) in new[]
        {
            ("", ascending), ("&order=date", ascending), ("&order=project", ascending), ("&order=description", ascending),
            ("&order=-date", descending), ("&order=-description", descending), ("&order=project,-date", ascending),
        })
        {
            var paged = new List<long>();
            for (var offset = 0; offset < ids.Count; offset += 3)
            {
                paged.AddRange(await IdsAsync(admin, $"/worktimes?date=2026-08-14&limit=3&offset={offset}{order}", "worktimes"));
            }
            paged.ShouldBe(expected, $"order '{order}'");
        }
    }

    /// <summary>Updates the rows, so PostgreSQL keeps their new versions after the rows not updated.</summary>
    private static async Task MoveAsync(HttpClient client, string plural, string key, object fields, params long[] ids)
    {
        foreach (var id in ids)
        {
            using var response = await client.PutJsonAsync($"/{plural}/{id}", new Dictionary<string, object> { [key] = fields });
            await response.ShouldBeJsonAsync(200);
        }
    }

    private static async Task<List<long>> IdsAsync(HttpClient client, string path, string plural)
    {
        using var response = await client.GetAsync(path);
        return (await response.ShouldBeJsonAsync(200)).GetProperty(plural).EnumerateArray().Select(r => r.Id()).ToList();
    }

    private async Task<List<long>> ListIdsAsync(FormQuery query) => (await Door.ListAsync(query, default)).Select(r => r.Id).ToList();

    private async Task<List<long>> StreamIdsAsync(FormQuery query)
    {
        var ids = new List<long>();
        await foreach (var row in Door.StreamAsync(query, default))
        {
            ids.Add(row.Id);
        }
        return ids;
    }

    private static KeyValuePair<string, StringValues>[] Parameters(params (string Key, string Value)[] pairs) =>
        pairs.Select(p => KeyValuePair.Create(p.Key, new StringValues(p.Value))).ToArray();

    private static async Task<long> WorktimeAsync(HttpClient client, long user, string date) =>
        (await client.CreateAsync("worktimes", "worktime", new { date, user, starttime = "08:00", endtime = "12:00" })).Id();
}
