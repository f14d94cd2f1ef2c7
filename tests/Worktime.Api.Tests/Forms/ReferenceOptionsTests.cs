using System.Text.Json;
using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.Forms;

/// <summary><c>GET /&lt;form&gt;/&lt;referenceField&gt;</c>: choices for a reference field, with target filters and dependency filters.</summary>
[VariesWith(Vary.BackendAndCulture)]
public sealed class ReferenceOptionsTests(FakeClockFixture fixture) : IClassFixture<FakeClockFixture>
{
    private readonly WorktimeApplication app = fixture.App;

    [Fact]
    public async Task TaskOptions_WithProjectDependency_ListOnlyTasksLinkedToThatProject()
    {
        var t = await Tenant.CreateAsync(app, [1, 3]);
        var c = t.Supervisor.Client;
        var paint = (await c.CreateAsync("tasks", "task", new { name = "Paint" })).Id();
        var dig = (await c.CreateAsync("tasks", "task", new { name = "Dig" })).Id();
        await c.CreateAsync("tasks", "task", new { name = "Other" });
        var project = (await c.CreateAsync("projects", "project", new Dictionary<string, object> { ["name"] = "Site", ["link.tasks"] = new[] { paint, dig } })).Id();

        using var response = await t.Worker.Client.GetAsync($"/worktime/tasks?project={project}");

        var body = await response.ShouldBeJsonAsync(200);
        body.GetRawText().ShouldBe($"{{\"tasks\":[{{\"id\":{dig},\"text\":\"Dig\"}},{{\"id\":{paint},\"text\":\"Paint\"}}],\"count\":2}}");
    }

    [Fact]
    public async Task SubtaskOptions_WithTaskDependency_ListTheSubtasksOfThatTask()
    {
        var t = await Tenant.CreateAsync(app, [1, 3]);
        var c = t.Supervisor.Client;
        var task = (await c.CreateAsync("tasks", "task", new { name = "Paint" })).Id();
        var other = (await c.CreateAsync("tasks", "task", new { name = "Dig" })).Id();
        var prime = (await c.CreateAsync("subtasks", "subtask", new { name = "Prime", task })).Id();
        await c.CreateAsync("subtasks", "subtask", new { name = "Trench", task = other });

        using var response = await t.Worker.Client.GetAsync($"/1.1/worktime/subtasks?task={task}");

        (await response.ShouldBeJsonAsync(200)).GetRawText().ShouldBe($"{{\"subtasks\":[{{\"id\":{prime},\"text\":\"Prime\"}}],\"count\":1}}");
    }

    [Fact]
    public async Task Options_SupportTargetFiltersPagingAndCount_SortedByDisplayText()
    {
        var t = await Tenant.CreateAsync(app, [3]);
        var c = t.Supervisor.Client;
        foreach (var name in new[] { "Delta", "Alpha", "Charlie", "Bravo" })
        {
            await c.CreateAsync("projects", "project", new { name, city = name == "Alpha" ? "Oulu" : "Turku" });
        }

        using var page = await c.GetAsync("/worktime/project?limit=2&offset=1");
        using var filtered = await c.GetAsync("/worktime/projects?city=Oulu");

        var body = await page.ShouldBeJsonAsync(200);
        Texts(body, "projects").ShouldBe("Bravo Charlie");
        body.GetProperty("count").GetInt32().ShouldBe(4);
        Texts(await filtered.ShouldBeJsonAsync(200), "projects").ShouldBe("Alpha");
    }

    [Fact]
    public async Task UserOptions_JoinDisplayFields_AndFollowTheCallersLevel()
    {
        var t = await Tenant.CreateAsync(app, [1, 2, 5]);
        using var rename = await t.Admin.Client.PutJsonAsync($"/users/{t.Worker.Id}", new { user = new { firstname = "Wendy", lastname = "Worker" } });
        rename.EnsureSuccessStatusCode();

        using var asWorker = await t.Worker.Client.GetAsync("/worktime/user");
        using var asForeman = await t.Foreman.Client.GetAsync("/worktime/users");

        // A worker records only for themselves; a foreman filters everyone's worktimes and so sees every name.
        (await asWorker.ShouldBeJsonAsync(200)).GetRawText().ShouldBe($"{{\"users\":[{{\"id\":{t.Worker.Id},\"text\":\"Wendy Worker\"}}],\"count\":1}}");
        (await asForeman.ShouldBeJsonAsync(200)).GetProperty("count").GetInt32().ShouldBe(3);
    }

    [Theory]
    [InlineData("/worktime/worktypes?user={user}&limit=100&offset=0")] // otta-cli `worktimes options` with a user
    [InlineData("/worktime/worktypes?date=2026-11-02&description=x")] // plain fields of the source form
    [InlineData("/worktime/worktypes?project=abc")] // a reference that cannot narrow worktypes: its value is not read
    public async Task Options_IgnoreSourceFieldsThatCannotNarrowTheTarget(string path)
    {
        var t = await Tenant.CreateAsync(app, [1, 5]);
        var night = (await t.Admin.Client.CreateAsync("worktypes", "worktype", new { name = "Night" })).Id();
        var day = (await t.Admin.Client.CreateAsync("worktypes", "worktype", new { name = "Day" })).Id();

        using var response = await t.Worker.Client.GetAsync(path.Replace("{user}", t.Worker.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));

        (await response.ShouldBeJsonAsync(200)).GetRawText()
            .ShouldBe($"{{\"worktypes\":[{{\"id\":{day},\"text\":\"Day\"}},{{\"id\":{night},\"text\":\"Night\"}}],\"count\":2}}");
    }

    [Fact]
    public async Task AbcensetypeOptions_AsOttaCliAsksForThemInDaysMode_FilterTheTypeAndIgnoreTheUser()
    {
        var t = await Tenant.CreateAsync(app, [1, 5]);
        var both = (await t.Admin.Client.CreateAsync("abcensetypes", "abcensetype", new { name = "Leave", type = "both" })).Id();
        var days = (await t.Admin.Client.CreateAsync("abcensetypes", "abcensetype", new { name = "Sick", type = "days" })).Id();
        await t.Admin.Client.CreateAsync("abcensetypes", "abcensetype", new { name = "Doctor", type = "hours" });

        using var response = await t.Worker.Client.GetAsync($"/abcense/abcensetypes?limit=100&offset=0&type=both%7C%7Cdays%7C%7C(empty)&user={t.Worker.Id}");

        (await response.ShouldBeJsonAsync(200)).GetRawText()
            .ShouldBe($"{{\"abcensetypes\":[{{\"id\":{both},\"text\":\"Leave\"}},{{\"id\":{days},\"text\":\"Sick\"}}],\"count\":2}}");
    }

    [Fact]
    public async Task TaskOptions_WithAWorktype_AreNotNarrowed()
    {
        var t = await Tenant.CreateAsync(app, [3]);
        var c = t.Supervisor.Client;
        await c.CreateAsync("tasks", "task", new { name = "Paint" });
        var worktype = (await c.CreateAsync("worktypes", "worktype", new { name = "Day" })).Id();

        using var all = await c.GetAsync("/worktime/tasks");
        using var withWorktype = await c.GetAsync($"/worktime/tasks?worktype={worktype}");

        (await withWorktype.ShouldBeJsonAsync(200)).GetRawText().ShouldBe((await all.ShouldBeJsonAsync(200)).GetRawText());
    }

    [Theory]
    [InlineData("/worktime/tasks?nosuch=1", 400, "invalid_filter")]
    [InlineData("/worktime/tasks?project=abc", 400, "invalid_filter")]
    [InlineData("/worktime/tasks?user=1&user=2", 400, "invalid_filter")] // a source field given twice
    [InlineData("/abcense/abcensetypes?nosuch=1&user=1", 400, "invalid_filter")] // a field of neither form
    [InlineData("/worktime/description", 404, "not_found")] // not a reference field
    [InlineData("/worktime/nosuch", 404, "not_found")]
    [InlineData("/worktimes/tasks", 404, "not_found")]
    public async Task Options_WithUnknownParametersOrFields_ReturnJsonErrors(string path, int status, string error)
    {
        var t = await Tenant.CreateAsync(app, [3]);

        using var response = await t.Supervisor.Client.GetAsync(path);

        await response.ShouldBeErrorAsync(status, error);
    }

    private static string Texts(JsonElement body, string key) =>
        string.Join(' ', body.GetProperty(key).EnumerateArray().Select(r => r.GetProperty("text").GetString()));
}
