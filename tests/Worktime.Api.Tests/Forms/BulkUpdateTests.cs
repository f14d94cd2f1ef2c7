using System.Globalization;
using System.Text.Json;
using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.Forms;

/// <summary><c>PUT /&lt;forms&gt;</c> with an <c>id</c> list: the same fields on every listed row, all or nothing.</summary>
[VariesWith(Vary.BackendAndCulture)]
public sealed class BulkUpdateTests(FakeClockFixture fixture) : IClassFixture<FakeClockFixture>
{
    private readonly WorktimeApplication app = fixture.App;

    [Fact]
    public async Task BulkUpdate_AppliesTheFieldsToEveryListedRow_AndReturnsThem()
    {
        var t = await Tenant.CreateAsync(app, [1, 3], otherWorker: true);
        var a = await WorktimeAsync(t, t.Worker.Id, "08:00", "16:00");
        var b = await WorktimeAsync(t, t.OtherWorker.Id, "08:00", "12:00");
        var untouched = await WorktimeAsync(t, t.Worker.Id, "08:00", "09:00");

        using var response = await t.Supervisor.Client.PutJsonAsync("/worktimes",
            new { worktime = new Dictionary<string, object> { ["status"] = "accepted", ["id"] = new object[] { a, b.ToString(CultureInfo.InvariantCulture) } } });

        var body = await response.ShouldBeJsonAsync(200);
        body.Keys().ShouldBe(["worktimes", "count"]);
        body.GetProperty("count").GetInt32().ShouldBe(2);
        body.GetProperty("worktimes").EnumerateArray().Select(r => (r.Id(), r.GetProperty("status").GetString()))
            .ShouldBe([(a, "accepted"), (b, "accepted")]);
        (await StatusAsync(t, untouched)).ShouldBe("open");
    }

    public static TheoryData<string> FailingLists => new() { "missing", "otherPartner", "notEditable", "invalidForOne" };

    [Theory]
    [MemberData(nameof(FailingLists))]
    public async Task BulkUpdate_WhenAnyRowFails_ChangesNoRow(string failure)
    {
        var t = await Tenant.CreateAsync(app, [1, 3], otherWorker: true);
        var stranger = await Tenant.CreateAsync(app, [3]);
        var longDay = await WorktimeAsync(t, t.Worker.Id, "08:00", "16:00");
        var shortDay = await WorktimeAsync(t, t.Worker.Id, "08:00", "09:00");
        var others = await WorktimeAsync(t, t.OtherWorker.Id, "08:00", "16:00");
        var foreign = (await stranger.Supervisor.Client.CreateAsync("worktimes", "worktime", new { date = WorktimeApplication.CurrentMonthDay })).Id();
        var (client, ids, fields, status, error) = failure switch
        {
            "missing" => (t.Supervisor.Client, new[] { longDay, 987654321L }, (object)new { description = "bulk" }, 404, "not_found"),
            "otherPartner" => (t.Supervisor.Client, new[] { longDay, foreign }, new { description = "bulk" }, 404, "not_found"),
            "notEditable" => (t.Worker.Client, new[] { longDay, others }, new { description = "bulk" }, 403, "forbidden"),
            _ => (t.Supervisor.Client, new[] { longDay, shortDay }, new { description = "bulk", pause = 120 }, 400, "validation_failed"),
        };
        var body = JsonSerializer.SerializeToNode(fields)!.AsObject();
        body["id"] = JsonSerializer.SerializeToNode(ids);

        using var response = await client.PutJsonAsync("/worktimes", new { worktime = body });

        var json = await response.ShouldBeErrorAsync(status, error);
        if (failure == "invalidForOne")
        {
            json.GetProperty("fields").GetProperty("pause").GetString().ShouldNotBeNull();
            json.GetProperty("error_description").GetString()!.ShouldStartWith($"Row {shortDay}:");
        }
        foreach (var id in new[] { longDay, shortDay, others })
        {
            using var get = await t.Supervisor.Client.GetAsync($"/worktimes/{id}");
            var row = (await get.ShouldBeJsonAsync(200)).GetProperty("worktime");
            row.GetProperty("description").GetString().ShouldBe("day", $"row {id} must be unchanged");
            row.GetProperty("pause").ValueKind.ShouldBe(JsonValueKind.Null);
        }
        using var foreignRow = await stranger.Supervisor.Client.GetAsync($"/worktimes/{foreign}");
        (await foreignRow.ShouldBeJsonAsync(200)).GetProperty("worktime").GetProperty("description").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task ParallelBulkUpdates_OverlappingRows_AllSucceedWithoutServerErrors()
    {
        var t = await Tenant.CreateAsync(app, [1, 3]);
        var ids = new List<long>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add(await WorktimeAsync(t, t.Worker.Id, "08:00", "16:00"));
        }

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
        {
            var list = i % 2 == 0 ? ids.ToArray() : ids.AsEnumerable().Reverse().ToArray();
            return t.Supervisor.Client.PutJsonAsync("/worktimes",
                new { worktime = new Dictionary<string, object> { ["description"] = $"run {i}", ["id"] = list } });
        }));

        foreach (var response in responses)
        {
            (await response.ShouldBeJsonAsync(200)).GetProperty("count").GetInt32().ShouldBe(4);
        }
        using var after = await t.Supervisor.Client.GetAsync($"/worktimes?id={string.Join(',', ids)}");
        // every row carries the description of one and the same (last committed) run
        (await after.ShouldBeJsonAsync(200)).GetProperty("worktimes").EnumerateArray()
            .Select(r => r.GetProperty("description").GetString()).Distinct().Count().ShouldBe(1);
    }

    [Theory]
    [InlineData("{\"worktime\":{\"status\":\"accepted\"}}")]
    [InlineData("{\"worktime\":{\"status\":\"accepted\",\"id\":[]}}")]
    [InlineData("{\"worktime\":{\"status\":\"accepted\",\"id\":[\"x\"]}}")]
    [InlineData("{\"worktime\":{\"status\":\"accepted\",\"id\":[[1]]}}")]
    public async Task BulkUpdate_WithoutAUsableIdList_Returns400(string body)
    {
        var t = await Tenant.CreateAsync(app, [3]);

        using var response = await t.Supervisor.Client.SendRawAsync(HttpMethod.Put, "/worktimes", body);

        (await response.ShouldBeErrorAsync(400, "validation_failed")).GetProperty("fields").GetProperty("id").GetString().ShouldNotBeNull();
    }

    [Fact]
    public async Task BulkRestore_ViaRowInfoStatus_RestoresEveryListedRow()
    {
        var t = await Tenant.CreateAsync(app, [4]);
        var ids = new List<long>();
        foreach (var name in new[] { "a", "b" })
        {
            var id = (await t.Manager.Client.CreateAsync("customers", "customer", new { name })).Id();
            (await t.Manager.Client.DeleteAsync($"/customers/{id}")).EnsureSuccessStatusCode();
            ids.Add(id);
        }

        using var response = await t.Manager.Client.PutJsonAsync("/customers",
            new { customer = new Dictionary<string, object> { ["row_info.status"] = "normal", ["id"] = ids } });

        (await response.ShouldBeJsonAsync(200)).GetProperty("customers").EnumerateArray()
            .Select(r => r.GetProperty("row_info").GetProperty("status").GetString()).ShouldBe(["normal", "normal"]);
    }

    private static async Task<long> WorktimeAsync(Tenant t, long user, string start, string end) =>
        (await t.Supervisor.Client.CreateAsync("worktimes", "worktime",
            new { date = WorktimeApplication.CurrentMonthDay, user, starttime = start, endtime = end, description = "day" })).Id();

    private static async Task<string?> StatusAsync(Tenant t, long id)
    {
        using var response = await t.Supervisor.Client.GetAsync($"/worktimes/{id}");
        return (await response.ShouldBeJsonAsync(200)).GetProperty("worktime").GetProperty("status").GetString();
    }
}
