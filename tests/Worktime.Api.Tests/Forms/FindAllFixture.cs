using System.Globalization;
using System.Text.Json;
using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.Forms;

/// <summary>
/// One partner with a fixed set of rows, shared by the findAll matrix. Worktimes are labelled by their description:
/// <code>
/// a 2026-11-03 worker  P1  open     08:00-16:00 pause 30 (7:30)
/// b 2026-11-05 other   P2  accepted 09:00-17:00          (8:00)
/// c 2026-11-05 worker  —   locked   no times, task T1
/// d 2026-10-31 worker  P1  open     (previous month)
/// e 2026-12-01 other   P2  open     (next month)
/// f 2026-11-30 worker  P2  open     removed
/// g 2026-11-10 other   P1  open     22:00-06:00 pause 60 (7:00), worktype W1
/// </code>
/// Absences: x 2026-11-02 worker, y 2026-10-20 worker, z 2026-11-20 other. Tasks: Alpha (T1, number 3), Beta (1), Gamma (2).
/// </summary>
public sealed class FindAllFixture : IAsyncLifetime
{
    /// <summary>The app the rows live in (fake clock).</summary>
    public WorktimeApplication App { get; } = new(o => o.FakeClock = true);

    public Tenant T { get; private set; } = null!;

    public Dictionary<string, long> Ids { get; } = [];

    public Task DisposeAsync() => App.DisposeAsync().AsTask();

    public async Task InitializeAsync()
    {
        await App.InitializeAsync();
        T = await Tenant.CreateAsync(App);
        var admin = T.Admin.Client;
        foreach (var (name, number) in new[] { ("Alpha", "3"), ("Beta", "1"), ("Gamma", "2") })
        {
            Ids[name] = (await admin.CreateAsync("tasks", "task", new { name, number })).Id();
        }
        Ids["T1"] = Ids["Alpha"];
        Ids["P1"] = (await admin.CreateAsync("projects", "project", new { name = "P1" })).Id();
        Ids["P2"] = (await admin.CreateAsync("projects", "project", new { name = "P2" })).Id();
        Ids["W1"] = (await admin.CreateAsync("worktypes", "worktype", new { name = "W1" })).Id();
        Ids["own"] = T.PartnerId;
        Ids["worker"] = T.Worker.Id;
        Ids["other"] = T.OtherWorker.Id;
        var w = T.Worker.Id;
        var o = T.OtherWorker.Id;
        await Worktime("a", new { date = "2026-11-03", user = w, project = Ids["P1"], status = "open", starttime = "08:00", endtime = "16:00", pause = 30 });
        await Worktime("b", new { date = "2026-11-05", user = o, project = Ids["P2"], status = "accepted", starttime = "09:00", endtime = "17:00" });
        await Worktime("c", new { date = "2026-11-05", user = w, status = "locked", task = Ids["T1"] });
        await Worktime("d", new { date = "2026-10-31", user = w, project = Ids["P1"] });
        await Worktime("e", new { date = "2026-12-01", user = o, project = Ids["P2"] });
        await Worktime("f", new { date = "2026-11-30", user = w, project = Ids["P2"] });
        await Worktime("g", new { date = "2026-11-10", user = o, project = Ids["P1"], starttime = "22:00", endtime = "06:00", pause = 60, worktype = Ids["W1"] });
        (await admin.DeleteAsync($"/worktimes/{Ids["f"]}")).EnsureSuccessStatusCode();
        foreach (var (label, start, user) in new[] { ("x", "2026-11-02", w), ("y", "2026-10-20", w), ("z", "2026-11-20", o) })
        {
            Ids[label] = (await admin.CreateAsync("abcenses", "abcense", new { description = label, startdate = start, user })).Id();
        }
    }

    /// <summary>Replaces {P1}, {a}, {worker}… with ids.</summary>
    public string Expand(string query) => Ids.Aggregate(query, (q, p) => q.Replace("{" + p.Key + "}", p.Value.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));

    public TenantUser Caller(string who) => who switch
    {
        "worker" => T.Worker,
        "foreman" => T.Foreman,
        "supervisor" => T.Supervisor,
        _ => T.Admin,
    };

    private async Task Worktime(string label, object fields)
    {
        var body = JsonSerializer.SerializeToNode(fields)!.AsObject();
        body["description"] = label;
        Ids[label] = (await T.Admin.Client.CreateAsync("worktimes", "worktime", body)).Id();
    }
}
