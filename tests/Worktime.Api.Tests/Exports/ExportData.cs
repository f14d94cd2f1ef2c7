using Worktime.Api.Tests.Forms;
using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.Exports;

/// <summary>
/// A partner with named people, a customer, projects (one whose name a spreadsheet would run as a formula), a task,
/// a worktype and worktimes of two workers in November 2026, one removed and one in October (outside the range).
/// </summary>
public sealed record ExportData(Tenant Tenant, long Customer, long Project, long FormulaProject, long Task, long Worktype)
{
    public const string From = "2026-11-01";
    public const string To = "2026-11-30";
    public const string Range = "from=2026-11-01&to=2026-11-30";

    public static async Task<ExportData> CreateAsync(WorktimeApplication app)
    {
        var t = await Tenant.CreateAsync(app, [1, 2, 3, 5], otherWorker: true);
        var admin = t.Admin.Client;
        await NameAsync(admin, t.Worker.Id, "Äijä", "Öhman");
        await NameAsync(admin, t.OtherWorker.Id, "Åsa", "Lindqvist");
        var customer = (await admin.CreateAsync("customers", "customer", new { name = "Åbo Ab, \"Turku\"" })).Id();
        var project = (await admin.CreateAsync("projects", "project", new { name = "Kattila", customer })).Id();
        var formula = (await admin.CreateAsync("projects", "project", new { name = "=HYPERLINK(\"http://x\";\"y\")" })).Id();
        var task = (await admin.CreateAsync("tasks", "task", new { name = "Asennus" })).Id();
        var worktype = (await admin.CreateAsync("worktypes", "worktype", new { name = "+Ylityö" })).Id();

        var (w, o) = (t.Worker.Id, t.OtherWorker.Id);
        await WorktimeAsync(admin, new { date = "2026-11-02", user = w, project, task, worktype, starttime = "08:00", endtime = "16:00", pause = 30, description = "Pumppu, \"uusi\"\nrivi 2" });
        await WorktimeAsync(admin, new { date = "2026-11-03", user = w, project = formula, starttime = "07:15", endtime = "15:45", description = "-2 tuntia @ työmaa" });
        await WorktimeAsync(admin, new { date = "2026-11-02", user = o, project, starttime = "09:00", endtime = "12:20" });
        await WorktimeAsync(admin, new { date = "2026-11-05", user = o, starttime = "10:00", endtime = "11:00", description = "\tsisennetty" });
        await WorktimeAsync(admin, new { date = "2026-11-30", user = o, project, task, starttime = "22:00", endtime = "23:59" });
        await WorktimeAsync(admin, new { date = "2026-10-31", user = w, project, starttime = "08:00", endtime = "09:00" });
        var removed = await WorktimeAsync(admin, new { date = "2026-11-04", user = w, project, starttime = "08:00", endtime = "18:00" });
        using (var gone = await admin.DeleteAsync($"/worktimes/{removed}"))
        {
            await gone.ShouldBeJsonAsync(200);
        }
        return new ExportData(t, customer, project, formula, task, worktype);
    }

    private static async Task NameAsync(HttpClient admin, long user, string first, string last)
    {
        using var response = await admin.PutJsonAsync($"/users/{user}", new { user = new { firstname = first, lastname = last } });
        await response.ShouldBeJsonAsync(200);
    }

    private static async Task<long> WorktimeAsync(HttpClient admin, object body) =>
        (await admin.CreateAsync("worktimes", "worktime", body)).Id();
}
