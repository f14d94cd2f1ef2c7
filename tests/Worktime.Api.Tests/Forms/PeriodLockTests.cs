using System.Text.Json;
using CsCheck;
using Worktime.Api.Accounts;
using Worktime.Api.Tests.Infrastructure;
using Worktime.Api.Tests.TimeAccounting;

namespace Worktime.Api.Tests.Forms;

/// <summary>
/// Period locks through HTTP (docs/forms.md, "Period locks"): every write path of worktimes and absences against a
/// lock of one user and of the whole partner, rows reading <c>locked</c> and getting their status back, the levels
/// that lock and unlock, the audit trail, and a lock written while worktimes are being written.
/// </summary>
[VariesWith(Vary.BackendAndCulture)]
public sealed class PeriodLockTests(FakeClockFixture fixture) : IClassFixture<FakeClockFixture>
{
    private readonly WorktimeApplication app = fixture.App;

    [Fact]
    public async Task A_partner_lock_closes_every_write_path_to_everyone_and_its_rows_read_locked()
    {
        var t = await Tenant.CreateAsync(app, [1, 3, 4, 5]);
        var admin = t.Admin.Client;
        var october = await WorktimeAsync(t, t.Worker.Id, "2026-10-15", "accepted");
        var lastDay = await WorktimeAsync(t, t.Worker.Id, "2026-10-31");
        var november = await WorktimeAsync(t, t.Worker.Id, "2026-11-02");
        var removed = await WorktimeAsync(t, t.Worker.Id, "2026-10-20");
        (await admin.DeleteAsync($"/worktimes/{removed}")).EnsureSuccessStatusCode();

        var periodLock = await t.Supervisor.Client.CreateAsync("periodlocks", "periodlock", new { enddate = "2026-10-31", description = "October payroll" });

        periodLock.GetProperty("user").ValueKind.ShouldBe(JsonValueKind.Null);
        foreach (var caller in new[] { t.Worker, t.Supervisor, t.Manager, t.Admin })
        {
            var row = (await caller.Client.ReadAsync($"/worktimes/{october}")).GetProperty("worktime");
            row.GetProperty("status").GetString().ShouldBe("locked");
            row.GetProperty("row_info").GetProperty("privilege_edit").GetBoolean().ShouldBeFalse($"level {caller.Level}");
            row.GetProperty("row_info").GetProperty("privilege_remove").GetBoolean().ShouldBeFalse($"level {caller.Level}");
        }
        (await Status(admin, lastDay)).ShouldBe("locked"); // enddate is inclusive
        (await Status(admin, removed)).ShouldBe("locked"); // removed rows too: restoring one finds it locked
        (await Status(admin, november)).ShouldBe("open");
        var nextDay = (await admin.ReadAsync($"/worktimes/{november}")).GetProperty("worktime").GetProperty("row_info");
        nextDay.GetProperty("privilege_edit").GetBoolean().ShouldBeTrue();

        foreach (var caller in new[] { t.Worker, t.Admin })
        {
            await ExpectLockedAsync(await caller.Client.PostJsonAsync("/worktimes", Body(new { date = "2026-10-20", user = caller.Id })));
            await ExpectLockedAsync(await caller.Client.PostJsonAsync("/worktimes", Body(new { date = "2026-10-20" }))); // user left to the caller
        }
        await ExpectLockedAsync(await t.Worker.Client.PutJsonAsync($"/worktimes/{lastDay}", Body(new { description = "late fix" })));
        await ExpectLockedAsync(await admin.PutJsonAsync($"/worktimes/{october}", Body(new { description = "late fix" })));
        await ExpectLockedAsync(await admin.PutJsonAsync($"/worktimes/{october}", Body(new { status = "open" })));
        await ExpectLockedAsync(await admin.DeleteAsync($"/worktimes/{october}"));
        await ExpectLockedAsync(await admin.PutJsonAsync($"/worktimes/{october}", new { worktime = new Dictionary<string, object> { ["row_info.status"] = "removed" } }));
        await ExpectLockedAsync(await admin.PutJsonAsync($"/worktimes/{removed}", new { worktime = new Dictionary<string, object> { ["row_info.status"] = "normal" } }));
        await ExpectLockedAsync(await admin.PutJsonAsync($"/worktimes/{october}", Body(new { date = "2026-11-03" }))); // moved out
        await ExpectLockedAsync(await admin.PutJsonAsync($"/worktimes/{november}", Body(new { date = "2026-10-30" }))); // moved in
        using (var bulk = await t.Supervisor.Client.PutJsonAsync("/worktimes", Body(new { id = new[] { november, october }, status = "accepted" })))
        {
            (await bulk.ShouldBeErrorAsync(409, "period_locked")).GetProperty("error_description").GetString()!.ShouldStartWith($"Row {october}:");
        }
        using (var again = await admin.DeleteAsync($"/worktimes/{removed}"))
        {
            await again.ShouldBeJsonAsync(200); // removing a removed row changes nothing, locked or not
        }

        (await Status(admin, november)).ShouldBe("open", "the refused bulk update rolled back the row it had accepted");
        var octoberRow = (await admin.ReadAsync($"/worktimes/{october}")).GetProperty("worktime");
        octoberRow.GetProperty("description").ValueKind.ShouldBe(JsonValueKind.Null);
        octoberRow.GetProperty("row_info").GetProperty("status").GetString().ShouldBe("normal");
        (await admin.ReadAsync("/worktimes?date=2026-10-01_2026-11-30&status=locked")).GetProperty("count").GetInt32().ShouldBe(2);
    }

    [Fact]
    public async Task Removing_the_lock_needs_a_manager_gives_rows_their_status_back_and_is_audited()
    {
        var t = await Tenant.CreateAsync(app, [1, 3, 4]);
        var accepted = await WorktimeAsync(t, t.Worker.Id, "2026-09-10", "accepted");
        var open = await WorktimeAsync(t, t.Worker.Id, "2026-09-11");
        var absence = (await t.Manager.Client.CreateAsync("abcenses", "abcense", new { user = t.Worker.Id, startdate = "2026-09-30", enddate = "2026-10-02" })).Id();
        var periodLock = (await t.Supervisor.Client.CreateAsync("periodlocks", "periodlock", new { enddate = "2026-09-30" })).Id();
        (await Status(t.Manager.Client, absence, "abcense")).ShouldBe("locked"); // starts in the locked period

        using (var bySupervisor = await t.Supervisor.Client.DeleteAsync($"/periodlocks/{periodLock}"))
        {
            await bySupervisor.ShouldBeErrorAsync(403, "forbidden");
        }
        using (var moveBySupervisor = await t.Supervisor.Client.PutJsonAsync($"/periodlocks/{periodLock}", new { periodlock = new { enddate = "2026-09-01" } }))
        {
            await moveBySupervisor.ShouldBeErrorAsync(403, "forbidden");
        }
        (await t.Supervisor.Client.ReadAsync($"/periodlocks/{periodLock}")).GetProperty("periodlock").GetProperty("row_info")
            .GetProperty("privilege_remove").GetBoolean().ShouldBeFalse();
        using (var byManager = await t.Manager.Client.DeleteAsync($"/periodlocks/{periodLock}"))
        {
            await byManager.ShouldBeJsonAsync(200);
        }

        (await Status(t.Manager.Client, accepted)).ShouldBe("accepted");
        (await Status(t.Manager.Client, open)).ShouldBe("open");
        (await Status(t.Manager.Client, absence, "abcense")).ShouldBe("open");
        using (var fix = await t.Worker.Client.PutJsonAsync($"/worktimes/{open}", Body(new { description = "corrected" })))
        {
            await fix.ShouldBeJsonAsync(200); // open again, so its worker edits it as before
        }
        using (var restore = await t.Manager.Client.PutJsonAsync($"/periodlocks/{periodLock}", new { periodlock = new Dictionary<string, object> { ["row_info.status"] = "normal" } }))
        {
            await restore.ShouldBeJsonAsync(200);
        }
        (await Status(t.Manager.Client, open)).ShouldBe("locked");

        var audit = await app.Service<AuditLog>().QueryAsync(0, null, 1000);
        audit.Where(r => r.Event == AuditEvents.PeriodLock && r.PartnerId == t.PartnerId).Select(r => (r.Username, r.Detail)).ShouldBe([
            (t.Supervisor.Username, $"periodlock {periodLock} created: enddate 2026-09-30, user everyone"),
            (t.Manager.Username, $"periodlock {periodLock} removed: enddate 2026-09-30, user everyone"),
            (t.Manager.Username, $"periodlock {periodLock} restored: enddate 2026-09-30, user everyone"),
        ]);
    }

    [Fact]
    public async Task A_lock_of_one_user_closes_only_their_rows_also_when_a_row_changes_hands()
    {
        var t = await Tenant.CreateAsync(app, [1, 3, 5], otherWorker: true);
        var admin = t.Admin.Client;
        var mine = await WorktimeAsync(t, t.Worker.Id, "2026-10-05");
        var theirs = await WorktimeAsync(t, t.OtherWorker.Id, "2026-10-05");
        var theirAbsence = (await admin.CreateAsync("abcenses", "abcense", new { user = t.OtherWorker.Id, startdate = "2026-10-06" })).Id();

        await t.Supervisor.Client.CreateAsync("periodlocks", "periodlock", new { enddate = "2026-10-31", user = t.Worker.Id });

        (await Status(admin, mine)).ShouldBe("locked");
        (await Status(admin, theirs)).ShouldBe("open");
        await ExpectLockedAsync(await t.Worker.Client.PostJsonAsync("/abcenses", new { abcense = new { startdate = "2026-10-20" } }));
        using (var otherWorker = await t.OtherWorker.Client.PostJsonAsync("/abcenses", new { abcense = new { startdate = "2026-10-20" } }))
        {
            await otherWorker.ShouldBeJsonAsync(201);
        }
        await ExpectLockedAsync(await admin.PutJsonAsync($"/worktimes/{mine}", Body(new { user = t.OtherWorker.Id }))); // out of the lock
        await ExpectLockedAsync(await admin.PutJsonAsync($"/worktimes/{theirs}", Body(new { user = t.Worker.Id }))); // into it
        await ExpectLockedAsync(await admin.PutJsonAsync($"/abcenses/{theirAbsence}", new { abcense = new { user = t.Worker.Id } }));
        using (var edit = await admin.PutJsonAsync($"/worktimes/{theirs}", Body(new { description = "fine" })))
        {
            await edit.ShouldBeJsonAsync(200);
        }
    }

    [Fact]
    public async Task Overlapping_locks_keep_what_another_lock_still_covers_when_one_moves_or_goes()
    {
        var t = await Tenant.CreateAsync(app, [1, 3, 4]);
        var manager = t.Manager.Client;
        var september = await WorktimeAsync(t, t.Worker.Id, "2026-09-15", "accepted");
        var earlyOctober = await WorktimeAsync(t, t.Worker.Id, "2026-10-10");
        var lateOctober = await WorktimeAsync(t, t.Worker.Id, "2026-10-25", "accepted");
        var partnerLock = (await t.Supervisor.Client.CreateAsync("periodlocks", "periodlock", new { enddate = "2026-09-30" })).Id();
        var userLock = (await t.Supervisor.Client.CreateAsync("periodlocks", "periodlock", new { enddate = "2026-10-31", user = t.Worker.Id })).Id();
        var sameDay = (await t.Supervisor.Client.CreateAsync("periodlocks", "periodlock", new { enddate = "2026-09-30", user = t.Worker.Id })).Id();
        (await Statuses(manager, september, earlyOctober, lateOctober)).ShouldBe(["locked", "locked", "locked"]);

        using (var move = await manager.PutJsonAsync($"/periodlocks/{userLock}", new { periodlock = new { enddate = "2026-10-15" } }))
        {
            await move.ShouldBeJsonAsync(200);
        }
        (await Statuses(manager, september, earlyOctober, lateOctober)).ShouldBe(["locked", "locked", "accepted"]);

        (await manager.DeleteAsync($"/periodlocks/{userLock}")).EnsureSuccessStatusCode();
        (await Statuses(manager, september, earlyOctober, lateOctober)).ShouldBe(["locked", "open", "accepted"]);

        (await manager.DeleteAsync($"/periodlocks/{partnerLock}")).EnsureSuccessStatusCode();
        (await Statuses(manager, september, earlyOctober, lateOctober)).ShouldBe(["locked", "open", "accepted"], "the worker's own September lock remains");

        using (var widen = await manager.PutJsonAsync($"/periodlocks/{sameDay}", new { periodlock = new { user = (long?)null, enddate = "2026-10-31" } }))
        {
            await widen.ShouldBeJsonAsync(200);
        }
        (await Statuses(manager, september, earlyOctober, lateOctober)).ShouldBe(["locked", "locked", "locked"]);
        (await manager.DeleteAsync($"/periodlocks/{sameDay}")).EnsureSuccessStatusCode();
        (await Statuses(manager, september, earlyOctober, lateOctober)).ShouldBe(["accepted", "open", "accepted"]);
    }

    [Fact]
    public async Task Locks_are_the_partners_own_and_need_an_enddate_and_level_3()
    {
        var t = await Tenant.CreateAsync(app, [2, 3]);
        var other = await Tenant.CreateAsync(app, [3]);
        var theirs = (await other.Supervisor.Client.CreateAsync("worktimes", "worktime", new { date = "2026-10-01" })).Id();

        await t.Supervisor.Client.CreateAsync("periodlocks", "periodlock", new { enddate = "2026-10-31" });
        using (var foreman = await t.Foreman.Client.PostJsonAsync("/periodlocks", new { periodlock = new { enddate = "2026-10-31" } }))
        {
            await foreman.ShouldBeErrorAsync(403, "forbidden");
        }
        using (var noDate = await t.Supervisor.Client.PostJsonAsync("/periodlocks", new { periodlock = new { description = "x" }, validation = "off" }))
        {
            (await noDate.ShouldBeErrorAsync(400, "validation_failed")).GetProperty("fields").TryGetProperty("enddate", out _).ShouldBeTrue();
        }
        using (var otherUser = await t.Supervisor.Client.PostJsonAsync("/periodlocks", new { periodlock = new { enddate = "2026-10-31", user = other.Supervisor.Id } }))
        {
            (await otherUser.ShouldBeErrorAsync(400, "validation_failed")).GetProperty("fields").TryGetProperty("user", out _).ShouldBeTrue();
        }

        (await Status(other.Supervisor.Client, theirs)).ShouldBe("open");
        using var edit = await other.Supervisor.Client.PutJsonAsync($"/worktimes/{theirs}", Body(new { description = "not ours to lock" }));
        await edit.ShouldBeJsonAsync(200);
        (await t.Foreman.Client.ReadAsync("/periodlocks")).GetProperty("count").GetInt32().ShouldBe(1); // everyone of the partner reads them
    }

    [Fact]
    public async Task A_status_set_by_hand_to_locked_is_not_a_period_lock()
    {
        var t = await Tenant.CreateAsync(app, [1, 3]);
        var byHand = await WorktimeAsync(t, t.Worker.Id, "2026-10-05", "locked");

        var row = (await t.Supervisor.Client.ReadAsync($"/worktimes/{byHand}")).GetProperty("worktime");
        row.GetProperty("row_info").GetProperty("privilege_edit").GetBoolean().ShouldBeTrue();
        (await t.Worker.Client.ReadAsync($"/worktimes/{byHand}")).GetProperty("worktime").GetProperty("row_info")
            .GetProperty("privilege_edit").GetBoolean().ShouldBeFalse(); // closed to its worker, as before
        using var reopen = await t.Supervisor.Client.PutJsonAsync($"/worktimes/{byHand}", Body(new { status = "open" }));
        (await reopen.ShouldBeJsonAsync(200)).GetProperty("worktime").GetProperty("status").GetString().ShouldBe("open");

        await t.Supervisor.Client.CreateAsync("periodlocks", "periodlock", new { enddate = "2026-10-31" });
        (await Status(t.Supervisor.Client, byHand)).ShouldBe("locked");
    }

    [Fact]
    public async Task A_lock_written_while_worktimes_are_written_leaves_no_open_row_in_its_period()
    {
        var t = await Tenant.CreateAsync(app, [1, 3]);
        var days = Enumerable.Range(1, 24).Select(d => $"2026-10-{d:00}").ToList();

        var creates = days.Select(async day =>
        {
            using var response = await t.Worker.Client.PostJsonAsync("/worktimes", Body(new { date = day, starttime = "08:00", endtime = "16:00" }));
            return (int)response.StatusCode;
        }).ToList();
        var locking = t.Supervisor.Client.CreateAsync("periodlocks", "periodlock", new { enddate = "2026-10-31" });
        var statuses = await Task.WhenAll(creates);
        await locking;

        statuses.ShouldAllBe(s => s == 201 || s == 409);
        var rows = (await t.Supervisor.Client.ReadAsync("/worktimes?date=2026-10-01_2026-10-31&limit=100")).GetProperty("worktimes");
        rows.GetArrayLength().ShouldBe(statuses.Count(s => s == 201));
        rows.EnumerateArray().Select(r => r.GetProperty("status").GetString()).ShouldAllBe(s => s == "locked");
    }

    /// <summary>The dates a generated lock may end on, and the rows of each generated partner (date, original status, is it an absence).</summary>
    private static readonly string[] LockEnds = ["2026-08-10", "2026-08-31", "2026-09-15", "2026-09-30", "2026-10-10", "2026-10-31", "2026-11-15"];

    private static readonly (string Date, string Status, bool Absence)[] Rows =
    [
        ("2026-08-05", "open", false), ("2026-08-31", "accepted", false), ("2026-09-12", "open", false), ("2026-09-29", "open", true),
        ("2026-09-30", "accepted", false), ("2026-10-01", "open", false), ("2026-10-20", "accepted", false), ("2026-10-31", "accepted", true),
        ("2026-11-10", "open", false), ("2026-11-16", "open", false),
    ];

    /// <summary>An operation on the locks: 0 create, 1 edit, 2 remove, 3 restore; which lock; its user (0 everyone, 1 or 2 a worker); its end.</summary>
    public sealed record LockOperation(int Kind, int Pick, int User, int End);

    private static readonly Gen<LockOperation[]> Operations =
        Gen.Select(Gen.Int[0, 3], Gen.Int[0, 7], Gen.Int[0, 2], Gen.Int[0, LockEnds.Length - 1], (k, p, u, e) => new LockOperation(k, p, u, e)).Array[1, 8];

    [Fact]
    public async Task Random_lock_sequences_keep_every_row_locked_exactly_while_a_lock_covers_it()
    {
        await Operations.SampleAsync(CheckSequenceAsync, iter: 12, threads: 1, seed: null);
    }

    /// <summary>
    /// A fresh partner with two workers' rows, then the operations through HTTP as its admin; after each one every row
    /// (removed ones included) must read "locked" exactly when a live lock of its user or of everyone ends on or after
    /// its date, and its own status otherwise — an independent model of docs/forms.md, "Period locks".
    /// </summary>
    private async Task CheckSequenceAsync(LockOperation[] operations)
    {
        var t = await Tenant.CreateAsync(app, [5]);
        var manager = t.Admin.Client;
        var workers = new List<long>();
        for (var i = 0; i < 2; i++)
        {
            workers.Add((await manager.CreateAsync("users", "user", new { username = $"w{Guid.NewGuid():N}" })).Id());
        }
        var rows = new List<(long Id, string Form, long User, string Date, string Status)>();
        foreach (var user in workers)
        {
            foreach (var (date, status, absence) in Rows)
            {
                var form = absence ? "abcense" : "worktime";
                var fields = new Dictionary<string, object> { ["user"] = user, [absence ? "startdate" : "date"] = date, ["status"] = status };
                rows.Add(((await manager.CreateAsync(form + "s", form, fields)).Id(), form, user, date, status));
            }
        }
        (await manager.DeleteAsync($"/worktimes/{rows[0].Id}")).EnsureSuccessStatusCode(); // removed rows follow the locks too

        var locks = new List<(long Id, long? User, string End, bool Live)>();
        foreach (var op in operations)
        {
            long? user = op.User == 0 ? null : workers[op.User - 1];
            var end = LockEnds[op.End];
            if (op.Kind == 0 || locks.Count == 0)
            {
                var created = await manager.CreateAsync("periodlocks", "periodlock", new { enddate = end, user });
                locks.Add((created.Id(), user, end, true));
            }
            else
            {
                var index = op.Pick % locks.Count;
                var target = locks[index];
                var (body, next) = op.Kind switch
                {
                    1 when target.Live => ((object)new { enddate = end, user }, target with { User = user, End = end }),
                    1 or 3 => (new Dictionary<string, object> { ["row_info.status"] = "normal" }, target with { Live = true }),
                    _ => (new Dictionary<string, object> { ["row_info.status"] = "removed" }, target with { Live = false }),
                };
                using var response = await manager.PutJsonAsync($"/periodlocks/{target.Id}", new { periodlock = body });
                await response.ShouldBeJsonAsync(200);
                locks[index] = next;
            }

            foreach (var (id, form, owner, date, status) in rows)
            {
                var covered = locks.Any(l => l.Live && (l.User is null || l.User == owner) && string.CompareOrdinal(l.End, date) >= 0);
                var read = (await manager.ReadAsync($"/{form}s/{id}")).GetProperty(form).GetProperty("status").GetString();
                read.ShouldBe(covered ? "locked" : status, $"{form} {date} of worker {workers.IndexOf(owner) + 1} after {op} with locks {string.Join("; ", locks)}");
            }
        }
    }

    private static object Body(object worktime) => new { worktime };

    /// <summary>A worktime written by the tenant's highest level (who may set its user and status).</summary>
    private static async Task<long> WorktimeAsync(Tenant t, long user, string date, string status = "open") =>
        (await t.ByLevel[t.ByLevel.Keys.Max()].Client.CreateAsync("worktimes", "worktime", new { date, user, status })).Id();

    private static async Task<string?> Status(HttpClient client, long id, string form = "worktime") =>
        (await client.ReadAsync($"/{form}s/{id}")).GetProperty(form).GetProperty("status").GetString();

    private static async Task<string?[]> Statuses(HttpClient client, params long[] ids) =>
        await Task.WhenAll(ids.Select(id => Status(client, id)));

    private static async Task ExpectLockedAsync(HttpResponseMessage response)
    {
        using (response)
        {
            (await response.ShouldBeErrorAsync(409, "period_locked")).GetProperty("error_description").GetString()!.ShouldContain("locked");
        }
    }
}
