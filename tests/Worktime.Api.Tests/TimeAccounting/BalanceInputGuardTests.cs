using Worktime.Api.Accounts;
using Worktime.Api.Tests.Forms;
using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.TimeAccounting;

/// <summary>
/// The balance's inputs need a second person (docs/time-accounting.md, "Who writes the balance's inputs"): below level 5
/// nobody books a correction or an employment for themselves; every write to employments, corrections, workday days
/// and a user's saldo fields is audited, with the client's address.
/// </summary>
[VariesWith(Vary.Backend)]
public sealed class BalanceInputGuardTests(FakeClockFixture fixture) : IClassFixture<FakeClockFixture>
{
    private readonly WorktimeApplication app = fixture.App;

    [Fact]
    public async Task BelowLevel5_NobodyWritesCorrectionsOrEmploymentsForThemselves()
    {
        var t = await Tenant.CreateAsync(app, [1, 3, 4, 5]);
        var group = await Accounting.GroupAsync(t.Admin, new { name = "G" });

        using var ownCorrection = await t.Supervisor.Client.PostJsonAsync("/saldocorrections",
            new { saldocorrection = new { user = t.Supervisor.Id, date = "2026-11-01", minutes = 600, description = "mine" } });
        using var ownEmployment = await t.Manager.Client.PostJsonAsync("/employments",
            new { employment = new { user = t.Manager.Id, worktimegroup = group, valid_from = "2026-01-01", percent = 10 } });
        var othersCorrection = await t.Supervisor.Client.CreateAsync("saldocorrections", "saldocorrection",
            new { user = t.Worker.Id, date = "2026-11-01", minutes = 60, description = "travel" });
        using var movedToSelf = await t.Supervisor.Client.PutJsonAsync($"/saldocorrections/{othersCorrection.Id()}",
            new { saldocorrection = new { user = t.Supervisor.Id } });
        var adminOwn = await t.Admin.Client.CreateAsync("saldocorrections", "saldocorrection",
            new { user = t.Admin.Id, date = "2026-11-01", minutes = 30, description = "admin books own" });

        await ownCorrection.ShouldBeErrorAsync(403, "forbidden");
        await ownEmployment.ShouldBeErrorAsync(403, "forbidden");
        await movedToSelf.ShouldBeErrorAsync(403, "forbidden");
        adminOwn.Id().ShouldBeGreaterThan(0);
        var supervisorSaldo = await Accounting.SaldoAsync(t.Admin.Client, t.Supervisor.Id, "2026-11-30");
        supervisorSaldo.Minutes("correction_minutes").ShouldBe(0, "the refused writes stored nothing");
        (await t.Admin.Client.ReadAsync($"/employments?user={t.Manager.Id}")).GetProperty("employments").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task EveryWriteToABalanceInput_IsAudited_WithTheClientAddress()
    {
        var t = await Tenant.CreateAsync(app, [1, 4, 5]);
        var group = await Accounting.GroupAsync(t.Admin, new { name = "G" });
        t.Manager.Client.DefaultRequestHeaders.Add(WorktimeApplication.RemoteIpHeader, "203.0.113.7");
        t.Admin.Client.DefaultRequestHeaders.Add(WorktimeApplication.RemoteIpHeader, "2001:db8::5");

        var employment = await t.Manager.Client.CreateAsync("employments", "employment",
            new { user = t.Worker.Id, worktimegroup = group, valid_from = "2026-01-01", percent = 80 });
        var day = await t.Admin.Client.CreateAsync("workdaydays", "workdayday", new { worktimegroup = group, date = "2026-12-24", minutes = 240 });
        using (var remove = await t.Admin.Client.DeleteAsync($"/workdaydays/{day.Id()}"))
        {
            await remove.ShouldBeJsonAsync(200);
        }
        await Accounting.SetUserAsync(t.Admin, t.Worker.Id, group, "2026-02-01", initial: -45);
        using (var name = await t.Admin.Client.PutJsonAsync($"/users/{t.Worker.Id}", new { user = new { firstname = "Not a balance input" } }))
        {
            await name.ShouldBeJsonAsync(200);
        }

        var manager = await app.Service<AuditLog>().QueryAsync(0, t.Manager.Username, 100);
        var admin = await app.Service<AuditLog>().QueryAsync(0, t.Admin.Username, 100);
        manager.Where(r => r.Event == AuditEvents.BalanceInput).Select(r => r.Detail).ShouldBe([
            $"employment {employment.Id()} created: user {t.Worker.Id}, worktimegroup {group}, valid_from 2026-01-01, percent 80",
        ]);
        admin.Where(r => r.Event == AuditEvents.BalanceInput).Select(r => r.Detail).ShouldBe([
            $"workdayday {day.Id()} created: worktimegroup {group}, date 2026-12-24, name , minutes 240",
            $"workdayday {day.Id()} removed: worktimegroup {group}, date 2026-12-24, name , minutes 240",
            $"user {t.Worker.Id} updated: saldo_start 2026-02-01, saldo_initial -45",
        ]);
        manager.Where(r => r.Event == AuditEvents.BalanceInput).ShouldAllBe(r => r.Ip == "203.0.113.7", "changes over HTTP name the client's address");
        admin.Where(r => r.Event == AuditEvents.BalanceInput).ShouldAllBe(r => r.Ip == "2001:db8::5");
    }
}
