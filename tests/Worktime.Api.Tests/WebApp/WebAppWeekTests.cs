using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.WebApp;

/// <summary>
/// The week page (<c>/app/week</c>) as a worker uses it, on one server and browser for the class: rows added with the
/// keyboard, a validation error tied to its field with nothing saved, edit, copy a day and a week, delete, the timer
/// across a reload and another device; the day's and week's numbers are the balance API's, with a public holiday and
/// a company day off named; rows the worker may not change show no controls, and posting the page's forms directly
/// changes nothing either.
/// </summary>
// Backend: the issue asks every flow on SQLite and on two nodes on PostgreSQL; in the PostgreSQL pass WebAppServer is two
// nodes on one database behind a round-robin proxy (no sticky sessions), so each page and post may land on either node.
[VariesWith(Vary.Backend)]
public sealed partial class WebAppWeekTests(WebAppServer web) : IClassFixture<WebAppServer>
{
    private const string Password = "pw-correct-horse-web";

    [Fact]
    public async Task A_worker_adds_edits_copies_and_deletes_rows_and_an_error_is_tied_to_its_field()
    {
        var worker = await web.CreateUserAsync("week.worker", 1, firstname: "Wendy", lastname: "Worker");
        (await web.ApiAsync(HttpMethod.Post, "/projects", new { project = new { name = "Harbour" } })).Status.ShouldBe(201);
        var page = await web.NewPageAsync();
        await web.LogInAsync(page, "week.worker", Password, "/app/week?date=2026-03-04");
        await page.ShouldHaveLanguageTitleAndFocusedHeadingAsync("en");
        (await page.TitleAsync()).ShouldBe("Week – Worktime");
        await page.ShouldPassAxeAsync();
        (await page.GetByLabel("Date", new() { Exact = true }).InputValueAsync()).ShouldBe("2026-03-04");

        // A pause longer than the shift: the API's validation, shown on the Pause field, focused; nothing is saved.
        await page.GetByLabel("Date", new() { Exact = true }).FillAsync("2026-03-02");
        await page.GetByLabel("Project", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Harbour" });
        await page.GetByLabel("Start", new() { Exact = true }).FillAsync("08:00");
        await page.GetByLabel("End", new() { Exact = true }).FillAsync("09:00");
        await page.GetByLabel("Pause (min)").FillAsync("90");
        await page.GetByLabel("Description").FillAsync("Quay repairs");
        await page.GetByLabel("Description").PressAsync("Enter");
        var pause = page.GetByLabel("Pause (min)");
        await Assertions.Expect(pause).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(pause).ToBeFocusedAsync();
        var describedBy = await pause.GetAttributeAsync("aria-describedby");
        await Assertions.Expect(page.Locator("#" + describedBy)).ToHaveTextAsync("is longer than the time between start and end");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Nothing was saved: check the marked fields.");
        (await page.GetByLabel("End", new() { Exact = true }).GetAttributeAsync("aria-invalid")).ShouldBeNull();
        (await page.GetByLabel("Description").InputValueAsync()).ShouldBe("Quay repairs", "the form keeps what was typed");
        (await RowsAsync(worker, "2026-03-01_2026-03-31")).Count.ShouldBe(0);
        await page.ShouldPassAxeAsync();

        await page.GetByLabel("End", new() { Exact = true }).FillAsync("16:30");
        await page.GetByLabel("Pause (min)").FillAsync("30");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add", Exact = true }).ClickAsync();
        var monday = Day(page, "Mon 02/03/2026");
        await Assertions.Expect(monday.GetByRole(AriaRole.Row).Filter(new() { HasText = "Quay repairs" })).ToContainTextAsync("8:00");
        await Assertions.Expect(monday.Locator(".daysum")).ToContainTextAsync("Worked 8:00");
        var rows = await RowsAsync(worker, "2026-03-01_2026-03-31");
        rows.Count.ShouldBe(1);
        rows[0].GetProperty("work_hours").GetString().ShouldBe("8:00");
        rows[0].GetProperty("project").ValueKind.ShouldBe(JsonValueKind.Number);

        // Edit: the same form, filled in; Save changes the row through the API's update.
        await page.GetByRole(AriaRole.Link, new() { Name = "Edit 02/03/2026 08:00", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Edit the row" })).ToBeVisibleAsync();
        (await page.GetByLabel("Start", new() { Exact = true }).InputValueAsync()).ShouldBe("08:00");
        await page.GetByLabel("Description").FillAsync("Quay repairs, day 1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Cell, new() { Name = "Quay repairs, day 1" })).ToBeVisibleAsync();
        (await RowsAsync(worker, "2026-03-01_2026-03-31")).Single().GetProperty("description").GetString().ShouldBe("Quay repairs, day 1");

        // Copy Monday to Tuesday, then the whole week to the next; delete the Tuesday copy.
        await page.GetByRole(AriaRole.Button, new() { Name = "Copy previous day → Tue 03/03/2026" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Cell, new() { Name = "Quay repairs, day 1" })).ToHaveCountAsync(2);
        await page.GetByRole(AriaRole.Link, new() { Name = "Next week" }).ClickAsync();
        await Assertions.Expect(page.Locator(".weeknav .range")).ToHaveTextAsync("09/03/2026 – 15/03/2026");
        await page.GetByRole(AriaRole.Button, new() { Name = "Copy previous week" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Cell, new() { Name = "Quay repairs, day 1" })).ToHaveCountAsync(2);
        (await RowsAsync(worker, "2026-03-09_2026-03-15")).Select(r => r.GetProperty("date").GetString()).ShouldBe(["2026-03-09", "2026-03-10"]);
        await page.GetByRole(AriaRole.Link, new() { Name = "Previous week" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete 03/03/2026 08:00" }).ClickAsync();
        // Deleting asks first; "Cancel" keeps the row, the question's own button deletes it.
        var question = page.GetByRole(AriaRole.Group, new() { Name = "Delete the row of 03/03/2026 08:00?" });
        await Assertions.Expect(question).ToBeFocusedAsync();
        await page.ShouldPassAxeAsync();
        await question.GetByRole(AriaRole.Link, new() { Name = "Cancel" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Cell, new() { Name = "Quay repairs, day 1" })).ToHaveCountAsync(2);
        (await RowsAsync(worker, "2026-03-01_2026-03-08")).Count.ShouldBe(2);
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete 03/03/2026 08:00" }).ClickAsync();
        await page.GetByRole(AriaRole.Group, new() { Name = "Delete the row of 03/03/2026 08:00?" }).GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Cell, new() { Name = "Quay repairs, day 1" })).ToHaveCountAsync(1);
        (await RowsAsync(worker, "2026-03-01_2026-03-08")).Count.ShouldBe(1);

        // The week's totals are the sums of its days.
        var totals = page.GetByRole(AriaRole.Region, new() { Name = "Week totals" });
        await Assertions.Expect(totals).ToContainTextAsync("Worked8:00");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_timer_survives_a_reload_and_is_stopped_from_another_device()
    {
        var worker = await web.CreateUserAsync("timer.worker", 1);
        var phone = await web.NewPageAsync(phone: true);
        await web.LogInAsync(phone, "timer.worker", Password, "/app/week");
        await phone.ShouldFitAPhoneAsync();
        await phone.GetByRole(AriaRole.Button, new() { Name = "Start timer" }).ClickAsync();
        await Assertions.Expect(phone.GetByRole(AriaRole.Button, new() { Name = "Stop timer" })).ToBeVisibleAsync();
        await phone.ReloadAsync();
        await Assertions.Expect(phone.GetByRole(AriaRole.Button, new() { Name = "Stop timer" })).ToBeVisibleAsync();
        await Assertions.Expect(phone.Locator("#timer-status")).ToContainTextAsync("Running since");
        await phone.ShouldPassAxeAsync();
        await phone.ShouldFitAPhoneAsync();
        var running = (await RowsAsync(worker, "CURRENT")).Single();
        running.GetProperty("starttime").GetString().ShouldNotBeNull();
        running.GetProperty("endtime").ValueKind.ShouldBe(JsonValueKind.Null);

        // Another device, in Finnish: the same timer runs there; a stale "Start" from the phone starts no second one.
        var desktop = await web.NewPageAsync(locale: "fi-FI");
        await web.LogInInFinnishAsync(desktop, "timer.worker", Password, "/app/week");
        await desktop.ShouldHaveLanguageTitleAndFocusedHeadingAsync("fi");
        await desktop.GetByRole(AriaRole.Button, new() { Name = "Pysäytä ajastin" }).ClickAsync();
        await Assertions.Expect(desktop.GetByRole(AriaRole.Button, new() { Name = "Käynnistä ajastin" })).ToBeVisibleAsync();
        await desktop.ShouldPassAxeAsync();

        var stopped = (await RowsAsync(worker, "CURRENT")).Single();
        stopped.GetProperty("id").GetInt64().ShouldBe(running.GetProperty("id").GetInt64());
        stopped.GetProperty("endtime").GetString().ShouldNotBeNull();
        await phone.Context.CloseAsync();
        await desktop.Context.CloseAsync();
    }

    [Fact]
    public async Task Days_show_the_balance_apis_numbers_with_holidays_and_days_off_by_name_in_finnish()
    {
        // A Finnish calendar: Easter Monday 2026-04-06 is a public holiday; Friday 2026-04-10 a company day off.
        var (status, group) = await web.ApiAsync(HttpMethod.Post, "/worktimegroups", new { worktimegroup = new { name = "Office", country = "fi" } });
        status.ShouldBe(201, group.ToString());
        var groupId = group.GetProperty("worktimegroup").GetProperty("id").GetInt64();
        (await web.ApiAsync(HttpMethod.Post, "/workdaydays", new { workdayday = new { worktimegroup = groupId, date = "2026-04-10", name = "Yrityksen vapaapäivä", minutes = 0 } }))
            .Status.ShouldBe(201);
        (status, var user) = await web.ApiAsync(HttpMethod.Post, "/users", new
        {
            user = new { username = "calendar.worker", password = Password, userlevel = 1, firstname = "Kalle", lastname = "Kalenteri", worktimegroup = groupId, saldo_start = "2026-01-01" },
        });
        status.ShouldBe(201, user.ToString());
        var worker = user.GetProperty("user").GetProperty("id").GetInt64();
        var token = (await Worktime.Api.Tests.MultiNode.TokenClient.LoginAsync(web.Server, "calendar.worker", Password)).Access;
        foreach (var (date, start, end) in new[] { ("2026-04-07", "08:00", "17:15"), ("2026-04-08", "08:00", "15:00"), ("2026-04-11", "10:00", "12:00") })
        {
            (await web.ApiAsync(HttpMethod.Post, "/worktimes", new { worktime = new { date, starttime = start, endtime = end } }, token)).Status.ShouldBe(201);
        }

        var page = await web.NewPageAsync(locale: "fi-FI");
        await web.LogInInFinnishAsync(page, "calendar.worker", Password, "/app/week?date=2026-04-09");
        await page.ShouldHaveLanguageTitleAndFocusedHeadingAsync("fi");
        await Assertions.Expect(page.Locator("#day-2026-04-06")).ToContainTextAsync("2. pääsiäispäivä");
        await Assertions.Expect(page.Locator("#day-2026-04-10")).ToContainTextAsync("Yrityksen vapaapäivä");
        await Assertions.Expect(page.Locator("#day-2026-04-06")).ToContainTextAsync("ma 6.4.2026");

        var (_, daily) = await web.ApiAsync(HttpMethod.Get, $"/ttapi/saldo/daily?date=2026-04-06_2026-04-12", token: token);
        var days = daily.GetProperty("days").EnumerateArray().ToList();
        days.Count.ShouldBe(7);
        foreach (var day in days)
        {
            var date = day.GetProperty("date").GetString()!;
            var sums = await page.Locator($"section[aria-labelledby='day-{date}'] .daysum").InnerTextAsync();
            Regex.Replace(sums, @"\s+", "").ShouldBe(string.Create(CultureInfo.InvariantCulture,
                $"Tehty{H(day, "worked_minutes")}Tavoite{H(day, "expected_minutes")}Saldo{Signed(day.GetProperty("balance_minutes").GetInt64())}"), date);
        }
        days.Single(d => d.GetProperty("date").GetString() == "2026-04-06").GetProperty("expected_minutes").GetInt64().ShouldBe(0);
        days.Single(d => d.GetProperty("date").GetString() == "2026-04-07").GetProperty("expected_minutes").GetInt64().ShouldBe(450);
        var totals = page.GetByRole(AriaRole.Region, new() { Name = "Viikon yhteensä" });
        await Assertions.Expect(totals).ToContainTextAsync("Tehty18:15");
        await Assertions.Expect(totals).ToContainTextAsync("Tavoite22:30");
        await Assertions.Expect(totals).ToContainTextAsync("Saldo-4:15");
        await page.ShouldPassAxeAsync();

        var phone = await web.NewPageAsync(locale: "fi-FI", phone: true);
        // The same session on a phone (the desktop's cookies as the browser holds them).
        await phone.Context.AddCookiesAsync((await page.Context.CookiesAsync()).Select(c => new Cookie
        {
            Name = c.Name, Value = c.Value, Domain = c.Domain, Path = c.Path, Expires = c.Expires, HttpOnly = c.HttpOnly, Secure = c.Secure,
            SameSite = c.SameSite,
        }));
        await phone.GotoAsync(web.Url + "/app/week?date=2026-04-09");
        await phone.ShouldPassAxeAsync();
        await phone.ShouldFitAPhoneAsync();
        await phone.Context.CloseAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Rows_the_worker_may_not_change_show_no_controls_and_posting_the_forms_directly_changes_nothing()
    {
        var worker = await web.CreateUserAsync("careful.worker", 1);
        var colleague = await web.CreateUserAsync("other.worker", 1);
        var own = await CreateRowAsync("careful.worker", "2026-05-04", "Accepted by the boss");
        var open = await CreateRowAsync("careful.worker", "2026-05-05", "Still open");
        var others = await CreateRowAsync("other.worker", "2026-05-04", "Not yours");
        (await web.ApiAsync(HttpMethod.Put, $"/worktimes/{own}", new { worktime = new { status = "accepted" } })).Status.ShouldBe(200);

        var page = await web.NewPageAsync();
        await web.LogInAsync(page, "careful.worker", Password, "/app/week?date=2026-05-04");
        var accepted = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Accepted by the boss" });
        await Assertions.Expect(accepted).ToContainTextAsync("Accepted");
        await Assertions.Expect(accepted.GetByRole(AriaRole.Link)).ToHaveCountAsync(0);
        await Assertions.Expect(accepted.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Still open" }).GetByRole(AriaRole.Button, new() { Name = "Delete 05/05/2026 08:00" }))
            .ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("Not yours")).ToHaveCountAsync(0);
        // Opening the edit form of such a row by its address shows the add form instead.
        await page.GotoAsync(web.Url + $"/app/week?date=2026-05-04&edit={own}");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Add a row" })).ToBeVisibleAsync();

        // Whatever the page is sent, the API's rules apply: the accepted row and a colleague's row stay as they are.
        foreach (var id in new[] { own, others })
        {
            var edited = await PostAsync(page, "entry", new() { ["Entry.Id"] = id.ToString(CultureInfo.InvariantCulture), ["Entry.Date"] = "2026-05-04", ["Entry.Description"] = "Changed" });
            edited.ShouldContain("role=\"alert\"");
            var deleted = await PostAsync(page, "rows", new() { ["RowPost.Action"] = "delete:" + id.ToString(CultureInfo.InvariantCulture) });
            deleted.ShouldContain("role=\"alert\"");
        }
        // Creating a row for a colleague is refused too.
        var forOther = await PostAsync(page, "entry", new() { ["Entry.Date"] = "2026-05-06", ["Entry.Description"] = "Planted" }, $"&user={colleague}");
        forOther.ShouldContain("role=\"alert\"");
        var (_, mine) = await web.ApiAsync(HttpMethod.Get, $"/worktimes/{own}");
        (mine.GetProperty("worktime").GetProperty("description").GetString(), mine.GetProperty("worktime").GetProperty("row_info").GetProperty("status").GetString())
            .ShouldBe(("Accepted by the boss", "normal"));
        var (_, theirs) = await web.ApiAsync(HttpMethod.Get, $"/worktimes/{others}");
        (theirs.GetProperty("worktime").GetProperty("description").GetString(), theirs.GetProperty("worktime").GetProperty("row_info").GetProperty("status").GetString())
            .ShouldBe(("Not yours", "normal"));
        (await RowsAsync(colleague, "2026-05-01_2026-05-31")).Count.ShouldBe(1);
        (await RowsAsync(worker, "2026-05-01_2026-05-31")).Count.ShouldBe(2);
        open.ShouldBeGreaterThan(0);
        await page.Context.CloseAsync();
    }

    /// <summary>Posts one of the week page's forms as the browser's session would (its antiforgery token), not through its controls.</summary>
    private static async Task<string> PostAsync(IPage page, string handler, Dictionary<string, string> fields, string query = "")
    {
        fields["_handler"] = handler;
        return await page.EvaluateAsync<string>(
            """
            async ([fields, query]) => {
              const body = new URLSearchParams(fields);
              body.set('__RequestVerificationToken', document.querySelector('input[name=__RequestVerificationToken]').value);
              const answer = await fetch('/app/week?date=2026-05-04' + query, { method: 'POST', body });
              return answer.status + ' ' + await answer.text();
            }
            """, new object[] { fields, query });
    }

    private async Task<long> CreateRowAsync(string username, string date, string description)
    {
        var token = (await Worktime.Api.Tests.MultiNode.TokenClient.LoginAsync(web.Server, username, Password)).Access;
        var (status, body) = await web.ApiAsync(HttpMethod.Post, "/worktimes",
            new { worktime = new { date, starttime = "08:00", endtime = "12:00", description } }, token);
        status.ShouldBe(201, body.ToString());
        return body.GetProperty("worktime").GetProperty("id").GetInt64();
    }

    private async Task<List<JsonElement>> RowsAsync(long user, string dates)
    {
        var (_, body) = await web.ApiAsync(HttpMethod.Get, $"/worktimes?user={user}&date={dates}&order=date");
        return body.GetProperty("worktimes").EnumerateArray().ToList();
    }

    private static ILocator Day(IPage page, string heading) =>
        page.Locator("section.day").Filter(new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = heading }) });

    private static string H(JsonElement day, string field) => Minutes(day.GetProperty(field).GetInt64());

    private static string Minutes(long minutes) =>
        string.Create(CultureInfo.InvariantCulture, $"{(minutes < 0 ? "-" : "")}{Math.Abs(minutes) / 60}:{Math.Abs(minutes) % 60:00}");

    private static string Signed(long minutes) => minutes > 0 ? "+" + Minutes(minutes) : Minutes(minutes);
}
