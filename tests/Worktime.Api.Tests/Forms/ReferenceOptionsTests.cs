using System.Text.Json;

namespace Worktime.Api.Tests.Forms;

/// <summary><c>GET /&lt;form&gt;/&lt;referenceField&gt;</c>: choices for a reference field, with target filters and dependency filters.</summary>
public sealed class ReferenceOptionsTests(FormsApp app) : IClassFixture<FormsApp>
{
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
    [InlineData("/worktime/tasks?nosuch=1", 400, "invalid_filter")]
    [InlineData("/worktime/tasks?project=abc", 400, "invalid_filter")]
    [InlineData("/worktime/tasks?worktype=1", 400, "invalid_filter")] // worktypes do not narrow tasks
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
