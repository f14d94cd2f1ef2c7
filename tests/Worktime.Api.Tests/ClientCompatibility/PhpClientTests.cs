using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Worktime.Api.Tests.Forms;
using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.ClientCompatibility;

/// <summary>
/// Replays the official PHP client's wire habits: base URL <c>/1.1/</c>, a form-encoded login, JSON bodies sent as
/// <c>application/x-www-form-urlencoded</c>, <c>sideload[0]=</c> indexed parameters, plural camelCase paths, restore via
/// <c>row_info.status</c>, bulk update with an id array — and, like it, treats only 200/201/204 as success
/// (docs/clients.md describes these habits).
/// </summary>
[VariesWith(Vary.Nothing)]
public sealed class PhpClientTests(FakeClockFixture fixture) : IClassFixture<FakeClockFixture>
{
    private readonly WorktimeApplication app = fixture.App;

    private const string FormContentType = "application/x-www-form-urlencoded";

    [Fact]
    public async Task DailyWork_AsThePhpClientDoesIt_Succeeds()
    {
        var t = await Tenant.CreateAsync(app, [4]);
        var php = new PhpClient(app.CreateClient());
        await php.LoginAsync(t.Manager.Username);

        var project = await php.CallAsync(HttpMethod.Post, "projects", new { project = new { name = "Harbour" } });
        var task = await php.CallAsync(HttpMethod.Post, "tasks", new { task = new { name = "Welding" } });
        var projectId = project.GetProperty("project").Id();
        var taskId = task.GetProperty("task").Id();
        await php.CallAsync(HttpMethod.Put, $"projects/{projectId}",
            new { project = new Dictionary<string, object> { ["link.tasks"] = new[] { taskId.ToString(CultureInfo.InvariantCulture) } } });
        var group = await php.CallAsync(HttpMethod.Post, "worktimegroups", new { worktimegroup = new { name = "x" } }, expectError: true);
        group.GetProperty("error").GetString().ShouldBe("forbidden"); // only admins may; the client reads `error`

        var options = await php.CallAsync(HttpMethod.Get, $"worktime/tasks?project={projectId}");
        options.GetProperty("tasks")[0].GetProperty("text").GetString().ShouldBe("Welding");
        var ids = new List<long>();
        foreach (var day in new[] { "2026-11-09", "2026-11-10" })
        {
            var created = await php.CallAsync(HttpMethod.Post, "worktimes", new
            {
                worktime = new { date = day, project = projectId.ToString(CultureInfo.InvariantCulture), task = taskId.ToString(CultureInfo.InvariantCulture), starttime = "07:00", endtime = "15:30", pause = "30" },
            });
            created.GetProperty("worktime").GetProperty("work_hours").GetString().ShouldBe("8:00");
            ids.Add(created.GetProperty("worktime").Id());
        }

        var month = await php.CallAsync(HttpMethod.Get, "worktimes?date=2026-11-01_2026-11-30&sideload%5B0%5D=project.name&limit=100&offset=0");
        month.GetProperty("count").GetInt32().ShouldBe(2);
        month.GetProperty("projects")[0].GetProperty("name").GetString().ShouldBe("Harbour");

        var bulk = await php.CallAsync(HttpMethod.Put, "worktimes", new { worktime = new { status = "accepted", id = ids.Select(i => i.ToString(CultureInfo.InvariantCulture)) } });
        bulk.GetProperty("worktimes").EnumerateArray().Select(r => r.GetProperty("status").GetString()).ShouldAllBe(s => s == "accepted");

        await php.CallAsync(HttpMethod.Delete, $"worktimes/{ids[0]}");
        (await php.CallAsync(HttpMethod.Get, "worktimes?date=CURRENT")).GetProperty("count").GetInt32().ShouldBe(1);
        await php.CallAsync(HttpMethod.Put, $"worktimes/{ids[0]}", new { worktime = new Dictionary<string, string> { ["row_info.status"] = "normal" } });
        (await php.CallAsync(HttpMethod.Get, "worktimes?date=CURRENT")).GetProperty("count").GetInt32().ShouldBe(2);

        var me = await php.CallAsync(HttpMethod.Get, "me");
        me.GetProperty("user").Id().ShouldBe(t.Manager.Id);
        var definition = await php.CallAsync(HttpMethod.Get, "forms/worktime");
        definition.GetProperty("form").GetProperty("plural").GetString().ShouldBe("worktimes");
        php.Calls.ShouldBeGreaterThan(10);
    }

    [Fact]
    public async Task FindAllWithSideloadTrue_AutoPopulated_ShowsTheRightNames()
    {
        // findAll($form, ['sideload' => true]) sends sideload=1 and then replaces every integer of a row that equals the id
        // of any sideloaded row, of any form, by that row's values joined with spaces: only one id space makes this right.
        var t = await Tenant.CreateAsync(app, [1, 5]);
        var admin = t.Admin.Client;
        using (var rename = await admin.PutJsonAsync($"/users/{t.Worker.Id}", new { user = new { firstname = "Wendy", lastname = "Worker" } }))
        {
            rename.EnsureSuccessStatusCode();
        }
        var project = (await admin.CreateAsync("projects", "project", new { name = "Harbour" })).Id();
        var task = (await admin.CreateAsync("tasks", "task", new { name = "Welding" })).Id();
        var worktype = (await admin.CreateAsync("worktypes", "worktype", new { name = "Normal" })).Id();
        await admin.CreateAsync("worktimes", "worktime", new { date = WorktimeApplication.CurrentMonthDay, user = t.Worker.Id, project, task, worktype, pause = 30 });
        var php = new PhpClient(app.CreateClient());
        await php.LoginAsync(t.Admin.Username);

        var page = await php.CallAsync(HttpMethod.Get, "worktimes?sideload=1");

        var row = AutoPopulate(page, "worktimes").Single();
        row["user"].ShouldBe("Wendy Worker");
        row["project"].ShouldBe("Harbour");
        row["task"].ShouldBe("Welding");
        row["worktype"].ShouldBe("Normal");
        row["pause"].ShouldBe(30L); // an integer that is no sideloaded id stays
        row["id"].ShouldBeOfType<long>(); // the row's own id is no sideloaded row's id
    }

    [Fact]
    public async Task InsertRowWithValidationOff_AndFindAllWithANamedSideload_Work()
    {
        var t = await Tenant.CreateAsync(app, [5]);
        var php = new PhpClient(app.CreateClient());
        await php.LoginAsync(t.Admin.Username);
        var project = (await php.CallAsync(HttpMethod.Post, "projects", new { project = new { name = "Quay" } })).GetProperty("project").Id();

        // insertRow moves 'validation' => 'off' out of the row to the top of the body
        var created = await php.CallAsync(HttpMethod.Post, "worktimes", new Dictionary<string, object>
        {
            ["worktime"] = new { date = WorktimeApplication.CurrentMonthDay, project = project.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            ["validation"] = "off",
        });
        // findAll('worktime', ['sideload' => ['project' => ['name']], 'limit' => 10]) → http_build_query
        var page = await php.CallAsync(HttpMethod.Get, "worktimes?sideload%5B0%5D=project.name&limit=10");
        // findRow reads $back[$form]; getMe reads the whole answer
        var one = await php.CallAsync(HttpMethod.Get, $"worktimes/{created.GetProperty("worktime").Id()}");
        var me = await php.CallAsync(HttpMethod.Get, "me");

        // populate_sideload: pluralize($field) names the key, rows matched by id within it
        page.GetProperty("projects").EnumerateArray().Single(p => p.Id() == project).GetProperty("name").GetString().ShouldBe("Quay");
        page.GetProperty("worktimes")[0].GetProperty("project").GetInt64().ShouldBe(project);
        one.GetProperty("worktime").GetProperty("project").GetInt64().ShouldBe(project);
        me.GetProperty("user").GetProperty("username").GetString().ShouldBe(t.Admin.Username);
    }

    /// <summary>The PHP client's auto_populate_sideload, described: ids → the sideloaded row's other values joined by spaces.</summary>
    private static List<Dictionary<string, object?>> AutoPopulate(JsonElement page, string key)
    {
        var byId = new Dictionary<long, string>();
        foreach (var sideload in page.EnumerateObject().Where(p => p.Name != key && p.Value.ValueKind == JsonValueKind.Array))
        {
            foreach (var row in sideload.Value.EnumerateArray())
            {
                byId[row.Id()] = string.Join(' ', row.EnumerateObject().Where(p => p.Name != "id").Select(p => p.Value.ToString()));
            }
        }
        return page.GetProperty(key).EnumerateArray().Select(row => row.EnumerateObject().ToDictionary(
            p => p.Name,
            p => p.Value.ValueKind == JsonValueKind.Number && p.Value.TryGetInt64(out var n)
                ? byId.TryGetValue(n, out var text) ? text : (object)n
                : (object?)p.Value.ToString())).ToList();
    }

    /// <summary>What the PHP client does on the wire, and nothing more.</summary>
    private sealed class PhpClient(HttpClient http)
    {
        public int Calls { get; private set; }

        public async Task LoginAsync(string username)
        {
            var body = $"grant_type=password&username={Uri.EscapeDataString(username)}&password={Uri.EscapeDataString(Infrastructure.AuthTestExtensions.DefaultPassword)}&client_id=openapi";
            using var response = await http.PostAsync("/1.1/login", new StringContent(body, Encoding.UTF8, FormContentType));
            var json = await ReadAsync(response, expectError: false);
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", json.GetProperty("access_token").GetString());
        }

        public async Task<JsonElement> CallAsync(HttpMethod method, string path, object? body = null, bool expectError = false)
        {
            using var request = new HttpRequestMessage(method, "/1.1/" + path);
            if (body is not null)
            {
                // json_encode($data) posted with the client's default form content type
                request.Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, FormContentType);
            }
            using var response = await http.SendAsync(request);
            return await ReadAsync(response, expectError);
        }

        private async Task<JsonElement> ReadAsync(HttpResponseMessage response, bool expectError)
        {
            Calls++;
            var text = await response.Content.ReadAsStringAsync();
            var success = (int)response.StatusCode is 200 or 201 or 204;
            success.ShouldBe(!expectError, $"{response.RequestMessage!.Method} {response.RequestMessage.RequestUri}: {(int)response.StatusCode} {text}");
            var json = JsonDocument.Parse(text).RootElement.Clone();
            if (!success)
            {
                json.GetProperty("error").GetString().ShouldNotBeNullOrWhiteSpace();
            }
            return json;
        }
    }
}
