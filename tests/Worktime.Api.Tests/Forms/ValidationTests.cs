using System.Globalization;
using System.Text.Json;
using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.Forms;

/// <summary>Value rules of create and update: types, required fields, references, read-only fields, <c>validation=off</c>.</summary>
[VariesWith(Vary.BackendAndCulture)]
public sealed class ValidationTests(FakeClockFixture fixture) : IClassFixture<FakeClockFixture>
{
    private readonly WorktimeApplication app = fixture.App;

    [Theory]
    [InlineData("worktimes", "worktime", "date", "\"2026-02-30\"")]
    [InlineData("worktimes", "worktime", "date", "\"15.1.2026\"")]
    [InlineData("worktimes", "worktime", "date", "20261115")]
    [InlineData("worktimes", "worktime", "starttime", "\"8am\"")]
    [InlineData("worktimes", "worktime", "starttime", "\"24:00\"")]
    [InlineData("worktimes", "worktime", "endtime", "\"12:5\"")]
    [InlineData("worktimes", "worktime", "pause", "\"abc\"")]
    [InlineData("worktimes", "worktime", "pause", "-5")]
    [InlineData("worktimes", "worktime", "pause", "1.5")]
    [InlineData("worktimes", "worktime", "pause", "true")]
    [InlineData("worktimes", "worktime", "status", "\"finished\"")]
    [InlineData("worktimes", "worktime", "user", "\"abc\"")]
    [InlineData("worktimes", "worktime", "project", "99999999")]
    [InlineData("worktimes", "worktime", "project", "{\"id\":1}")]
    [InlineData("worktimes", "worktime", "description", "[\"a\"]")]
    [InlineData("worktimes", "worktime", "color", "\"red\"")]
    [InlineData("worktimes", "worktime", "link.tasks", "[]")]
    [InlineData("worktimes", "worktime", "row_info.status", "\"deleted\"")]
    [InlineData("abcenses", "abcense", "dayamount", "\"x\"")]
    [InlineData("abcenses", "abcense", "enddate", "\"2026-11-01\"")] // before startdate
    [InlineData("abcensetypes", "abcensetype", "type", "\"weekly\"")]
    [InlineData("projects", "project", "image", "\"front.jpg\"")]
    [InlineData("projects", "project", "customer", "0")]
    [InlineData("worktimegroups", "worktimegroup", "daily_minutes", "\"7.5h\"")]
    [InlineData("users", "user", "userlevel", "9")]
    [InlineData("users", "user", "userlevel", "2.5")]
    [InlineData("users", "user", "password", "12345")]
    [InlineData("users", "user", "password", "\"\"")]
    public async Task Create_WithAnInvalidValue_Returns400NamingTheField_AndWritesNothing(string plural, string key, string field, string json)
    {
        var t = await Tenant.CreateAsync(app, [5]);
        var body = await SampleRows.BodyAsync(key, t.Admin);
        body.Remove(field);
        var fields = body.ToJsonString();
        var raw = $"{{\"{key}\":{fields[..^1]},\"{field}\":{json}}}}}"; // spliced as text: some values cannot be built as JSON nodes
        var before = await CountAsync(t, plural);

        using var response = await t.Admin.Client.SendRawAsync(HttpMethod.Post, $"/{plural}", raw);

        var error = await response.ShouldBeErrorAsync(400, "validation_failed");
        error.GetProperty("fields").GetProperty(field).GetString().ShouldNotBeNullOrWhiteSpace();
        (await CountAsync(t, plural)).ShouldBe(before);
    }

    [Theory]
    [InlineData("\"nul\\u0000byte\"")]
    [InlineData("\"lone \\ud800 surrogate\"")]
    [InlineData("\"lone \\udc00\"")]
    public async Task Create_WithTextThatIsNotValidUnicode_Returns400AndWritesNothing(string json)
    {
        var t = await Tenant.CreateAsync(app, [3]);

        using var response = await t.Supervisor.Client.SendRawAsync(HttpMethod.Post, "/tasks", $"{{\"task\":{{\"name\":{json}}}}}");
        using var inKey = await t.Supervisor.Client.SendRawAsync(HttpMethod.Post, "/tasks", $"{{\"task\":{{\"name\":\"ok\",{json}:1}}}}");

        await response.ShouldBeErrorAsync(400, "invalid_request");
        await inKey.ShouldBeErrorAsync(400, "invalid_request");
        (await CountAsync(t, "tasks")).ShouldBe(0);
    }

    [Fact]
    public async Task Create_WithSeveralProblems_ReportsEveryField()
    {
        var t = await Tenant.CreateAsync(app, [5]);

        using var response = await t.Admin.Client.PostJsonAsync("/worktimes",
            new { worktime = new { starttime = "x", pause = "y", project = 99999999 } });

        var fields = (await response.ShouldBeErrorAsync(400, "validation_failed")).GetProperty("fields");
        fields.Keys().Order().ShouldBe(["date", "pause", "project", "starttime"]);
        fields.GetProperty("date").GetString().ShouldBe("is required");
    }

    [Fact]
    public async Task ValidationOff_OnPost_SkipsRequiredFieldsOnly()
    {
        var t = await Tenant.CreateAsync(app, [3]);

        using var created = await t.Supervisor.Client.PostJsonAsync("/tasks", new { validation = "off", task = new { description = "no name" } });
        using var badType = await t.Supervisor.Client.PostJsonAsync("/worktimes", new { validation = "off", worktime = new { date = "bad" } });
        using var badRef = await t.Supervisor.Client.PostJsonAsync("/worktimes", new { validation = "off", worktime = new { project = 99999999 } });

        var row = (await created.ShouldBeJsonAsync(201)).GetProperty("task");
        row.GetProperty("name").ValueKind.ShouldBe(JsonValueKind.Null);
        (await badType.ShouldBeErrorAsync(400, "validation_failed")).GetProperty("fields").Keys().ShouldBe(["date"]);
        (await badRef.ShouldBeErrorAsync(400, "validation_failed")).GetProperty("fields").Keys().ShouldBe(["project"]);
    }

    [Fact]
    public async Task ValidationOff_OnPut_AllowsClearingARequiredField()
    {
        var t = await Tenant.CreateAsync(app, [3]);
        var id = (await t.Supervisor.Client.CreateAsync("tasks", "task", new { name = "Named" })).Id();

        using var refused = await t.Supervisor.Client.PutJsonAsync($"/tasks/{id}", new { task = new { name = "" } });
        using var allowed = await t.Supervisor.Client.PutJsonAsync($"/tasks/{id}?validation=off", new { task = new { name = "" } });

        (await refused.ShouldBeErrorAsync(400, "validation_failed")).GetProperty("fields").GetProperty("name").GetString().ShouldBe("is required");
        (await allowed.ShouldBeJsonAsync(200)).GetProperty("task").GetProperty("name").GetString().ShouldBe("");
    }

    [Fact]
    public async Task ForgivingInput_NumericStringsRowInfoIdAndComputedFieldsAreAcceptedOrIgnored()
    {
        var t = await Tenant.CreateAsync(app, [1, 3]);
        var project = (await t.Supervisor.Client.CreateAsync("projects", "project", new { name = "P" })).Id();
        var body = $$$"""
            {"worktime":{"row_info":null,"id":424242,"date":"2026-11-04","user":"{{{t.Worker.Id}}}","project":"{{{project}}}",
             "starttime":"8:00","endtime":"16:30:00","pause":"30","work_hours":"99:00","status":"OPEN",
             "row_info.created":"2000-01-01 00:00:00","row_info.partnerid":"1","row_info.creatorid":"1"}}
            """;

        using var response = await t.Worker.Client.SendRawAsync(HttpMethod.Post, "/worktimes", body);

        var row = (await response.ShouldBeJsonAsync(201)).GetProperty("worktime");
        row.Id().ShouldNotBe(424242);
        row.GetProperty("user").GetInt64().ShouldBe(t.Worker.Id);
        row.GetProperty("project").GetInt64().ShouldBe(project);
        row.GetProperty("starttime").GetString().ShouldBe("08:00");
        row.GetProperty("endtime").GetString().ShouldBe("16:30");
        row.GetProperty("pause").GetInt64().ShouldBe(30);
        row.GetProperty("work_hours").GetString().ShouldBe("8:00");
        row.GetProperty("status").GetString().ShouldBe("open");
        row.GetProperty("row_info").GetProperty("created").GetString().ShouldBe("2026-11-02 08:00:00");
        row.GetProperty("row_info").GetProperty("partnerid").GetString().ShouldBe(t.PartnerId.ToString(CultureInfo.InvariantCulture));
        row.GetProperty("row_info").GetProperty("creatorid").GetString().ShouldBe(t.Worker.Id.ToString(CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Create_WithoutDropdownOrUser_GetsTheDefaults()
    {
        var t = await Tenant.CreateAsync(app, [1]);

        var worktime = await t.Worker.Client.CreateAsync("worktimes", "worktime", new { date = WorktimeApplication.CurrentMonthDay });
        var absence = await t.Worker.Client.CreateAsync("abcenses", "abcense", new { startdate = WorktimeApplication.CurrentMonthDay });

        worktime.GetProperty("status").GetString().ShouldBe("open");
        worktime.GetProperty("user").GetInt64().ShouldBe(t.Worker.Id);
        absence.GetProperty("status").GetString().ShouldBe("open");
        absence.GetProperty("user").GetInt64().ShouldBe(t.Worker.Id);
    }

    [Theory]
    [InlineData("08:00", "16:30", 30, "8:00")]
    [InlineData("22:00", "06:00", 0, "8:00")] // past midnight
    [InlineData("07:15", "07:15", 0, "0:00")]
    [InlineData("06:00", "18:45", 45, "12:00")]
    [InlineData("08:00", null, 0, null)]
    public async Task WorkHours_IsComputedFromStartEndAndPause(string start, string? end, int pause, string? expected)
    {
        var t = await Tenant.CreateAsync(app, [1]);

        var row = await t.Worker.Client.CreateAsync("worktimes", "worktime",
            new { date = WorktimeApplication.CurrentMonthDay, starttime = start, endtime = end, pause });

        if (expected is null)
        {
            row.GetProperty("work_hours").ValueKind.ShouldBe(JsonValueKind.Null);
        }
        else
        {
            row.GetProperty("work_hours").GetString().ShouldBe(expected);
        }
    }

    [Fact]
    public async Task WorkHours_IsRecomputedOnAPartialUpdate_AndAPauseLongerThanTheDayIsRefused()
    {
        var t = await Tenant.CreateAsync(app, [1]);
        var id = (await t.Worker.Client.CreateAsync("worktimes", "worktime",
            new { date = WorktimeApplication.CurrentMonthDay, starttime = "08:00", endtime = "12:00" })).Id();

        using var longer = await t.Worker.Client.PutJsonAsync($"/worktimes/{id}", new { worktime = new { endtime = "17:00", pause = 60 } });
        using var tooLong = await t.Worker.Client.PutJsonAsync($"/worktimes/{id}", new { worktime = new { pause = 600 } });

        (await longer.ShouldBeJsonAsync(200)).GetProperty("worktime").GetProperty("work_hours").GetString().ShouldBe("8:00");
        (await tooLong.ShouldBeErrorAsync(400, "validation_failed")).GetProperty("fields").GetProperty("pause").GetString().ShouldNotBeNull();
    }

    [Fact]
    public async Task Reference_ToARemovedRow_IsRefused_ButAnUnchangedOneStays()
    {
        var t = await Tenant.CreateAsync(app, [4]);
        var c = t.Manager.Client;
        var project = (await c.CreateAsync("projects", "project", new { name = "Old" })).Id();
        var worktime = (await c.CreateAsync("worktimes", "worktime", new { date = WorktimeApplication.CurrentMonthDay, project })).Id();
        (await c.DeleteAsync($"/projects/{project}")).EnsureSuccessStatusCode();

        using var newRow = await c.PostJsonAsync("/worktimes", new { worktime = new { date = WorktimeApplication.CurrentMonthDay, project } });
        using var resave = await c.PutJsonAsync($"/worktimes/{worktime}", new { worktime = new { project, description = "kept" } });

        (await newRow.ShouldBeErrorAsync(400, "validation_failed")).GetProperty("fields").GetProperty("project").GetString().ShouldNotBeNull();
        (await resave.ShouldBeJsonAsync(200)).GetProperty("worktime").GetProperty("project").GetInt64().ShouldBe(project);
    }

    [Theory]
    [InlineData("{\"task\":{\"name\":\"x\"}", "invalid_request")] // malformed
    [InlineData("[{\"task\":{}}]", "invalid_request")]
    [InlineData("\"task\"", "invalid_request")]
    [InlineData("{\"worktime\":{\"name\":\"x\"}}", "invalid_request")] // wrong root key
    [InlineData("{\"task\":\"x\"}", "invalid_request")]
    [InlineData("", "invalid_request")]
    public async Task Body_OfTheWrongShape_Returns400(string body, string error)
    {
        var t = await Tenant.CreateAsync(app, [3]);

        using var response = await t.Supervisor.Client.SendRawAsync(HttpMethod.Post, "/tasks", body);

        await response.ShouldBeErrorAsync(400, error);
    }

    private static async Task<int> CountAsync(Tenant t, string plural)
    {
        using var response = await t.ByLevel.Values.First().Client.GetAsync($"/{plural}?row_info.status=all{(plural is "worktimes" or "abcenses" ? "&" + (plural == "worktimes" ? "date" : "startdate") + "=2000-01-01_2099-12-31" : "")}");
        return (await response.ShouldBeJsonAsync(200)).GetProperty("count").GetInt32();
    }
}
