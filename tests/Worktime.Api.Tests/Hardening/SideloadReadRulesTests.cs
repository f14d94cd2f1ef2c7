using System.Net.Http.Headers;
using System.Text;
using Worktime.Api.Tests.Forms;
using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.Hardening;

/// <summary>
/// A sideloaded row shows only what the caller could read of it through the target form's own route; for users
/// read below level 4 that is <c>id</c>, <c>firstname</c>, <c>lastname</c> (docs/forms.md).
/// </summary>
[VariesWith(Vary.Backend)]
public sealed class SideloadReadRulesTests(FakeClockFixture fixture) : IClassFixture<FakeClockFixture>
{
    private readonly WorktimeApplication app = fixture.App;

    /// <summary>Every reference field of every form, with its target (from <c>GET /forms</c>, so new forms are covered).</summary>
    private static async Task<List<(string Form, string Plural, string Field, string Target)>> ReferencesAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/forms");
        var forms = (await response.ShouldBeJsonAsync(200)).GetProperty("forms").EnumerateArray().ToList();
        return forms.SelectMany(f => f.GetProperty("fields").EnumerateArray()
                .Where(x => x.GetProperty("type").GetString() == "database")
                .Select(x => (f.GetProperty("name").GetString()!, f.GetProperty("plural").GetString()!,
                    x.GetProperty("name").GetString()!, x.GetProperty("form").GetString()!)))
            .ToList();
    }

    private static async Task<Dictionary<string, (List<string> Readable, List<string> Display)>> TargetsAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/forms");
        return (await response.ShouldBeJsonAsync(200)).GetProperty("forms").EnumerateArray().ToDictionary(
            f => f.GetProperty("name").GetString()!,
            f => (f.GetProperty("fields").EnumerateArray()
                    .Where(x => !x.TryGetProperty("write_only", out var w) || !w.GetBoolean())
                    .Select(x => x.GetProperty("name").GetString()!).ToList(),
                f.GetProperty("display_fields").EnumerateArray().Select(d => d.GetString()!).ToList()));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Sideload_respects_target_read_rules_for_every_reference_of_every_form(int level)
    {
        var t = await Tenant.CreateAsync(app, [level, 5]);
        var caller = t.ByLevel[level].Client;
        var targets = await TargetsAsync(caller);

        foreach (var (_, plural, field, target) in await ReferencesAsync(caller))
        {
            // Users are read in full from level 4 (their own route answers 403 below); every other target from level 1.
            var restricted = target == "user";
            foreach (var shown in targets[target].Readable)
            {
                using var response = await caller.GetAsync($"/{plural}?sideload[]={field}.{shown}");

                if (restricted && !targets[target].Display.Contains(shown))
                {
                    var error = await response.ShouldBeErrorAsync(400, "invalid_filter");
                    error.GetProperty("error_description").GetString()!.ShouldContain("may not read");
                }
                else
                {
                    await response.ShouldBeJsonAsync(200);
                }
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Sideload_of_a_user_the_caller_may_not_read_shows_only_id_and_names(int level)
    {
        var t = await Tenant.CreateAsync(app, [level, 4, 5]);
        var caller = t.ByLevel[level];
        var manager = t.Manager;
        await t.Admin.Client.PutJsonAsync($"/users/{manager.Id}", new { user = new { email = "boss@secret.test", phone = "+358 99 SECRET" } });
        var worktime = await t.Admin.Client.CreateAsync("worktimes", "worktime",
            new { date = WorktimeApplication.CurrentMonthDay, user = caller.Id, superior = manager.Id });
        await t.Admin.Client.CreateAsync("projects", "project", new { name = "Site", contact_user = manager.Id });
        using var ownRoute = await caller.Client.GetAsync($"/users/{manager.Id}");
        await ownRoute.ShouldBeErrorAsync(403, "forbidden"); // the premise: the caller may not read that user

        using var all = await caller.Client.GetAsync($"/worktimes?id={worktime.Id()}&sideload=true");
        using var named = await caller.Client.GetAsync($"/worktimes?id={worktime.Id()}&sideload[]=superior");
        using var projects = await caller.Client.GetAsync("/projects?sideload[]=contact_user");

        foreach (var body in new[] { await all.ShouldBeJsonAsync(200), await named.ShouldBeJsonAsync(200), await projects.ShouldBeJsonAsync(200) })
        {
            var sideloaded = body.GetProperty("users").EnumerateArray().Single(u => u.Id() == manager.Id);
            sideloaded.Keys().ShouldBe(["id", "firstname", "lastname"]);
            body.GetRawText().ShouldNotContain("SECRET");
            body.GetRawText().ShouldNotContain(manager.Username);
        }
    }

    [Theory]
    [InlineData("superior.username")]
    [InlineData("superior.email")]
    [InlineData("superior.phone")]
    [InlineData("superior.userlevel")]
    [InlineData("superior.status")]
    [InlineData("user.username")]
    [InlineData("superior.firstname,superior.email")]
    public async Task Sideload_of_unreadable_user_fields_is_refused_in_query_and_postFindAll(string sideload)
    {
        var t = await Tenant.CreateAsync(app, [1]);

        using var get = await t.Worker.Client.GetAsync($"/worktimes?sideload[]={sideload}");
        using var indexed = await t.Worker.Client.GetAsync($"/worktimes?sideload[0]={sideload}");
        var content = new StringContent($"sideload%5B0%5D={Uri.EscapeDataString(sideload)}", Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        using var post = await t.Worker.Client.PostAsync("/service/postFindAll?form=worktime", content);

        await get.ShouldBeErrorAsync(400, "invalid_filter");
        await indexed.ShouldBeErrorAsync(400, "invalid_filter");
        await post.ShouldBeErrorAsync(400, "invalid_filter");
    }

    [Fact]
    public async Task Sideload_by_a_manager_who_reads_every_user_shows_the_fields_named()
    {
        var t = await Tenant.CreateAsync(app, [1, 4, 5]);
        var worktime = await t.Admin.Client.CreateAsync("worktimes", "worktime",
            new { date = WorktimeApplication.CurrentMonthDay, user = t.Worker.Id, superior = t.Admin.Id });

        using var response = await t.Manager.Client.GetAsync($"/worktimes?id={worktime.Id()}&sideload[]=superior.username,superior.userlevel");

        var users = (await response.ShouldBeJsonAsync(200)).GetProperty("users").EnumerateArray().ToList();
        users.Single().GetRawText().ShouldBe($"{{\"id\":{t.Admin.Id},\"username\":\"{t.Admin.Username}\",\"userlevel\":5}}");
    }
}
