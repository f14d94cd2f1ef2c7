using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Worktime.Api.Tests.Forms;
using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.ClientCompatibility;

/// <summary>
/// Replays the Go CLI otta-cli request by request (docs/clients.md): form-encoded login as <c>ember_app</c>, paths
/// without <c>/1.1</c>, JSON bodies with <c>application/json</c>, <c>/me</c> for who it is, <c>limit=100&amp;offset=0</c> on every
/// option list plus the row's own fields, and reads only the members it reads.
/// </summary>
[VariesWith(Vary.Nothing)]
public sealed class OttaCliTests(FakeClockFixture fixture) : IClassFixture<FakeClockFixture>
{
    private readonly WorktimeApplication app = fixture.App;

    [Fact]
    public async Task LoginStatus_LearnsItsOwnUser_NotASideloadedSuperior()
    {
        var t = await Tenant.CreateAsync(app, [1, 3]);
        // A day with a superior on the worker's row: the sideloaded users list the supervisor too.
        await t.Supervisor.Client.CreateAsync("worktimes", "worktime", new { date = WorktimeApplication.CurrentMonthDay, user = t.Worker.Id, superior = t.Supervisor.Id });
        using var otta = app.CreateClient();

        var login = await LoginAsync(otta, t.Worker.Username);
        otta.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(login.GetProperty("token_type").GetString()!, login.GetProperty("access_token").GetString());
        var me = await GetAsync(otta, "/me");
        var userId = ToInt64(me.GetProperty("userid"));
        var profile = await GetAsync(otta, $"/users/{userId}", ("sideload", "true"));
        var today = await GetAsync(otta, "/worktimes", ("date", WorktimeApplication.CurrentMonthDay), ("order", "starttime,endtime"), ("sideload", "true"), ("user", "self"));

        login.GetProperty("user_id").GetInt64().ShouldBe(t.Worker.Id);
        userId.ShouldBe(t.Worker.Id);
        me.GetProperty("username").GetString().ShouldBe(t.Worker.Username);
        profile.GetProperty("user").GetProperty("id").GetInt64().ShouldBe(t.Worker.Id);
        today.GetProperty("worktimes").GetArrayLength().ShouldBe(1);
        today.GetProperty("users").GetArrayLength().ShouldBe(2); // worker and superior: why otta-cli must not guess from here
    }

    [Fact]
    public async Task WorktimesOptionsAndAdd_WithAUser_Succeed()
    {
        var t = await Tenant.CreateAsync(app, [1, 5]);
        var admin = t.Admin.Client;
        var task = (await admin.CreateAsync("tasks", "task", new { name = "Welding" })).Id();
        var project = (await admin.CreateAsync("projects", "project", new Dictionary<string, object> { ["name"] = "Harbour", ["link.tasks"] = new[] { task } })).Id();
        var worktype = (await admin.CreateAsync("worktypes", "worktype", new { name = "Normal" })).Id();
        var subtask = (await admin.CreateAsync("subtasks", "subtask", new { name = "Prime", task })).Id();
        using var otta = await LoggedInAsync(t.Worker.Username);
        var user = t.Worker.Id.ToString(CultureInfo.InvariantCulture);

        var projects = await GetAsync(otta, "/worktime/projects", ("limit", "100"), ("offset", "0"));
        var worktypes = await GetAsync(otta, "/worktime/worktypes", ("limit", "100"), ("offset", "0"), ("user", user));
        var tasks = await GetAsync(otta, "/worktime/tasks", ("limit", "100"), ("offset", "0"), ("project", project.ToString(CultureInfo.InvariantCulture)));
        var subtasks = await GetAsync(otta, "/worktime/subtasks", ("limit", "100"), ("offset", "0"), ("task", task.ToString(CultureInfo.InvariantCulture)));
        // worktimes add: every member present, unset ones null, row_info null
        var created = await SendAsync(otta, HttpMethod.Post, "/worktimes", new
        {
            worktime = new Dictionary<string, object?>
            {
                ["date"] = WorktimeApplication.CurrentMonthDay, ["starttime"] = "08:00", ["endtime"] = "16:00", ["pause"] = 30,
                ["project"] = project, ["user"] = t.Worker.Id, ["worktype"] = worktype, ["description"] = "otta",
                ["row_info"] = null, ["subtask"] = subtask, ["superior"] = null, ["task"] = task,
            },
        });
        var id = created.GetProperty("worktime").GetProperty("id").GetInt64();
        var updated = await SendAsync(otta, HttpMethod.Put, $"/worktimes/{id}", new { worktime = new { description = "otta edited" } });
        var removed = await SendAsync(otta, HttpMethod.Delete, $"/worktimes/{id}", null);

        Options(projects, "projects").ShouldBe([(project, "Harbour")]);
        Options(worktypes, "worktypes").ShouldBe([(worktype, "Normal")]);
        Options(tasks, "tasks").ShouldBe([(task, "Welding")]);
        Options(subtasks, "subtasks").ShouldBe([(subtask, "Prime")]);
        created.GetProperty("worktime").GetProperty("work_hours").GetString().ShouldBe("7:30");
        updated.GetProperty("worktime").GetProperty("description").GetString().ShouldBe("otta edited");
        removed.ValueKind.ShouldBe(JsonValueKind.Object);
    }

    [Theory]
    [InlineData("days", "both||days||(empty)")]
    [InlineData("hours", "both||hours||(empty)")]
    public async Task AbsenceOptionsAndAdd_InAMode_Succeed(string mode, string typeFilter)
    {
        var t = await Tenant.CreateAsync(app, [1, 5]);
        var leave = (await t.Admin.Client.CreateAsync("abcensetypes", "abcensetype", new { name = "Leave", type = "both" })).Id();
        var modal = (await t.Admin.Client.CreateAsync("abcensetypes", "abcensetype", new { name = "Modal", type = mode })).Id();
        await t.Admin.Client.CreateAsync("abcensetypes", "abcensetype", new { name = "Other", type = mode == "days" ? "hours" : "days" });
        using var otta = await LoggedInAsync(t.Worker.Username);
        var user = t.Worker.Id.ToString(CultureInfo.InvariantCulture);

        var types = await GetAsync(otta, "/abcense/abcensetypes", ("limit", "100"), ("offset", "0"), ("type", typeFilter), ("user", user));
        var users = await GetAsync(otta, "/abcense/users", ("limit", "100"), ("offset", "0"));
        var created = await SendAsync(otta, HttpMethod.Post, "/abcenses", new
        {
            abcense = new { abcensetype = modal, user = t.Worker.Id, startdate = WorktimeApplication.CurrentMonthDay, enddate = WorktimeApplication.CurrentMonthDay, description = "otta" },
        });

        Options(types, "abcensetypes").ShouldBe([(leave, "Leave"), (modal, "Modal")]);
        Options(users, "users").Select(u => u.Id).ShouldBe([t.Worker.Id]);
        created.GetProperty("abcense").GetProperty("abcensetype").GetInt64().ShouldBe(modal);
    }

    private async Task<HttpClient> LoggedInAsync(string username)
    {
        var otta = app.CreateClient();
        var login = await LoginAsync(otta, username);
        otta.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", login.GetProperty("access_token").GetString());
        return otta;
    }

    /// <summary>POST /login, form-encoded, client ember_app (otta-cli's default), Accept: application/json.</summary>
    private static async Task<JsonElement> LoginAsync(HttpClient otta, string username)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["client_id"] = "ember_app", ["grant_type"] = "password", ["password"] = AuthTestExtensions.DefaultPassword, ["username"] = username,
            }),
        };
        request.Headers.Accept.ParseAdd("application/json");
        using var response = await otta.SendAsync(request);
        return await response.ShouldBeJsonAsync(200);
    }

    /// <summary>GET with the query sorted by key, as Go's url.Values encodes a map.</summary>
    private static async Task<JsonElement> GetAsync(HttpClient otta, string path, params (string Key, string Value)[] query)
    {
        var encoded = string.Join('&', query.OrderBy(q => q.Key, StringComparer.Ordinal)
            .Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.Value)}"));
        using var response = await otta.GetAsync(query.Length == 0 ? path : $"{path}?{encoded}");
        return await response.ShouldBeJsonAsync(200);
    }

    private static async Task<JsonElement> SendAsync(HttpClient otta, HttpMethod method, string path, object? body)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Accept.ParseAdd("application/json");
        if (body is not null)
        {
            request.Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        }
        using var response = await otta.SendAsync(request);
        ((int)response.StatusCode).ShouldBeLessThan(400, await response.Content.ReadAsStringAsync());
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    /// <summary>otta-cli reads each option's id and its text.</summary>
    private static List<(long Id, string Text)> Options(JsonElement body, string key) =>
        body.GetProperty(key).EnumerateArray().Select(o => (ToInt64(o.GetProperty("id")), o.GetProperty("text").GetString()!)).ToList();

    /// <summary>otta-cli accepts a number or a numeric string wherever it reads an id.</summary>
    private static long ToInt64(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? long.Parse(value.GetString()!, CultureInfo.InvariantCulture) : value.GetInt64();
}
