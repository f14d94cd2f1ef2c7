using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Worktime.Api.Tests.Forms;

/// <summary>
/// Replays the official PHP client's wire habits: base URL <c>/1.1/</c>, a form-encoded login, JSON bodies sent as
/// <c>application/x-www-form-urlencoded</c>, <c>sideload[0]=</c> indexed parameters, plural camelCase paths, restore via
/// <c>row_info.status</c>, bulk update with an id array — and, like it, treats only 200/201/204 as success.
/// </summary>
public sealed class PhpClientCompatibilityTests(FormsApp app) : IClassFixture<FormsApp>
{
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
