using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.Forms;

/// <summary>docs/security.md, the forms API. Never a 5xx.</summary>
[VariesWith(Vary.Backend)]
public sealed class FormsSecurityTests(FakeClockFixture fixture) : IClassFixture<FakeClockFixture>
{
    private readonly WorktimeApplication app = fixture.App;

    [Fact]
    public async Task Rows_of_another_partner_are_invisible_and_untouchable()
    {
        var a = await Tenant.CreateAsync(app, [5]);
        var b = await Tenant.CreateAsync(app, [5]);
        var theirs = (await a.Admin.Client.CreateAsync("worktimes", "worktime", new { date = WorktimeApplication.CurrentMonthDay })).Id();
        var mine = (await b.Admin.Client.CreateAsync("worktimes", "worktime", new { date = WorktimeApplication.CurrentMonthDay })).Id();

        await (await b.Admin.Client.GetAsync($"/worktimes/{theirs}")).ShouldBeErrorAsync(404, "not_found");
        await (await b.Admin.Client.PutJsonAsync($"/worktimes/{theirs}", new { worktime = new { description = "x" } })).ShouldBeErrorAsync(404, "not_found");
        await (await b.Admin.Client.DeleteAsync($"/worktimes/{theirs}")).ShouldBeErrorAsync(404, "not_found");
        await (await b.Admin.Client.GetAsync($"/worktimes?pid={a.PartnerId}")).ShouldBeErrorAsync(403, "forbidden");
        using var list = await b.Admin.Client.GetAsync($"/worktimes?id={theirs},{mine}&row_info.status=all");
        var body = await list.ShouldBeJsonAsync(200);
        body.GetProperty("count").GetInt32().ShouldBe(1);
        body.GetProperty("worktimes").EnumerateArray().Single().Id().ShouldBe(mine);
    }

    [Fact]
    public async Task Reference_to_another_partners_row_is_400_not_a_link()
    {
        var a = await Tenant.CreateAsync(app, [5]);
        var b = await Tenant.CreateAsync(app, [5]);
        var theirProject = (await a.Admin.Client.CreateAsync("projects", "project", new { name = "Theirs" })).Id();
        var theirTask = (await a.Admin.Client.CreateAsync("tasks", "task", new { name = "Theirs" })).Id();

        using var reference = await b.Admin.Client.PostJsonAsync("/worktimes", new { worktime = new { date = WorktimeApplication.CurrentMonthDay, project = theirProject } });
        using var link = await b.Admin.Client.PostJsonAsync("/projects",
            new { project = new Dictionary<string, object> { ["name"] = "Mine", ["link.tasks"] = new[] { theirTask } } });
        using var asUser = await b.Admin.Client.PostJsonAsync("/worktimes", new { worktime = new { date = WorktimeApplication.CurrentMonthDay, user = a.Admin.Id } });

        (await reference.ShouldBeErrorAsync(400, "validation_failed")).GetProperty("fields").Keys().ShouldBe(["project"]);
        (await link.ShouldBeErrorAsync(400, "validation_failed")).GetProperty("fields").Keys().ShouldBe(["link.tasks"]);
        (await asUser.ShouldBeErrorAsync(400, "validation_failed")).GetProperty("fields").Keys().ShouldBe(["user"]);
        using var projects = await b.Admin.Client.GetAsync("/projects");
        (await projects.ShouldBeJsonAsync(200)).GetProperty("count").GetInt32().ShouldBe(0);
    }

    public static TheoryData<string> Injections => new()
    {
        "/worktimes?description=%27%3B%20DROP%20TABLE%20worktimes%3B--",
        "/worktimes?description=1%20OR%201%3D1",
        "/worktimes?project=1%20OR%201%3D1",
        "/worktimes?id=1--",
        "/worktimes?id=1%20OR%201%3D1",
        "/worktimes?date=2026-11-01%27%20OR%20%271%27%3D%271",
        "/worktimes?%27%3B%20DROP%20TABLE%20worktimes%3B--=1",
        "/worktimes?id--=1",
        "/worktimes?description%20OR%201%3D1=x",
        "/worktimes?order=id%3B%20DROP%20TABLE%20worktimes",
        "/worktimes?order=date%20DESC%2C%20(SELECT%201)",
        "/worktimes?sort=-id--",
        "/worktimes?sideload[]=project.name%3B%20DROP%20TABLE%20projects",
        "/worktimes?sideload[]=project.name%20FROM%20users--",
        "/worktimes?sideload[0]=%27%3B--",
        "/worktimes?row_info.status=normal%27%20OR%20%271%27%3D%271",
        "/worktimes?link.tasks=1%29%20OR%20%281%3D1",
        "/worktimes?limit=1%3B%20DROP%20TABLE%20worktimes",
        "/worktimes?pid=1%20OR%201%3D1",
        "/worktime%27%3B%20DROP%20TABLE%20worktimes%3B--",
        "/worktimes%3B%20DROP%20TABLE%20worktimes",
        "/forms/worktime%27%20OR%201%3D1--",
        "/worktime/tasks?project=1%20OR%201%3D1",
        "/worktime/tasks%3B--",
    };

    [Theory]
    [MemberData(nameof(Injections))]
    public async Task Sql_in_filters_field_names_order_sideload_and_form_names_changes_nothing(string path)
    {
        var t = await Tenant.CreateAsync(app, [5]);
        var project = (await t.Admin.Client.CreateAsync("projects", "project", new { name = "Kept" })).Id();
        var worktime = (await t.Admin.Client.CreateAsync("worktimes", "worktime", new { date = WorktimeApplication.CurrentMonthDay, project, description = "kept" })).Id();

        using var response = await t.Admin.Client.GetAsync(path);

        var status = (int)response.StatusCode;
        status.ShouldBeOneOf([200, 400, 404], await response.Content.ReadAsStringAsync());
        if (status == 200)
        {
            var body = await response.ShouldBeJsonAsync(200);
            body.GetProperty("count").GetInt32().ShouldBe(0);
        }
        else
        {
            await response.ShouldBeErrorAsync(status, status == 404 ? "not_found" : "invalid_filter");
        }
        using var after = await t.Admin.Client.GetAsync($"/worktimes?sideload=true&id={worktime}");
        var intact = await after.ShouldBeJsonAsync(200);
        intact.GetProperty("count").GetInt32().ShouldBe(1);
        intact.GetProperty("worktimes")[0].GetProperty("description").GetString().ShouldBe("kept");
        intact.GetProperty("projects")[0].GetProperty("name").GetString().ShouldBe("Kept");
    }

    [Theory]
    [InlineData("limit=-1", 400, 0)]
    [InlineData("limit=1e9", 400, 0)]
    [InlineData("offset=-5", 400, 0)]
    [InlineData("offset=abc", 400, 0)]
    [InlineData("limit=1000000000", 200, 100)] // clamped to the cap
    [InlineData("limit=99999999999999999999999", 200, 100)]
    [InlineData("offset=99999999999999999999999", 200, 0)] // numeric: past the end
    [InlineData("offset=9223372036854775807", 200, 0)]
    [InlineData("", 200, 100)] // default limit
    public async Task Limit_and_offset_are_400_or_clamped_to_the_cap(string query, int status, int rows)
    {
        var t = await Tenant.CreateAsync(app, [3]);
        for (var i = 0; i < 101; i++)
        {
            await t.Supervisor.Client.CreateAsync("worktypes", "worktype", new { name = $"w{i}" });
        }

        using var response = await t.Supervisor.Client.GetAsync("/worktypes?" + query);

        if (status == 400)
        {
            await response.ShouldBeErrorAsync(400, "invalid_filter");
            return;
        }
        var body = await response.ShouldBeJsonAsync(200);
        body.GetProperty("worktypes").GetArrayLength().ShouldBe(rows);
        body.GetProperty("count").GetInt32().ShouldBe(101);
    }

    public static TheoryData<string, int, string> BadBodies => new()
    {
        { "{\"task\":{\"name\":", 400, "invalid_request" },
        { new string('[', 10_000) + new string(']', 10_000), 400, "invalid_request" },
        { "{\"task\":" + new string('[', 10_000) + new string(']', 10_000) + "}", 400, "invalid_request" },
        { "{\"task\":{\"name\":\"" + new string('x', 10 * 1024 * 1024) + "\"}}", 413, "request_too_large" },
        { "[1,2,3]", 400, "invalid_request" },
        { "\"just a string\"", 400, "invalid_request" },
        { "null", 400, "invalid_request" },
        { "{}", 400, "invalid_request" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Malformed_deep_huge_or_wrong_shaped_bodies_are_refused_and_write_nothing(string body, int status, string error)
    {
        var t = await Tenant.CreateAsync(app, [3]);

        foreach (var (method, path) in new[] { (HttpMethod.Post, "/tasks"), (HttpMethod.Put, "/tasks"), (HttpMethod.Put, "/tasks/1") })
        {
            using var response = await t.Supervisor.Client.SendRawAsync(method, path, body, "application/x-www-form-urlencoded");
            await response.ShouldBeErrorAsync(status, error);
        }
        using var list = await t.Supervisor.Client.GetAsync("/tasks?row_info.status=all");
        (await list.ShouldBeJsonAsync(200)).GetProperty("count").GetInt32().ShouldBe(0);
    }

    /// <summary>
    /// The bound of Http/BoundedBody on the forms routes, also without a Content-Length (a chunked body is counted
    /// while read): one byte over is refused before any parsing, exactly at the bound the body is parsed.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_row_body_over_the_bound_is_413_and_one_at_the_bound_is_read(bool withLength)
    {
        var t = await Tenant.CreateAsync(app, [3]);
        var max = (int)Worktime.Api.Http.HttpLimits.MaxRequestBodyBytes;

        using var over = await t.Supervisor.Client.SendAsync(BodyOfSize(HttpMethod.Post, "/tasks", max + 1, withLength));
        (await over.ShouldBeErrorAsync(413, "request_too_large")).GetProperty("error_description").GetString()
            .ShouldBe("The request body is larger than the server accepts.");

        using var at = await t.Supervisor.Client.SendAsync(BodyOfSize(HttpMethod.Post, "/tasks", max, withLength));
        at.StatusCode.ShouldBe(HttpStatusCode.Created); // read whole and parsed: the row beside the padding is created

        var bound = Worktime.Api.Forms.Query.QueryLimits.MaxPostFindAllBodyBytes;
        using var findAll = await t.Supervisor.Client.SendAsync(BodyOfSize(HttpMethod.Post, "/service/postFindAll?form=task", bound + 1, withLength));
        (await findAll.ShouldBeErrorAsync(400, "invalid_filter")).GetProperty("error_description").GetString()
            .ShouldBe("Query parameter '(body)' is larger than 64 KiB, the limit of a postFindAll body.");

        using var list = await t.Supervisor.Client.GetAsync("/tasks?row_info.status=all");
        (await list.ShouldBeJsonAsync(200)).GetProperty("count").GetInt32().ShouldBe(1);
    }

    /// <summary>A JSON row <c>{"task":{"name":"bound"},"pad":"xxx…"}</c> of exactly <paramref name="size"/> bytes, with or without a Content-Length.</summary>
    internal static HttpRequestMessage BodyOfSize(HttpMethod method, string path, int size, bool withLength)
    {
        const string head = "{\"task\":{\"name\":\"bound\"},\"pad\":\"", tail = "\"}";
        var bytes = System.Text.Encoding.ASCII.GetBytes(head + new string('x', size - head.Length - tail.Length) + tail);
        HttpContent content = withLength ? new ByteArrayContent(bytes) : new StreamContent(new UnknownLengthStream(bytes));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        return new HttpRequestMessage(method, path) { Content = content };
    }

    [Theory]
    [InlineData("/nosuchforms")]
    [InlineData("/worktime")]
    [InlineData("/..%2Fworktimes")]
    [InlineData("/worktimes%2F..%2Fusers")]
    [InlineData("/forms/nosuch")]
    [InlineData("/forms/..%2Fusers")]
    [InlineData("/1.1/nosuchforms/1")]
    [InlineData("/1.1/worktimes/..%2F..%2Fusers")]
    public async Task Unknown_forms_and_path_tricks_are_404(string path)
    {
        var t = await Tenant.CreateAsync(app, [5]);

        using var response = await t.Admin.Client.GetAsync(path);

        await response.ShouldBeErrorAsync(404, "not_found");
    }

    /// <summary>
    /// A NUL in the path (<c>/worktimes%00</c>) never reaches the application: Kestrel refuses the request line with a
    /// bare 400, and the test client cannot even send it (docs/forms.md). A NUL anywhere the application does read —
    /// query names, query values, body text — is a JSON 400.
    /// </summary>
    [Theory]
    [InlineData("/worktimes?description=a%00b", "invalid_filter")]
    [InlineData("/worktimes?desc%00ription=a", "invalid_filter")]
    [InlineData("/worktime/tasks?name=%00", "invalid_filter")]
    public async Task Nul_where_the_application_reads_it_is_400_json(string path, string error)
    {
        var t = await Tenant.CreateAsync(app, [5]);

        using var response = await t.Admin.Client.GetAsync(path);

        await response.ShouldBeErrorAsync(400, error);
    }

    [Fact]
    public async Task Worker_cannot_edit_anothers_or_an_accepted_worktime_or_raise_their_level()
    {
        var t = await Tenant.CreateAsync(app, [1, 3], otherWorker: true);
        var others = (await t.Supervisor.Client.CreateAsync("worktimes", "worktime", new { date = WorktimeApplication.CurrentMonthDay, user = t.OtherWorker.Id, description = "theirs" })).Id();
        var accepted = (await t.Supervisor.Client.CreateAsync("worktimes", "worktime", new { date = WorktimeApplication.CurrentMonthDay, user = t.Worker.Id, status = "accepted", description = "done" })).Id();
        var open = (await t.Worker.Client.CreateAsync("worktimes", "worktime", new { date = WorktimeApplication.CurrentMonthDay, description = "mine" })).Id();

        await (await t.Worker.Client.PutJsonAsync($"/worktimes/{others}", new { worktime = new { description = "hacked" } })).ShouldBeErrorAsync(403, "forbidden");
        await (await t.Worker.Client.DeleteAsync($"/worktimes/{others}")).ShouldBeErrorAsync(403, "forbidden");
        await (await t.Worker.Client.PutJsonAsync($"/worktimes/{accepted}", new { worktime = new { description = "hacked" } })).ShouldBeErrorAsync(403, "forbidden");
        await (await t.Worker.Client.DeleteAsync($"/worktimes/{accepted}")).ShouldBeErrorAsync(403, "forbidden");
        await (await t.Worker.Client.PutJsonAsync($"/worktimes/{open}", new { worktime = new { user = t.OtherWorker.Id } })).ShouldBeErrorAsync(403, "forbidden");
        await (await t.Worker.Client.PutJsonAsync($"/worktimes/{open}", new { worktime = new { status = "accepted" } })).ShouldBeErrorAsync(403, "forbidden");
        await (await t.Worker.Client.PutJsonAsync($"/users/{t.Worker.Id}", new { user = new { userlevel = 5 } })).ShouldBeErrorAsync(403, "forbidden");
        await (await t.Worker.Client.PostJsonAsync("/worktimes", new { worktime = new { date = WorktimeApplication.CurrentMonthDay, user = t.OtherWorker.Id } })).ShouldBeErrorAsync(403, "forbidden");

        foreach (var (id, description) in new[] { (others, "theirs"), (accepted, "done"), (open, "mine") })
        {
            using var row = await t.Supervisor.Client.GetAsync($"/worktimes/{id}");
            (await row.ShouldBeJsonAsync(200)).GetProperty("worktime").GetProperty("description").GetString().ShouldBe(description);
        }
        using var me = await t.Worker.Client.GetAsync("/me");
        (await me.ShouldBeJsonAsync(200)).GetProperty("user").GetProperty("userlevel").GetInt32().ShouldBe(1);
    }

    [Fact]
    public async Task Read_only_fields_are_never_applied()
    {
        var t = await Tenant.CreateAsync(app, [3]);
        var other = await Tenant.CreateAsync(app, [3]);
        const string readOnly = "\"id\":777777,\"row_info.created\":\"2000-01-01 00:00:00\",\"row_info.modified\":\"2000-01-01 00:00:00\","
            + "\"row_info.partnerid\":\"{0}\",\"row_info.creatorid\":\"1\",\"row_info\":{{\"partnerid\":\"{0}\",\"status\":\"removed\"}},\"work_hours\":\"99:99\"";
        var injected = string.Format(CultureInfo.InvariantCulture, readOnly, other.PartnerId);

        using var created = await t.Supervisor.Client.SendRawAsync(HttpMethod.Post, "/worktimes",
            $"{{\"worktime\":{{\"date\":\"{WorktimeApplication.CurrentMonthDay}\",\"starttime\":\"08:00\",\"endtime\":\"09:00\",{injected}}}}}");
        var row = (await created.ShouldBeJsonAsync(201)).GetProperty("worktime");
        using var updated = await t.Supervisor.Client.SendRawAsync(HttpMethod.Put, $"/worktimes/{row.Id()}",
            $"{{\"worktime\":{{\"description\":\"u\",{injected}}}}}");
        var after = (await updated.ShouldBeJsonAsync(200)).GetProperty("worktime");

        foreach (var r in new[] { row, after })
        {
            r.Id().ShouldNotBe(777777);
            r.GetProperty("work_hours").GetString().ShouldBe("1:00");
            var info = r.GetProperty("row_info");
            info.GetProperty("created").GetString().ShouldBe("2026-11-02 08:00:00");
            info.GetProperty("partnerid").GetString().ShouldBe(t.PartnerId.ToString(CultureInfo.InvariantCulture));
            info.GetProperty("creatorid").GetString().ShouldBe(t.Supervisor.Id.ToString(CultureInfo.InvariantCulture));
            info.GetProperty("status").GetString().ShouldBe("normal");
        }
        after.Id().ShouldBe(row.Id());
        await (await other.Supervisor.Client.GetAsync($"/worktimes/{row.Id()}")).ShouldBeErrorAsync(404, "not_found");
    }

    [Fact]
    public async Task Every_error_body_is_json_without_stack_trace_or_sql()
    {
        var t = await Tenant.CreateAsync(app, [1]);
        var c = t.Worker.Client;
        var requests = new List<HttpRequestMessage>
        {
            new(HttpMethod.Get, "/worktimes?limit=-1"),
            new(HttpMethod.Get, "/worktimes?nosuch=1"),
            new(HttpMethod.Get, "/worktimes?pid=1"),
            new(HttpMethod.Get, "/worktimes/999999999"),
            new(HttpMethod.Get, "/nosuch"),
            new(HttpMethod.Get, "/forms/nosuch"),
            new(HttpMethod.Post, "/worktimes") { Content = new StringContent("{bad", Encoding.UTF8, "application/json") },
            new(HttpMethod.Post, "/worktimes") { Content = new StringContent("{\"worktime\":{\"date\":\"x\"}}", Encoding.UTF8, "application/json") },
            new(HttpMethod.Post, "/projects") { Content = new StringContent("{\"project\":{\"name\":\"x\"}}", Encoding.UTF8, "application/json") },
            new(HttpMethod.Patch, "/worktimes/1"),
            new(HttpMethod.Delete, "/worktimes"),
            new(HttpMethod.Get, "/worktime/nosuch"),
        };
        foreach (var request in requests)
        {
            using var response = await c.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            ((int)response.StatusCode).ShouldBeInRange(400, 499, $"{request.Method} {request.RequestUri}: {text}");
            response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json", text);
            var body = JsonDocument.Parse(text).RootElement;
            body.GetProperty("error").GetString().ShouldNotBeNullOrWhiteSpace();
            body.GetProperty("error_description").GetString().ShouldNotBeNullOrWhiteSpace();
            foreach (var leak in new[] { "   at ", "Exception", "SELECT", "INSERT", "UPDATE ", "WHERE", "Npgsql", "Sqlite", "partner_id", "row_status" })
            {
                text.ShouldNotContain(leak, Case.Sensitive, $"{request.Method} {request.RequestUri}");
            }
        }
    }
}
