using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using Worktime.Api.Tests.Infrastructure;
using Worktime.Api.Tests.MultiNode;

namespace Worktime.Api.Tests.WebApp;

/// <summary>
/// The absences page (<c>/app/absences</c>) as a worker uses it, on one server and browser for the class: a request
/// with an error tied to its field and nothing saved, then a valid one; an accepted absence shows no cancel control
/// and posting the cancel directly changes nothing; an open one is cancelled; the year's holidays of the worker's
/// calendar by name; in Finnish on a phone.
/// </summary>
// Backend: the issue asks every flow on SQLite and on two nodes on PostgreSQL; in the PostgreSQL pass WebAppServer is two
// nodes on one database behind a round-robin proxy (no sticky sessions), so each page and post may land on either node.
[VariesWith(Vary.Backend)]
public sealed class WebAppAbsencesTests(WebAppServer web) : IClassFixture<WebAppServer>
{
    private const string Password = "pw-correct-horse-web";

    [Fact]
    public async Task A_worker_requests_sees_and_cancels_absences_and_an_error_is_tied_to_its_field()
    {
        var (status, type) = await web.ApiAsync(HttpMethod.Post, "/abcensetypes", new { abcensetype = new { name = "Vacation", type = "days" } });
        status.ShouldBe(201, type.ToString());
        var typeId = type.GetProperty("abcensetype").GetProperty("id").GetInt64();
        (status, var group) = await web.ApiAsync(HttpMethod.Post, "/worktimegroups", new { worktimegroup = new { name = "Finland", country = "fi" } });
        status.ShouldBe(201, group.ToString());
        (status, var user) = await web.ApiAsync(HttpMethod.Post, "/users", new
        {
            user = new { username = "away.worker", password = Password, userlevel = 1, firstname = "Aino", lastname = "Away", worktimegroup = group.GetProperty("worktimegroup").GetProperty("id").GetInt64() },
        });
        status.ShouldBe(201, user.ToString());
        var worker = user.GetProperty("user").GetProperty("id").GetInt64();
        (status, var accepted) = await web.ApiAsync(HttpMethod.Post, "/abcenses", new
        {
            abcense = new { user = worker, abcensetype = typeId, startdate = "2026-02-02", enddate = "2026-02-06", description = "Ski week", status = "accepted" },
        });
        status.ShouldBe(201, accepted.ToString());
        var acceptedId = accepted.GetProperty("abcense").GetProperty("id").GetInt64();

        var page = await web.NewPageAsync();
        await web.LogInAsync(page, "away.worker", Password, "/app/absences?year=2026");
        await page.ShouldHaveLanguageTitleAndFocusedHeadingAsync("en");
        (await page.TitleAsync()).ShouldBe("Absences – Worktime");
        await Assertions.Expect(page.GetByRole(AriaRole.Region, new() { Name = "Holidays and days off" })).ToContainTextAsync("Loppiainen");
        var skiWeek = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Ski week" });
        await Assertions.Expect(skiWeek).ToContainTextAsync("Accepted");
        await Assertions.Expect(skiWeek.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
        await page.ShouldPassAxeAsync();

        // The end before the start: the API's validation on "End date", focused; nothing is saved.
        await page.GetByLabel("Type", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Vacation" });
        await page.GetByLabel("Start date").FillAsync("2026-07-10");
        await page.GetByLabel("End date").FillAsync("2026-07-06");
        await page.GetByLabel("Description").FillAsync("Summer");
        await page.GetByLabel("Description").PressAsync("Enter");
        var end = page.GetByLabel("End date");
        await Assertions.Expect(end).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(end).ToBeFocusedAsync();
        await Assertions.Expect(page.Locator("#" + await end.GetAttributeAsync("aria-describedby"))).ToHaveTextAsync("is before the start date");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Nothing was saved: check the marked fields.");
        (await AbsencesAsync(worker)).Count.ShouldBe(1);
        await page.ShouldPassAxeAsync();

        await page.GetByLabel("End date").FillAsync("2026-07-24");
        await page.GetByRole(AriaRole.Button, new() { Name = "Request", Exact = true }).ClickAsync();
        var summer = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Summer" });
        await Assertions.Expect(summer).ToContainTextAsync("Open");
        await Assertions.Expect(summer).ToContainTextAsync("Vacation");
        await Assertions.Expect(summer).ToContainTextAsync("24/07/2026");
        var rows = await AbsencesAsync(worker);
        rows.Count.ShouldBe(2);
        var requested = rows.Single(r => r.GetProperty("description").GetString() == "Summer");
        (requested.GetProperty("startdate").GetString(), requested.GetProperty("enddate").GetString(), requested.GetProperty("abcensetype").GetInt64())
            .ShouldBe(("2026-07-10", "2026-07-24", typeId));

        // Whatever the page is sent, the API decides: the accepted absence cannot be cancelled by its worker.
        var refused = await page.EvaluateAsync<string>(
            """
            async (id) => {
              const body = new URLSearchParams({ _handler: 'absences', 'Cancel.Id': id, 'Cancel.Confirmed': 'true' });
              body.set('__RequestVerificationToken', document.querySelector('input[name=__RequestVerificationToken]').value);
              const answer = await fetch('/app/absences?year=2026', { method: 'POST', body });
              return answer.status + ' ' + await answer.text();
            }
            """, acceptedId.ToString(CultureInfo.InvariantCulture));
        refused.ShouldContain("role=\"alert\"");
        (await AbsencesAsync(worker)).Count.ShouldBe(2);

        await summer.GetByRole(AriaRole.Button, new() { Name = "Cancel absence 10/07/2026" }).ClickAsync();
        var question = page.GetByRole(AriaRole.Group, new() { Name = "Cancel the absence of 10/07/2026?" });
        await Assertions.Expect(question).ToBeFocusedAsync();
        (await AbsencesAsync(worker)).Count.ShouldBe(2);
        await question.GetByRole(AriaRole.Button, new() { Name = "Cancel absence", Exact = true }).ClickAsync();
        // The question stands in for the table, so wait for the table to come back (the answer of the confirmed post).
        await Assertions.Expect(question).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Ski week" })).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Summer" })).ToHaveCountAsync(0);
        (await AbsencesAsync(worker)).Select(r => r.GetProperty("id").GetInt64()).ShouldBe([acceptedId]);
        await page.Context.CloseAsync();

        var phone = await web.NewPageAsync(locale: "fi-FI", phone: true);
        await web.LogInInFinnishAsync(phone, "away.worker", Password, "/app/absences?year=2026");
        await phone.ShouldHaveLanguageTitleAndFocusedHeadingAsync("fi");
        await Assertions.Expect(phone.GetByRole(AriaRole.Heading, new() { Name = "Poissaolot", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(phone.GetByRole(AriaRole.Row).Filter(new() { HasText = "Ski week" })).ToContainTextAsync("Hyväksytty");
        await Assertions.Expect(phone.GetByRole(AriaRole.Region, new() { Name = "Pyhät ja vapaapäivät" })).ToContainTextAsync("6.1.2026");
        await phone.ShouldPassAxeAsync();
        await phone.ShouldFitAPhoneAsync();
        await phone.Context.CloseAsync();
    }

    private async Task<List<JsonElement>> AbsencesAsync(long user)
    {
        var (_, body) = await web.ApiAsync(HttpMethod.Get, $"/abcenses?user={user}&startdate=2026-01-01_2026-12-31&order=startdate");
        return body.GetProperty("abcenses").EnumerateArray().ToList();
    }

    [Fact]
    public async Task A_worker_creates_a_calendar_link_shown_once_that_a_calendar_app_reads_without_a_login()
    {
        await web.CreateUserAsync("feed.worker", 1);
        var page = await web.NewPageAsync();
        await web.LogInAsync(page, "feed.worker", Password, "/app/absences?year=2026");
        (await page.Locator("#feed-url").CountAsync()).ShouldBe(0, "no link before one is made");

        await page.GetByRole(AriaRole.Button, new() { Name = "Create calendar link" }).ClickAsync();
        var link = page.GetByLabel("Your calendar link (shown only now: copy it into your calendar app)");
        await link.WaitForAsync();
        var url = await link.InputValueAsync();
        url.ShouldStartWith(web.Url + "/ics/");
        await page.ShouldPassAxeAsync();

        // The link is the API's feed: its owner's, readable by a calendar app with no session or token.
        using var calendar = new HttpClient();
        using var feed = await calendar.GetAsync(url);
        feed.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
        feed.Content.Headers.ContentType!.MediaType.ShouldBe("text/calendar");
        (await feed.Content.ReadAsStringAsync()).ShouldStartWith("BEGIN:VCALENDAR");
        var token = (await TokenClient.LoginAsync(web.Server, "feed.worker", Password)).Access;
        var (status, listed) = await web.ApiAsync(HttpMethod.Get, "/calendarfeeds", token: token);
        status.ShouldBe(200, listed.ToString());
        listed.GetProperty("count").GetInt32().ShouldBe(1);
        listed.GetProperty("calendarfeeds")[0].GetProperty("kind").GetString().ShouldBe("own");

        await page.GotoAsync(web.Url + "/app/absences?year=2026");
        (await page.Locator("#feed-url").CountAsync()).ShouldBe(0, "the link is shown only in the answer that made it");
        await page.Context.CloseAsync();
    }
}
