using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.Forms;

/// <summary>
/// The month listing's <c>count</c> comes from per-month counts kept by triggers (docs/forms.md, "Counting"):
/// it must equal the rows a real count finds through every kind of change, on both databases.
/// </summary>
[VariesWith(Vary.Backend)]
public sealed class MonthCountTests(FakeClockFixture fixture) : IClassFixture<FakeClockFixture>
{
    private readonly WorktimeApplication app = fixture.App;

    [Fact]
    public async Task MonthCount_FollowsCreateMoveRemoveRestoreAndStatus()
    {
        var t = await Tenant.CreateAsync(app, [5]);
        var project = (await t.Admin.Client.CreateAsync("projects", "project", new { name = "P" })).Id();
        async Task<long> CreateAsync(string date) => (await t.Admin.Client.CreateAsync("worktimes", "worktime",
            new { date, user = t.Admin.Id, project, starttime = "08:00", endtime = "16:00" })).Id();

        var october = new[] { await CreateAsync("2026-10-01"), await CreateAsync("2026-10-31"), await CreateAsync("2026-10-15") };
        var september = await CreateAsync("2026-09-30");
        await ShouldAgreeAsync(t, "2026-10-01_2026-10-31", 3);
        await ShouldAgreeAsync(t, "2026-09-01_2026-10-31", 4); // several months add up

        using (var moved = await t.Admin.Client.PutJsonAsync($"/worktimes/{october[2]}", new { worktime = new { date = "2026-09-02" } }))
        {
            await moved.ShouldBeJsonAsync(200);
        }
        using (var sameMonth = await t.Admin.Client.PutJsonAsync($"/worktimes/{october[1]}", new { worktime = new { date = "2026-10-30" } }))
        {
            await sameMonth.ShouldBeJsonAsync(200);
        }
        using (var removed = await t.Admin.Client.DeleteAsync($"/worktimes/{october[0]}"))
        {
            removed.IsSuccessStatusCode.ShouldBeTrue();
        }
        await ShouldAgreeAsync(t, "2026-10-01_2026-10-31", 1);
        await ShouldAgreeAsync(t, "2026-09-01_2026-09-30", 2);
        await ShouldAgreeAsync(t, "2026-10-01_2026-10-31&row_info.status=removed", 1);

        using (var restored = await t.Admin.Client.PutJsonAsync($"/worktimes/{october[0]}", new Dictionary<string, object> { ["worktime"] = new Dictionary<string, object> { ["row_info.status"] = "normal" } }))
        {
            await restored.ShouldBeJsonAsync(200);
        }
        await ShouldAgreeAsync(t, "2026-10-01_2026-10-31", 2);
        await ShouldAgreeAsync(t, "2026-10-01_2026-10-31&row_info.status=removed", 0);
        september.ShouldBeGreaterThan(0);
    }

    /// <summary>The month count (served from the counts) equals the page's rows and a count that cannot use them.</summary>
    private static async Task ShouldAgreeAsync(Tenant t, string filter, long expected)
    {
        using var fromCounts = await t.Admin.Client.GetAsync($"/worktimes?date={filter}");
        var json = await fromCounts.ShouldBeJsonAsync(200);
        json.GetProperty("count").GetInt64().ShouldBe(expected, filter);
        json.GetProperty("worktimes").GetArrayLength().ShouldBe((int)expected, filter);
        using var counted = await t.Admin.Client.GetAsync($"/worktimes?date={filter}&user={t.Admin.Id}"); // a filter the counts cannot serve
        (await counted.ShouldBeJsonAsync(200)).GetProperty("count").GetInt64().ShouldBe(expected, filter);
    }
}
