using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using Worktime.Api.Tests.Infrastructure;
using Worktime.Api.Tests.MultiNode;

namespace Worktime.Api.Tests.WebApp;

/// <summary>
/// The supervisor pages (<c>/app/team</c>, <c>/app/team/absences</c>, <c>/app/team/locks</c>) as a supervisor and the
/// office use them, on one server and browser for the class: pending absences accepted and rejected (a rejection
/// without a reason is tied to its field and saves nothing; the worker's page reads the rejection with its reason);
/// a period locked by a supervisor makes the worker's rows read "Locked" with no controls, only an admin's page can
/// unlock it; a week of the team (<c>?week=</c>) and "Accept everyone's" of it; forms posted directly by someone the
/// API would refuse change nothing; in Finnish on a phone.
/// </summary>
// Backend: the issue asks every flow on SQLite and on two nodes on PostgreSQL; in the PostgreSQL pass WebAppServer is two
// nodes on one database behind a round-robin proxy (no sticky sessions), so each page and post may land on either node.
[VariesWith(Vary.Backend)]
public sealed class WebAppTeamTests(WebAppServer web) : IClassFixture<WebAppServer>
{
    private const string Password = "pw-correct-horse-web";

    [Fact]
    public async Task A_supervisor_accepts_and_rejects_pending_absences_and_the_worker_reads_the_rejection()
    {
        var (status, type) = await web.ApiAsync(HttpMethod.Post, "/abcensetypes",
            new { abcensetype = new { name = "Holiday", type = "days", requires_approval = true } });
        status.ShouldBe(201, type.ToString());
        var typeId = type.GetProperty("abcensetype").GetProperty("id").GetInt64();
        await web.CreateUserAsync("asking.worker", 1, firstname: "Aku", lastname: "Asker");
        await web.CreateUserAsync("deciding.boss", 3, firstname: "Dora", lastname: "Decider");
        var workerToken = (await TokenClient.LoginAsync(web.Server, "asking.worker", Password)).Access;
        var summer = await RequestAsync(workerToken, typeId, "2026-07-06", "2026-07-17", "Summer trip");
        var autumn = await RequestAsync(workerToken, typeId, "2026-10-12", "2026-10-16", "Autumn break");

        var page = await web.NewPageAsync();
        await web.LogInAsync(page, "deciding.boss", Password, "/app/team/absences");
        await page.ShouldHaveLanguageTitleAndFocusedHeadingAsync("en");
        (await page.TitleAsync()).ShouldBe("Absences to decide – Worktime");
        var summerRow = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Summer trip" });
        await Assertions.Expect(summerRow).ToContainTextAsync("Aku Asker");
        await Assertions.Expect(summerRow).ToContainTextAsync("Holiday");
        await Assertions.Expect(summerRow).ToContainTextAsync("17/07/2026");
        await page.ShouldPassAxeAsync();
        await ScreenshotAsync(page, "webapp-team-absences.png");

        // Reject without a reason: the API's 400 on rejection_reason, on that row's field; the absence stays open.
        await page.GetByRole(AriaRole.Button, new() { Name = "Reject the absence of Aku Asker, 06/07/2026" }).ClickAsync();
        var reason = page.GetByLabel("Reason for rejecting Aku Asker, 06/07/2026");
        await Assertions.Expect(reason).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(page.Locator("#" + await reason.GetAttributeAsync("aria-describedby"))).ToHaveTextAsync("a rejection needs a reason");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Nothing was saved: check the marked fields.");
        (await AbsenceAsync(summer)).GetProperty("status").GetString().ShouldBe("open");
        await page.ShouldPassAxeAsync();

        await reason.FillAsync("Harbour season: too many away");
        await page.GetByRole(AriaRole.Button, new() { Name = "Reject the absence of Aku Asker, 06/07/2026" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("The absence was rejected.");
        await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Summer trip" })).ToHaveCountAsync(0);
        var rejected = await AbsenceAsync(summer);
        (rejected.GetProperty("status").GetString(), rejected.GetProperty("rejection_reason").GetString())
            .ShouldBe(("rejected", "Harbour season: too many away"));

        await page.GetByRole(AriaRole.Button, new() { Name = "Accept the absence of Aku Asker, 12/10/2026" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("The absence was accepted.");
        await Assertions.Expect(page.GetByText("No absences wait for a decision.")).ToBeVisibleAsync();
        (await AbsenceAsync(autumn)).GetProperty("status").GetString().ShouldBe("accepted");
        await page.Context.CloseAsync();

        // The worker reads both decisions on their own page, the rejection with its reason.
        var worker = await web.NewPageAsync();
        await web.LogInAsync(worker, "asking.worker", Password, "/app/absences?year=2026");
        await Assertions.Expect(worker.GetByRole(AriaRole.Row).Filter(new() { HasText = "Summer trip" }))
            .ToContainTextAsync("Rejected: Harbour season: too many away");
        await Assertions.Expect(worker.GetByRole(AriaRole.Row).Filter(new() { HasText = "Summer trip" }).GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
        await Assertions.Expect(worker.GetByRole(AriaRole.Row).Filter(new() { HasText = "Autumn break" })).ToContainTextAsync("Accepted");
        await ScreenshotAsync(worker, "webapp-absences.png");

        // A worker has no team page, and posting its decision form anyway changes nothing.
        var third = await RequestAsync(workerToken, typeId, "2026-12-21", "2026-12-23", "Christmas");
        await worker.GotoAsync(web.Url + "/app/team/absences");
        await Assertions.Expect(worker.GetByRole(AriaRole.Heading, new() { Name = "Not allowed", Level = 1 })).ToBeVisibleAsync();
        await worker.GotoAsync(web.Url + "/app/absences?year=2026");
        var answer = await PostAsync(worker, "/app/team/absences", new()
        {
            ["_handler"] = "decisions", ["Decision.Action"] = "accept:" + third.ToString(CultureInfo.InvariantCulture),
        });
        answer.ShouldNotContain("The absence was accepted.");
        (await AbsenceAsync(third)).GetProperty("status").GetString().ShouldBe("open");
        await worker.Context.CloseAsync();

        // The supervisor's page in Finnish on a phone.
        var phone = await web.NewPageAsync(locale: "fi-FI", phone: true);
        await web.LogInInFinnishAsync(phone, "deciding.boss", Password, "/app/team/absences");
        await phone.ShouldHaveLanguageTitleAndFocusedHeadingAsync("fi");
        await Assertions.Expect(phone.GetByRole(AriaRole.Heading, new() { Name = "Päätettävät poissaolot", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(phone.GetByRole(AriaRole.Button, new() { Name = "Hylkää poissaolo: Aku Asker, 21.12.2026" })).ToBeVisibleAsync();
        await phone.ShouldPassAxeAsync();
        await phone.ShouldFitAPhoneAsync();
        await phone.Context.CloseAsync();
    }

    [Fact]
    public async Task A_locked_period_reads_locked_on_the_week_and_only_an_admin_unlocks_it()
    {
        var worker = await web.CreateUserAsync("locked.worker", 1, firstname: "Lauri", lastname: "Locked");
        await web.CreateUserAsync("locking.boss", 3, firstname: "Liisa", lastname: "Locker");
        var workerToken = (await TokenClient.LoginAsync(web.Server, "locked.worker", Password)).Access;
        var (status, body) = await web.ApiAsync(HttpMethod.Post, "/worktimes",
            new { worktime = new { date = "2026-04-28", starttime = "08:00", endtime = "16:00", description = "Before the lock" } }, workerToken);
        status.ShouldBe(201, body.ToString());
        var row = body.GetProperty("worktime").GetProperty("id").GetInt64();

        // A supervisor locks April for Lauri through the page (the form posts POST /periodlocks).
        var boss = await web.NewPageAsync();
        await web.LogInAsync(boss, "locking.boss", Password, "/app/team/locks");
        (await boss.TitleAsync()).ShouldBe("Period locks – Worktime");
        await boss.GetByLabel("Locked through").FillAsync("2026-04-30");
        await boss.GetByLabel("Person").SelectOptionAsync(new SelectOptionValue { Label = "Lauri Locked" });
        await boss.GetByLabel("Description").FillAsync("April payroll");
        await boss.GetByRole(AriaRole.Button, new() { Name = "Lock", Exact = true }).ClickAsync();
        var lockRow = boss.GetByRole(AriaRole.Row).Filter(new() { HasText = "April payroll" });
        await Assertions.Expect(lockRow).ToContainTextAsync("30/04/2026");
        await Assertions.Expect(lockRow).ToContainTextAsync("Lauri Locked");
        var locks = await LocksAsync();
        locks.Count.ShouldBe(1);
        (locks[0].GetProperty("enddate").GetString(), locks[0].GetProperty("user").GetInt64()).ShouldBe(("2026-04-30", worker));
        var lockId = locks[0].GetProperty("id").GetInt64();
        // Level 3 locks but may not unlock: no button, and the form posted anyway is refused.
        await Assertions.Expect(lockRow.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
        await boss.ShouldPassAxeAsync();
        await ScreenshotAsync(boss, "webapp-team-locks.png");
        var refused = await PostAsync(boss, "/app/team/locks", new() { ["_handler"] = "locks", ["Unlock.Id"] = lockId.ToString(CultureInfo.InvariantCulture), ["Unlock.Confirmed"] = "true" });
        refused.ShouldContain("role=\"alert\"");
        (await LocksAsync()).Count.ShouldBe(1);
        await boss.Context.CloseAsync();

        // The worker's row reads "Locked" with no edit or delete; an edit posted directly is the API's 409.
        var page = await web.NewPageAsync();
        await web.LogInAsync(page, "locked.worker", Password, "/app/week?date=2026-04-28");
        var locked = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Before the lock" });
        await Assertions.Expect(locked).ToContainTextAsync("Locked");
        await Assertions.Expect(locked.GetByRole(AriaRole.Link)).ToHaveCountAsync(0);
        await Assertions.Expect(locked.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
        await page.ShouldPassAxeAsync();
        await ScreenshotAsync(page, "webapp-week.png");
        var edited = await PostAsync(page, "/app/week?date=2026-04-28", new()
        {
            ["_handler"] = "entry", ["Entry.Id"] = row.ToString(CultureInfo.InvariantCulture), ["Entry.Date"] = "2026-04-28", ["Entry.Description"] = "Changed",
        });
        edited.ShouldContain("role=\"alert\"");
        var deleted = await PostAsync(page, "/app/week?date=2026-04-28", new() { ["_handler"] = "rows", ["RowPost.Action"] = "delete:" + row.ToString(CultureInfo.InvariantCulture) });
        deleted.ShouldContain("role=\"alert\"");
        var (_, stored) = await web.ApiAsync(HttpMethod.Get, $"/worktimes/{row}");
        (stored.GetProperty("worktime").GetProperty("description").GetString(), stored.GetProperty("worktime").GetProperty("status").GetString())
            .ShouldBe(("Before the lock", "locked"));

        // In Finnish on a phone the row reads "Lukittu".
        var phone = await web.NewPageAsync(locale: "fi-FI", phone: true);
        await web.LogInInFinnishAsync(phone, "locked.worker", Password, "/app/week?date=2026-04-28");
        await Assertions.Expect(phone.GetByRole(AriaRole.Row).Filter(new() { HasText = "Before the lock" })).ToContainTextAsync("Lukittu");
        await phone.ShouldPassAxeAsync();
        await phone.ShouldFitAPhoneAsync();
        await phone.Context.CloseAsync();

        // The admin unlocks on the same page (DELETE /periodlocks/id); the row is the worker's to edit again.
        var admin = await web.NewPageAsync(locale: "fi-FI", phone: true);
        await web.LogInInFinnishAsync(admin, "admin", web.AdminPassword, "/app/team/locks");
        await Assertions.Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Jaksojen lukitus", Level = 1 })).ToBeVisibleAsync();
        await admin.ShouldPassAxeAsync();
        await admin.ShouldFitAPhoneAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Poista lukitus 30.4.2026, Lauri Locked" }).ClickAsync();
        // Removing asks first: the question takes the focus, and nothing is removed until it is answered.
        var question = admin.GetByRole(AriaRole.Group, new() { Name = "Avataanko lukitus 30.4.2026, Lauri Locked?" });
        await Assertions.Expect(question).ToBeFocusedAsync();
        (await LocksAsync()).Count.ShouldBe(1);
        await admin.ShouldPassAxeAsync();
        await admin.ShouldFitAPhoneAsync();
        await question.GetByRole(AriaRole.Button, new() { Name = "Poista lukitus", Exact = true }).ClickAsync();
        await Assertions.Expect(admin.GetByText("Yhtään jaksoa ei ole lukittu.")).ToBeVisibleAsync();
        (await LocksAsync()).Count.ShouldBe(0);

        // The people and projects lists (GET /users, GET /projects as the admin), on the phone too.
        (await web.ApiAsync(HttpMethod.Post, "/projects", new { project = new { number = "P-7", name = "Quay crane", city = "Kotka" } })).Status.ShouldBe(201);
        await admin.GotoAsync(web.Url + "/app/team/people");
        await Assertions.Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Henkilöt", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(admin.GetByRole(AriaRole.Row).Filter(new() { HasText = "Lauri Locked" })).ToContainTextAsync("locked.worker");
        await admin.ShouldPassAxeAsync();
        await admin.ShouldFitAPhoneAsync();
        await admin.GotoAsync(web.Url + "/app/team/projects");
        await Assertions.Expect(admin.GetByRole(AriaRole.Row).Filter(new() { HasText = "Quay crane" })).ToContainTextAsync("Kotka");
        await admin.ShouldPassAxeAsync();
        await admin.ShouldFitAPhoneAsync();
        await admin.Context.CloseAsync();
        await page.ReloadAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Before the lock" }).GetByRole(AriaRole.Button, new() { Name = "Delete 28/04/2026 08:00" }))
            .ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_supervisor_sees_the_team_month_and_accepts_a_persons_rows()
    {
        var worker = await web.CreateUserAsync("month.worker", 1, firstname: "Maija", lastname: "Month");
        await web.CreateUserAsync("month.boss", 3, firstname: "Matti", lastname: "Manager");
        var workerToken = (await TokenClient.LoginAsync(web.Server, "month.worker", Password)).Access;
        foreach (var date in new[] { "2026-03-02", "2026-03-03" })
        {
            var (status, body) = await web.ApiAsync(HttpMethod.Post, "/worktimes",
                new { worktime = new { date, starttime = "08:00", endtime = "15:30", description = "March work" } }, workerToken);
            status.ShouldBe(201, body.ToString());
        }

        var page = await web.NewPageAsync();
        await web.LogInAsync(page, "month.boss", Password, "/app/team?month=2026-03");
        (await page.TitleAsync()).ShouldBe("Team – Worktime");
        var person = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Maija Month" });
        await Assertions.Expect(person).ToContainTextAsync("15:00");
        await page.ShouldPassAxeAsync();
        await ScreenshotAsync(page, "webapp-team.png");
        await person.GetByRole(AriaRole.Button, new() { Name = "Accept Maija Month, March 2026" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Accepted 2 rows.");
        var (_, rows) = await web.ApiAsync(HttpMethod.Get, $"/worktimes?user={worker}&date=2026-03-01_2026-03-31");
        rows.GetProperty("worktimes").EnumerateArray().Select(r => r.GetProperty("status").GetString()).ShouldBe(["accepted", "accepted"]);
        await Assertions.Expect(person.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
        await page.Context.CloseAsync();

        var balance = await web.NewPageAsync();
        await web.LogInAsync(balance, "month.worker", Password, "/app/balance?from=2026-03-01&to=2026-03-31");
        await Assertions.Expect(balance.Locator("#current-balance")).ToBeVisibleAsync();
        await ScreenshotAsync(balance, "webapp-balance.png");
        await balance.Context.CloseAsync();

        var phone = await web.NewPageAsync(locale: "fi-FI", phone: true);
        await web.LogInInFinnishAsync(phone, "month.boss", Password, "/app/team?month=2026-03");
        await phone.ShouldHaveLanguageTitleAndFocusedHeadingAsync("fi");
        await Assertions.Expect(phone.GetByRole(AriaRole.Row).Filter(new() { HasText = "Maija Month" })).ToContainTextAsync("15:00");
        await phone.ShouldPassAxeAsync();
        await phone.ShouldFitAPhoneAsync();
        await phone.Context.CloseAsync();
    }

    [Fact]
    public async Task A_supervisor_opens_a_week_of_the_team_and_accepts_everyones_rows_of_it()
    {
        var first = await web.CreateUserAsync("week.first", 1, firstname: "Wilma", lastname: "Weekly");
        var second = await web.CreateUserAsync("week.second", 1, firstname: "Ville", lastname: "Weekly");
        await web.CreateUserAsync("week.boss", 3, firstname: "Vera", lastname: "Viikko");
        var firstToken = (await TokenClient.LoginAsync(web.Server, "week.first", Password)).Access;
        var secondToken = (await TokenClient.LoginAsync(web.Server, "week.second", Password)).Access;
        foreach (var (token, date, end) in new[] { (firstToken, "2026-05-04", "16:00"), (secondToken, "2026-05-05", "12:00"), (firstToken, "2026-05-12", "15:00") })
        {
            var (status, body) = await web.ApiAsync(HttpMethod.Post, "/worktimes",
                new { worktime = new { date, starttime = "08:00", endtime = end, description = "May work" } }, token);
            status.ShouldBe(201, body.ToString());
        }

        // ?week= shows the ISO week around the date: Monday 4 May to Sunday 10 May 2026, week 19.
        var page = await web.NewPageAsync();
        await web.LogInAsync(page, "week.boss", Password, "/app/team?week=2026-05-06");
        await Assertions.Expect(page.Locator("caption")).ToContainTextAsync("Week 19, 04/05/2026 – 10/05/2026");
        await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Wilma Weekly" })).ToContainTextAsync("8:00");
        await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Ville Weekly" })).ToContainTextAsync("4:00");
        await page.ShouldPassAxeAsync();

        // "Accept everyone's" accepts the week's open rows of every person (PUT /worktimes), and no row of another week.
        await page.GetByRole(AriaRole.Button, new() { Name = "Accept everyone's Week 19, 04/05/2026 – 10/05/2026" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Accepted 2 rows.");
        (await StatusesAsync(first, "2026-05-04_2026-05-10")).ShouldBe(["accepted"]);
        (await StatusesAsync(second, "2026-05-04_2026-05-10")).ShouldBe(["accepted"]);
        (await StatusesAsync(first, "2026-05-11_2026-05-17")).ShouldBe(["open"]);
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Accept everyone's Week 19, 04/05/2026 – 10/05/2026" })).ToHaveCountAsync(0);

        // The next week still has Wilma's open row to accept.
        await page.GetByRole(AriaRole.Link, new() { Name = "Next week" }).ClickAsync();
        await Assertions.Expect(page.Locator("caption")).ToContainTextAsync("Week 20, 11/05/2026 – 17/05/2026");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Accept Wilma Weekly, Week 20, 11/05/2026 – 17/05/2026" })).ToBeVisibleAsync();
        await page.ShouldPassAxeAsync();
        await page.Context.CloseAsync();
    }

    private async Task<List<string?>> StatusesAsync(long user, string dates)
    {
        var (status, body) = await web.ApiAsync(HttpMethod.Get, $"/worktimes?user={user}&date={dates}");
        status.ShouldBe(200, body.ToString());
        return body.GetProperty("worktimes").EnumerateArray().Select(r => r.GetProperty("status").GetString()).ToList();
    }

    /// <summary>The page as the docs show it: into docs/img/ only with WORKTIME_WRITE_SCREENSHOTS=1, else TestResults/.</summary>
    private static async Task ScreenshotAsync(IPage page, string fileName)
    {
        var path = Screenshots.PathFor(fileName);
        File.Delete(path);
        await page.ScreenshotAsync(new() { Path = path, FullPage = true });
        new FileInfo(path).Length.ShouldBeGreaterThan(5_000, fileName);
    }

    private async Task<long> RequestAsync(string token, long type, string start, string end, string description)
    {
        var (status, body) = await web.ApiAsync(HttpMethod.Post, "/abcenses",
            new { abcense = new { abcensetype = type, startdate = start, enddate = end, description } }, token);
        status.ShouldBe(201, body.ToString());
        return body.GetProperty("abcense").GetProperty("id").GetInt64();
    }

    private async Task<JsonElement> AbsenceAsync(long id)
    {
        var (status, body) = await web.ApiAsync(HttpMethod.Get, $"/abcenses/{id}");
        status.ShouldBe(200, body.ToString());
        return body.GetProperty("abcense");
    }

    private async Task<List<JsonElement>> LocksAsync()
    {
        var (_, body) = await web.ApiAsync(HttpMethod.Get, "/periodlocks");
        return body.GetProperty("periodlocks").EnumerateArray().ToList();
    }

    /// <summary>Posts a page's form as the browser's session would (the page's antiforgery token), not through its controls.</summary>
    private static async Task<string> PostAsync(IPage page, string path, Dictionary<string, string> fields) =>
        await page.EvaluateAsync<string>(
            """
            async ([path, fields]) => {
              const body = new URLSearchParams(fields);
              body.set('__RequestVerificationToken', document.querySelector('input[name=__RequestVerificationToken]').value);
              const answer = await fetch(path, { method: 'POST', body });
              return answer.status + ' ' + await answer.text();
            }
            """, new object[] { path, fields });
}
