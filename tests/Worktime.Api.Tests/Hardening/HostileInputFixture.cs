using Worktime.Api.Tests.Forms;
using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.Hardening;

/// <summary>
/// Two partners for <see cref="HostileInputProperties"/>. The caller is a worker of partner A. Everything it must
/// never see carries a marker: partner B's rows, a colleague's worktime and absence, and the manager's and the
/// colleague's private user fields. Any answer containing a marker or a foreign username is a leak.
/// </summary>
public sealed class HostileInputFixture : IAsyncLifetime
{
    public const string Marker = "LEAKMARK";

    /// <summary>The app under attack, on the fake clock.</summary>
    public WorktimeApplication App { get; } = new(o =>
    {
        o.FakeClock = true;
        // Random logins fail a lot; the throttle has its own tests, here it would only turn parsers into 429s (and its
        // in-request delay waits on the fake clock).
        o.Settings["Auth:Throttle:IpFailures"] = "1000000";
        o.Settings["Auth:Throttle:UserIpFailures"] = "1000000";
        o.Settings["Auth:Throttle:UserFailures"] = "1000000";
        // Thousands of requests per property from one worker: the request quota would answer 429 to the rest.
        o.Settings["RateLimit:RequestsPerWindow"] = "1000000";
    });

    public Tenant A { get; private set; } = null!;

    public Tenant B { get; private set; } = null!;

    /// <summary>Row ids the generators aim at: own, a colleague's, the other partner's.</summary>
    public Dictionary<string, long> Ids { get; } = [];

    /// <summary>Usernames the caller must never see (its own appears in its own row).</summary>
    public IReadOnlyList<string> ForeignUsernames { get; private set; } = [];

    public TenantUser Caller => A.Worker;

    public Task DisposeAsync() => App.DisposeAsync().AsTask();

    public async Task InitializeAsync()
    {
        await App.InitializeAsync();
        A = await Tenant.CreateAsync(App, [1, 4, 5], otherWorker: true);
        B = await Tenant.CreateAsync(App, [1, 5]);
        var a = A.Admin.Client;
        var b = B.Admin.Client;
        var secret = new { email = Marker + "@a.test", phone = Marker + "-phone", lastname = "Visible" };
        await a.PutJsonAsync($"/users/{A.Manager.Id}", new { user = secret });
        await a.PutJsonAsync($"/users/{A.OtherWorker.Id}", new { user = secret });
        Ids["own.worktime"] = (await a.CreateAsync("worktimes", "worktime",
            new { date = WorktimeApplication.CurrentMonthDay, user = Caller.Id, superior = A.Manager.Id, description = "mine" })).Id();
        Ids["other.worktime"] = (await a.CreateAsync("worktimes", "worktime",
            new { date = WorktimeApplication.CurrentMonthDay, user = A.OtherWorker.Id, superior = A.Manager.Id, description = Marker })).Id();
        Ids["other.abcense"] = (await a.CreateAsync("abcenses", "abcense",
            new { startdate = WorktimeApplication.CurrentMonthDay, user = A.OtherWorker.Id, description = Marker })).Id();
        Ids["a.project"] = (await a.CreateAsync("projects", "project", new { name = "Site", contact_user = A.Manager.Id })).Id();
        Ids["b.user"] = B.Admin.Id;
        await b.PutJsonAsync($"/users/{B.Worker.Id}", new { user = new { firstname = Marker, email = Marker + "@b.test" } });
        var task = (await b.CreateAsync("tasks", "task", new { name = Marker })).Id();
        Ids["b.task"] = task;
        Ids["b.project"] = (await b.CreateAsync("projects", "project", new { name = Marker, contact_user = B.Worker.Id })).Id();
        Ids["b.customer"] = (await b.CreateAsync("customers", "customer", new { name = Marker })).Id();
        Ids["b.worktime"] = (await b.CreateAsync("worktimes", "worktime",
            new { date = WorktimeApplication.CurrentMonthDay, user = B.Worker.Id, task, description = Marker })).Id();
        ForeignUsernames = [A.Manager.Username, A.Admin.Username, A.OtherWorker.Username, B.Admin.Username, B.Worker.Username];
    }
}
