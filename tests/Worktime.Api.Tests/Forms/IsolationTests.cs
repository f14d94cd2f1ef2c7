using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.Forms;

/// <summary>Two partners, every route, every form: another partner's rows do not exist for the caller (404, never counted, never referenced).</summary>
[VariesWith(Vary.Backend)]
public sealed class IsolationTests(FakeClockFixture fixture) : IClassFixture<FakeClockFixture>
{
    private readonly WorktimeApplication app = fixture.App;

    /// <summary>Which fields of which forms point at each form (for the reference and options routes).</summary>
    private static readonly Dictionary<string, (string Form, string Field)[]> ReferencedBy = new()
    {
        ["user"] = [("worktime", "user"), ("worktime", "superior"), ("project", "contact_user"), ("abcense", "user"),
            ("employment", "user"), ("saldocorrection", "user"), ("periodlock", "user")],
        ["worktimegroup"] = [("user", "worktimegroup"), ("workdayday", "worktimegroup"), ("employment", "worktimegroup")],
        ["project"] = [("worktime", "project")],
        ["task"] = [("worktime", "task"), ("subtask", "task")],
        ["subtask"] = [("worktime", "subtask")],
        ["customer"] = [("project", "customer")],
        ["worktype"] = [("worktime", "worktype"), ("wagetype", "worktype")],
        ["abcensetype"] = [("abcense", "abcensetype"), ("wagetype", "abcensetype")],
        ["worktime"] = [],
        ["abcense"] = [],
        ["workdayday"] = [],
        ["employment"] = [],
        ["saldocorrection"] = [],
        ["periodlock"] = [],
        ["wagetype"] = [],
    };

    public static TheoryData<string> AllForms => new(SampleRows.Forms);

    [Theory]
    [MemberData(nameof(AllForms))]
    public async Task EveryRoute_OfTheForm_NeverReachesAnotherPartnersRow(string form)
    {
        var a = await Tenant.CreateAsync(app, [5]);
        var b = await Tenant.CreateAsync(app, [5]);
        var plural = SampleRows.Plural(form);
        var theirs = await SampleRows.CreateAsync(form, a.Admin);
        var mine = await SampleRows.CreateAsync(form, b.Admin);
        var id = theirs.Id();
        var c = b.Admin.Client;
        var wide = form switch { "worktime" => "&date=2000-01-01_2099-12-31", "abcense" => "&startdate=2000-01-01_2099-12-31", _ => "" };
        var update = new Dictionary<string, object> { [form] = FormsHttp.Obj(SampleRows.Update(form)) };
        var restore = new Dictionary<string, object> { [form] = new Dictionary<string, object> { ["row_info.status"] = "normal" } };
        var bulk = new Dictionary<string, object> { [form] = FormsHttp.Obj(SampleRows.Update(form), ("id", new[] { id })) };

        await (await c.GetAsync($"/{plural}/{id}")).ShouldBeErrorAsync(404, "not_found");
        await (await c.GetAsync($"/1.1/{plural}/{id}")).ShouldBeErrorAsync(404, "not_found");
        await (await c.PutJsonAsync($"/{plural}/{id}", update)).ShouldBeErrorAsync(404, "not_found");
        await (await c.PutJsonAsync($"/{plural}/{id}", restore)).ShouldBeErrorAsync(404, "not_found");
        await (await c.PutJsonAsync($"/{plural}", bulk)).ShouldBeErrorAsync(404, "not_found");
        await (await c.DeleteAsync($"/{plural}/{id}")).ShouldBeErrorAsync(404, "not_found");
        await (await c.GetAsync($"/{plural}?pid={a.PartnerId}")).ShouldBeErrorAsync(403, "forbidden");
        (await IdsAsync(await c.GetAsync($"/{plural}?id={id}{wide}"))).ShouldBeEmpty();
        (await IdsAsync(await c.GetAsync($"/{plural}?row_info.status=all{wide}"))).ShouldNotContain(id);
        (await IdsAsync(await c.GetAsync($"/{plural}?row_info.status=all{wide}"))).ShouldContain(mine.Id());
        var form2 = new StringContent($"id={id}{wide}", Encoding.UTF8);
        form2.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        (await IdsAsync(await c.PostAsync($"/service/postFindAll?form={form}", form2))).ShouldBeEmpty();
        foreach (var (source, field) in ReferencedBy[form])
        {
            using var options = await c.GetAsync($"/{source}/{field}?id={id}");
            (await options.ShouldBeJsonAsync(200)).GetProperty("count").GetInt32().ShouldBe(0, $"options of {source}.{field}");
            var body = await SampleRows.BodyAsync(source, b.Admin);
            body[field] = id;
            using var reference = await c.PostJsonAsync($"/{SampleRows.Plural(source)}", new Dictionary<string, object> { [source] = body });
            (await reference.ShouldBeErrorAsync(400, "validation_failed")).GetProperty("fields").GetProperty(field).GetString().ShouldNotBeNull();
        }
        if (form is "task" or "project")
        {
            var (other, link) = form == "task" ? ("project", "link.tasks") : ("task", "link.projects");
            using var linked = await c.PostJsonAsync($"/{other}s", new Dictionary<string, object> { [other] = FormsHttp.Obj(("name", "L"), (link, new[] { id })) });
            (await linked.ShouldBeErrorAsync(400, "validation_failed")).GetProperty("fields").GetProperty(link).GetString().ShouldNotBeNull();
            (await IdsAsync(await c.GetAsync($"/{other}s?{link}={id}"))).ShouldBeEmpty();
        }

        using var unchanged = await a.Admin.Client.GetAsync($"/{plural}/{id}");
        (await unchanged.ShouldBeJsonAsync(200)).GetProperty(form).GetRawText().ShouldBe(theirs.GetRawText());
    }

    [Fact]
    public async Task Sideloads_AndLinkSets_OnlyEverShowTheCallersRows()
    {
        var a = await Tenant.CreateAsync(app, [5]);
        var b = await Tenant.CreateAsync(app, [5]);
        var theirTask = (await a.Admin.Client.CreateAsync("tasks", "task", new { name = "Theirs" })).Id();
        var myTask = (await b.Admin.Client.CreateAsync("tasks", "task", new { name = "Mine" })).Id();
        await b.Admin.Client.CreateAsync("worktimes", "worktime", new { date = WorktimeApplication.CurrentMonthDay, task = myTask });

        using var list = await b.Admin.Client.GetAsync("/worktimes?sideload=true&row_info.status=all");
        using var options = await b.Admin.Client.GetAsync("/worktime/tasks");

        var body = await list.ShouldBeJsonAsync(200);
        body.GetProperty("tasks").EnumerateArray().Select(t => t.Id()).ShouldBe([myTask]);
        body.GetProperty("users").EnumerateArray().Select(u => u.Id()).ShouldBe([b.Admin.Id]);
        (await options.ShouldBeJsonAsync(200)).GetProperty("tasks").EnumerateArray().Select(t => t.Id()).ShouldBe([myTask]);
        theirTask.ShouldNotBe(myTask);
    }

    private static async Task<List<long>> IdsAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var body = await response.ShouldBeJsonAsync(200);
            var rows = body.EnumerateObject().First().Value;
            rows.ValueKind.ShouldBe(JsonValueKind.Array);
            body.GetProperty("count").GetInt32().ShouldBe(rows.GetArrayLength() <= 100 ? rows.GetArrayLength() : body.GetProperty("count").GetInt32());
            return rows.EnumerateArray().Select(r => r.Id()).ToList();
        }
    }
}
