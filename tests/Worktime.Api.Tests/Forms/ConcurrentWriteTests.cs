using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.Forms;

/// <summary>
/// Many writes at once (docs/deploy.md, "SQLite"): on SQLite they queue at the one writer connection's async
/// gate, on PostgreSQL they run in parallel on pooled connections; either way every write lands exactly once
/// and nothing answers busy or 5xx.
/// </summary>
[VariesWith(Vary.Backend)]
public sealed class ConcurrentWriteTests(FakeClockFixture fixture) : IClassFixture<FakeClockFixture>
{
    private readonly WorktimeApplication app = fixture.App;

    [Fact]
    public async Task FortyParallelCreatesAndUpdates_AllSucceed_AndEveryRowIsThere()
    {
        var t = await Tenant.CreateAsync(app, [5]);
        var body = await SampleRows.BodyAsync("task", t.Admin);

        var created = await Task.WhenAll(Enumerable.Range(0, 40).Select(async i =>
        {
            using var response = await t.Admin.Client.PostJsonAsync("/tasks", new Dictionary<string, object> { ["task"] = body });
            return (await response.ShouldBeJsonAsync(201)).GetProperty("task").Id();
        }));
        created.Distinct().Count().ShouldBe(40);

        // Writers and readers interleaved: updates of every row while the list is read.
        var updates = created.Select(async id =>
        {
            using var response = await t.Admin.Client.PutJsonAsync($"/tasks/{id}", new { task = new { name = $"renamed {id}" } });
            await response.ShouldBeJsonAsync(200);
        });
        var reads = Enumerable.Range(0, 10).Select(async _ =>
        {
            using var response = await t.Admin.Client.GetAsync("/tasks?limit=1");
            await response.ShouldBeJsonAsync(200);
        });
        await Task.WhenAll(updates.Concat(reads));

        using var all = await t.Admin.Client.GetAsync("/tasks?limit=100");
        var json = await all.ShouldBeJsonAsync(200);
        json.GetProperty("count").GetInt64().ShouldBe(40);
        foreach (var id in created)
        {
            using var one = await t.Admin.Client.GetAsync($"/tasks/{id}");
            (await one.ShouldBeJsonAsync(200)).GetProperty("task").GetProperty("name").GetString().ShouldBe($"renamed {id}");
        }
    }
}
