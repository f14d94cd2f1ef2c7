using System.Globalization;
using System.Text.Json;
using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.Forms;

/// <summary>Many-to-many links (<c>link.tasks</c> on projects, <c>link.projects</c> on tasks): replace, read back, symmetric, filterable both ways.</summary>
[VariesWith(Vary.Backend)]
public sealed class LinkTests(FakeClockFixture fixture) : IClassFixture<FakeClockFixture>
{
    private readonly WorktimeApplication app = fixture.App;

    [Fact]
    public async Task LinkSet_WrittenAsStringIds_IsReadBackOnGetOneAndReplacedByTheNextWrite()
    {
        var t = await Tenant.CreateAsync(app, [3]);
        var c = t.Supervisor.Client;
        var (t1, t2, t3) = (await TaskAsync(c, "one"), await TaskAsync(c, "two"), await TaskAsync(c, "three"));

        var project = await c.CreateAsync("projects", "project",
            new Dictionary<string, object> { ["name"] = "Linked", ["link.tasks"] = new[] { t2.ToString(CultureInfo.InvariantCulture), t1.ToString(CultureInfo.InvariantCulture) } });
        Links(project, "link.tasks").ShouldBe([t1.ToString(CultureInfo.InvariantCulture), t2.ToString(CultureInfo.InvariantCulture)]);

        using var replace = await c.PutJsonAsync($"/projects/{project.Id()}",
            new { project = new Dictionary<string, object> { ["link.tasks"] = new[] { t3 } } });
        Links((await replace.ShouldBeJsonAsync(200)).GetProperty("project"), "link.tasks").ShouldBe([t3.ToString(CultureInfo.InvariantCulture)]);

        Links(await GetAsync(c, "tasks", "task", t1), "link.projects").ShouldBeEmpty();
        Links(await GetAsync(c, "tasks", "task", t3), "link.projects").ShouldBe([project.Id().ToString(CultureInfo.InvariantCulture)]);
    }

    [Fact]
    public async Task LinkSet_WrittenFromTheOtherSide_IsSymmetric_AndFilterableFromBothSides()
    {
        var t = await Tenant.CreateAsync(app, [3]);
        var c = t.Supervisor.Client;
        var (t1, t2) = (await TaskAsync(c, "one"), await TaskAsync(c, "two"));
        var p1 = (await c.CreateAsync("projects", "project", new Dictionary<string, object> { ["name"] = "A", ["link.tasks"] = new[] { t1 } })).Id();
        var p2 = (await c.CreateAsync("projects", "project", new { name = "B" })).Id();

        using var fromTask = await c.PutJsonAsync($"/tasks/{t2}", new { task = new Dictionary<string, object> { ["link.projects"] = new[] { p1, p2 } } });
        (await fromTask.ShouldBeJsonAsync(200)).GetProperty("task").GetProperty("link.projects").GetArrayLength().ShouldBe(2);

        Links(await GetAsync(c, "projects", "project", p1), "link.tasks").ShouldBe([t1.ToString(CultureInfo.InvariantCulture), t2.ToString(CultureInfo.InvariantCulture)]);
        Links(await GetAsync(c, "projects", "project", p2), "link.tasks").ShouldBe([t2.ToString(CultureInfo.InvariantCulture)]);
        (await NamesAsync(c, $"/tasks?link.projects={p1}")).ShouldBe("one two");
        (await NamesAsync(c, $"/tasks?link.projects={p2}")).ShouldBe("two");
        (await NamesAsync(c, $"/projects?link.tasks={t2}")).ShouldBe("A B");
        (await NamesAsync(c, $"/projects?link.tasks={t1}")).ShouldBe("A");
        (await NamesAsync(c, $"/projects?link.tasks={t1},{t2}")).ShouldBe("A B");
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("null")]
    public async Task LinkSet_EmptyOrNull_ClearsTheLinks(string value)
    {
        var t = await Tenant.CreateAsync(app, [3]);
        var c = t.Supervisor.Client;
        var task = await TaskAsync(c, "one");
        var project = (await c.CreateAsync("projects", "project", new Dictionary<string, object> { ["name"] = "A", ["link.tasks"] = new[] { task } })).Id();

        using var response = await c.SendRawAsync(HttpMethod.Put, $"/projects/{project}", $"{{\"project\":{{\"link.tasks\":{value}}}}}");

        Links((await response.ShouldBeJsonAsync(200)).GetProperty("project"), "link.tasks").ShouldBeEmpty();
        Links(await GetAsync(c, "tasks", "task", task), "link.projects").ShouldBeEmpty();
    }

    [Fact]
    public async Task LinkedRow_WhenRemoved_DisappearsFromTheSet_AndReturnsWhenRestored()
    {
        var t = await Tenant.CreateAsync(app, [3, 4]);
        var c = t.Supervisor.Client;
        var (t1, t2) = (await TaskAsync(c, "one"), await TaskAsync(c, "two"));
        var project = (await c.CreateAsync("projects", "project", new Dictionary<string, object> { ["name"] = "A", ["link.tasks"] = new[] { t1, t2 } })).Id();

        (await t.Manager.Client.DeleteAsync($"/tasks/{t1}")).EnsureSuccessStatusCode();
        Links(await GetAsync(c, "projects", "project", project), "link.tasks").ShouldBe([t2.ToString(CultureInfo.InvariantCulture)]);

        using var restore = await t.Manager.Client.PutJsonAsync($"/tasks/{t1}", new { task = new Dictionary<string, object> { ["row_info.status"] = "normal" } });
        restore.EnsureSuccessStatusCode();
        Links(await GetAsync(c, "projects", "project", project), "link.tasks").ShouldBe([t1.ToString(CultureInfo.InvariantCulture), t2.ToString(CultureInfo.InvariantCulture)]);
    }

    [Theory]
    [InlineData("[\"abc\"]")]
    [InlineData("[0]")]
    [InlineData("\"x\"")]
    [InlineData("[99999999]")]
    [InlineData("{\"a\":1}")]
    public async Task LinkSet_WithInvalidOrUnknownIds_Returns400AndLinksNothing(string value)
    {
        var t = await Tenant.CreateAsync(app, [3]);
        var c = t.Supervisor.Client;
        var task = await TaskAsync(c, "one");

        using var response = await c.SendRawAsync(HttpMethod.Post, "/projects", $"{{\"project\":{{\"name\":\"P\",\"link.tasks\":{value}}}}}");

        var body = await response.ShouldBeErrorAsync(400, "validation_failed");
        body.GetProperty("fields").TryGetProperty("link.tasks", out _).ShouldBeTrue();
        Links(await GetAsync(c, "tasks", "task", task), "link.projects").ShouldBeEmpty();
        (await NamesAsync(c, "/projects")).ShouldBe("");
    }

    [Fact]
    public async Task LinkKey_ThatTheFormDoesNotHave_Returns400()
    {
        var t = await Tenant.CreateAsync(app, [3]);

        using var response = await t.Supervisor.Client.SendRawAsync(HttpMethod.Post, "/worktypes", "{\"worktype\":{\"name\":\"W\",\"link.tasks\":[]}}");

        (await response.ShouldBeErrorAsync(400, "validation_failed")).GetProperty("fields").GetProperty("link.tasks").GetString().ShouldNotBeNull();
    }

    private static async Task<long> TaskAsync(HttpClient c, string name) => (await c.CreateAsync("tasks", "task", new { name })).Id();

    private static async Task<JsonElement> GetAsync(HttpClient c, string plural, string key, long id)
    {
        using var response = await c.GetAsync($"/{plural}/{id}");
        return (await response.ShouldBeJsonAsync(200)).GetProperty(key);
    }

    private static async Task<string> NamesAsync(HttpClient c, string path)
    {
        using var response = await c.GetAsync(path);
        var body = await response.ShouldBeJsonAsync(200);
        return string.Join(' ', body.EnumerateObject().First().Value.EnumerateArray().Select(r => r.GetProperty("name").GetString()));
    }

    private static string[] Links(JsonElement row, string key) =>
        row.GetProperty(key).EnumerateArray().Select(v => v.GetString()!).ToArray();
}
