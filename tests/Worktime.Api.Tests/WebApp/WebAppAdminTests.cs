using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using Worktime.Api.Tests.Infrastructure;
using Worktime.Api.Tests.MultiNode;
using Worktime.Api.Tests.TwoFactor;

namespace Worktime.Api.Tests.WebApp;

/// <summary>
/// The admin pages (<c>/app/admin/…</c>, level 5) as the office uses them, on one server and browser for the class:
/// a worktime group and a person created, edited (level, group, status, password) and their second factors reset;
/// every other form's page adds, edits and removes rows, each write checked through the API; a field the API refuses
/// is marked and nothing is saved; a level-4 person has no admin link, gets the forbidden page, and a form posted to an
/// admin page anyway changes nothing; in Finnish on a phone. The pages call the forms engine whatever the backend
/// (the engine's own tests run on both), so the class runs once.
/// </summary>
[VariesWith(Vary.Nothing)]
public sealed class WebAppAdminTests(WebAppServer web) : IClassFixture<WebAppServer>
{
    private const string Password = "pw-correct-horse-web";

    [Fact]
    public async Task An_admin_creates_a_group_and_a_person_edits_them_and_resets_their_second_factors()
    {
        var page = await web.NewPageAsync();
        await web.LogInAsync(page, "admin", web.AdminPassword, "/app/week");
        await page.GetByRole(AriaRole.Link, new() { Name = "Admin", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Administration", Level = 1 })).ToBeVisibleAsync();
        await page.ShouldHaveLanguageTitleAndFocusedHeadingAsync("en");
        await page.ShouldPassAxeAsync();

        // A worktime group: name, daily minutes and country (POST /worktimegroups).
        await page.GetByRole(AriaRole.Link, new() { Name = "Worktime groups" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Worktime groups", Level = 1 })).ToBeVisibleAsync();
        (await page.TitleAsync()).ShouldBe("Worktime groups – Worktime");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Harbour office");
        await page.GetByLabel("Daily minutes").FillAsync("450");
        await page.GetByLabel("Country (ISO code)").FillAsync("FI");
        await page.GetByLabel("Saturday (min)").FillAsync("240");
        await AddAsync(page);
        var group = (await RowsAsync("/worktimegroups")).Single(g => g.GetProperty("name").GetString() == "Harbour office");
        (group.GetProperty("daily_minutes").GetInt64(), group.GetProperty("country").GetString(), group.GetProperty("minutes_sat").GetInt64())
            .ShouldBe((450, "fi", 240)); // the API keeps country codes in lower case
        await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Harbour office" })).ToContainTextAsync("7:30");

        // A person with a level, the group and a password; the password works for a sign-in.
        await page.GotoAsync(web.Url + "/app/admin/users");
        (await page.TitleAsync()).ShouldBe("Users – Worktime");
        await page.GetByLabel("First name").FillAsync("Ulla");
        await page.GetByLabel("Last name").FillAsync("Uusi");
        await page.GetByLabel("Username").FillAsync("ulla.uusi");
        await page.GetByLabel("User level").FillAsync("2");
        await page.GetByLabel("Worktime group").SelectOptionAsync(new SelectOptionValue { Label = "Harbour office" });
        await page.GetByLabel("New password").FillAsync(Password);
        await AddAsync(page);
        var user = await UserAsync("ulla.uusi");
        (user.GetProperty("userlevel").GetInt64(), user.GetProperty("worktimegroup").GetInt64(), user.GetProperty("status").GetString())
            .ShouldBe((2, group.GetProperty("id").GetInt64(), "active"));
        var userId = user.GetProperty("id").GetInt64();
        (await TokenClient.PasswordAsync(web.Server, "ulla.uusi", Password)).IsSuccessStatusCode.ShouldBeTrue();

        // Without a username the API's 400 is on that field, and no user is added.
        var before = (await RowsAsync("/users")).Count;
        await page.GetByLabel("First name").FillAsync("Nameless");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add", Exact = true }).ClickAsync();
        var username = page.GetByLabel("Username");
        await Assertions.Expect(username).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(page.Locator("#" + await username.GetAttributeAsync("aria-describedby"))).ToHaveTextAsync("The username must not be empty or only spaces.");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Nothing was saved: check the marked fields.");
        await Assertions.Expect(page.GetByLabel("First name")).ToHaveValueAsync("Nameless");
        await page.ShouldPassAxeAsync();
        (await RowsAsync("/users")).Count.ShouldBe(before);

        // Edit: level 4, a new password; then deactivate (status inactive): the person can no longer sign in.
        await page.GotoAsync(web.Url + "/app/admin/users");
        await EditAsync(page, "Edit Ulla Uusi");
        await Assertions.Expect(page.GetByLabel("Username")).ToHaveValueAsync("ulla.uusi");
        await page.GetByLabel("User level").FillAsync("4");
        await page.GetByLabel("New password").FillAsync(Password + "-2");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Saved.");
        (await UserAsync("ulla.uusi")).GetProperty("userlevel").GetInt64().ShouldBe(4);
        (await TokenClient.PasswordAsync(web.Server, "ulla.uusi", Password)).IsSuccessStatusCode.ShouldBeFalse();

        // Her second factor (set up through the API) is reset from her row; the next sign-in asks for the password only.
        var token = (await TokenClient.LoginAsync(web.Server, "ulla.uusi", Password + "-2")).Access;
        var (status, setup) = await web.ApiAsync(HttpMethod.Post, "/me/factors/totp", token: token);
        status.ShouldBe(201, setup.ToString());
        var code = await TotpTools.PyotpAsync(setup.GetProperty("secret").GetString()!, DateTimeOffset.UtcNow);
        (status, var confirmed) = await web.ApiAsync(HttpMethod.Post, "/me/factors/totp/confirm", new { code }, token);
        status.ShouldBe(200, confirmed.ToString());
        (await TokenClient.PasswordAsync(web.Server, "ulla.uusi", Password + "-2")).IsSuccessStatusCode.ShouldBeFalse();
        await page.GetByRole(AriaRole.Button, new() { Name = "Reset second factors of Ulla Uusi" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status))
            .ToHaveTextAsync("The second factors were reset: the next sign-in asks for the password only.");
        (await TokenClient.PasswordAsync(web.Server, "ulla.uusi", Password + "-2")).IsSuccessStatusCode.ShouldBeTrue();
        await page.GetByRole(AriaRole.Button, new() { Name = "Reset second factors of Ulla Uusi" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("That person had no second factor to reset.");

        await EditAsync(page, "Edit Ulla Uusi");
        await page.GetByLabel("Status").SelectOptionAsync(new SelectOptionValue { Label = "Inactive" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Saved.");
        (await UserAsync("ulla.uusi")).GetProperty("status").GetString().ShouldBe("inactive");
        (await TokenClient.PasswordAsync(web.Server, "ulla.uusi", Password + "-2")).IsSuccessStatusCode.ShouldBeFalse();
        await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "ulla.uusi" })).ToContainTextAsync("Inactive");
        await page.ShouldPassAxeAsync();
        await ScreenshotAsync(page, "webapp-admin-users.png");
        await page.Context.CloseAsync();

        // In Finnish on a phone.
        var phone = await web.NewPageAsync(locale: "fi-FI", phone: true);
        await web.LogInInFinnishAsync(phone, "admin", web.AdminPassword, "/app/admin/users");
        await phone.ShouldHaveLanguageTitleAndFocusedHeadingAsync("fi");
        await Assertions.Expect(phone.GetByRole(AriaRole.Heading, new() { Name = "Käyttäjät", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(phone.GetByRole(AriaRole.Row).Filter(new() { HasText = "ulla.uusi" })).ToContainTextAsync("Ei käytössä");
        await phone.ShouldPassAxeAsync();
        await phone.ShouldFitAPhoneAsync();
        await phone.GotoAsync(web.Url + "/app/admin/worktimegroups");
        await Assertions.Expect(phone.GetByRole(AriaRole.Heading, new() { Name = "Työaikaryhmät", Level = 1 })).ToBeVisibleAsync();
        await phone.ShouldPassAxeAsync();
        await phone.ShouldFitAPhoneAsync();
        await phone.Context.CloseAsync();
        userId.ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task Every_other_admin_page_adds_edits_and_removes_through_the_api()
    {
        var worker = await web.CreateUserAsync("listed.worker", 1, firstname: "Lasse", lastname: "Listed");
        var (status, body) = await web.ApiAsync(HttpMethod.Post, "/worktimegroups", new { worktimegroup = new { name = "Yard", daily_minutes = 480 } });
        status.ShouldBe(201, body.ToString());
        var page = await web.NewPageAsync();
        await web.LogInAsync(page, "admin", web.AdminPassword, "/app/admin/customers");

        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Harbour Oy");
        await page.GetByLabel("Business ID").FillAsync("1234567-8");
        await AddAsync(page);
        await page.GotoAsync(web.Url + "/app/admin/projects");
        await page.GetByLabel("Number").FillAsync("P-9");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Quay crane");
        await page.GetByLabel("Customer").SelectOptionAsync(new SelectOptionValue { Label = "Harbour Oy" });
        await AddAsync(page);
        await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Quay crane" })).ToContainTextAsync("Harbour Oy");
        await EditAsync(page, "Edit P-9, Quay crane");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Quay crane 2");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Saved.");
        var project = (await RowsAsync("/projects")).Single();
        project.GetProperty("name").GetString().ShouldBe("Quay crane 2");
        project.GetProperty("customer").GetInt64().ShouldBe((await RowsAsync("/customers")).Single().GetProperty("id").GetInt64());
        await page.ShouldPassAxeAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Remove P-9, Quay crane 2" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Removed.");
        (await RowsAsync("/projects")).ShouldBeEmpty();

        await page.GotoAsync(web.Url + "/app/admin/tasks");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Welding");
        await AddAsync(page);
        await page.GotoAsync(web.Url + "/app/admin/subtasks");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Seams");
        await page.GetByLabel("Task").SelectOptionAsync(new SelectOptionValue { Label = "Welding" });
        await AddAsync(page);
        (await RowsAsync("/subtasks")).Single().GetProperty("task").GetInt64().ShouldBe((await RowsAsync("/tasks")).Single().GetProperty("id").GetInt64());
        await page.GotoAsync(web.Url + "/app/admin/worktypes");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Night shift");
        await AddAsync(page);
        (await RowsAsync("/worktypes")).Select(w => w.GetProperty("name").GetString()).ShouldContain("Night shift");

        // An absence type that needs approval; "Paid" starts ticked (the form's default).
        await page.GotoAsync(web.Url + "/app/admin/abcensetypes");
        await Assertions.Expect(page.GetByLabel("Paid")).ToBeCheckedAsync();
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Study leave");
        await page.GetByLabel("Recorded in").SelectOptionAsync(new SelectOptionValue { Label = "Hours" });
        await page.GetByLabel("Paid").UncheckAsync();
        await page.GetByLabel("Requires approval").CheckAsync();
        await AddAsync(page);
        var type = (await RowsAsync("/abcensetypes")).Single(t => t.GetProperty("name").GetString() == "Study leave");
        (type.GetProperty("type").GetString(), type.GetProperty("paid").GetBoolean(), type.GetProperty("requires_approval").GetBoolean())
            .ShouldBe(("hours", false, true));
        await page.ShouldPassAxeAsync();

        // Company day off, employment and balance correction: references to a group and a person.
        await page.GotoAsync(web.Url + "/app/admin/workdaydays");
        await page.GetByLabel("Worktime group").SelectOptionAsync(new SelectOptionValue { Label = "Yard" });
        await page.GetByLabel("Date").FillAsync("2026-12-24");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Christmas Eve");
        await page.GetByLabel("Minutes", new() { Exact = true }).FillAsync("0");
        await AddAsync(page);
        await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Christmas Eve" })).ToContainTextAsync("24/12/2026");
        var day = (await RowsAsync("/workdaydays?date=2026-12-24")).Single();
        (day.GetProperty("name").GetString(), day.GetProperty("minutes").GetInt64()).ShouldBe(("Christmas Eve", 0));

        await page.GotoAsync(web.Url + "/app/admin/employments");
        await page.GetByLabel("Person").SelectOptionAsync(new SelectOptionValue { Label = "Lasse Listed" });
        await page.GetByLabel("Worktime group").SelectOptionAsync(new SelectOptionValue { Label = "Yard" });
        await page.GetByLabel("Valid from").FillAsync("2026-01-01");
        await page.GetByLabel("Percent").FillAsync("80");
        await AddAsync(page);
        var employment = (await RowsAsync($"/employments?user={worker}")).Single();
        (employment.GetProperty("valid_from").GetString(), employment.GetProperty("percent").GetDouble()).ShouldBe(("2026-01-01", 80));

        await page.GotoAsync(web.Url + "/app/admin/saldocorrections");
        await page.GetByLabel("Person").SelectOptionAsync(new SelectOptionValue { Label = "Lasse Listed" });
        await page.GetByLabel("Date").FillAsync("2026-02-01");
        await page.GetByLabel("Minutes", new() { Exact = true }).FillAsync("-90");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add", Exact = true }).ClickAsync();
        // A correction needs a description (the API's rule): marked, nothing saved; then given.
        var description = page.GetByLabel("Description");
        await Assertions.Expect(description).ToHaveAttributeAsync("aria-invalid", "true");
        (await RowsAsync($"/saldocorrections?user={worker}")).ShouldBeEmpty();
        await description.FillAsync("Left early in January");
        await AddAsync(page);
        var correction = (await RowsAsync($"/saldocorrections?user={worker}")).Single();
        (correction.GetProperty("minutes").GetInt64(), correction.GetProperty("description").GetString()).ShouldBe((-90, "Left early in January"));
        await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Left early in January" })).ToContainTextAsync("Lasse Listed");
        await page.ShouldPassAxeAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_level_4_person_has_no_admin_pages_and_a_form_posted_to_one_changes_nothing()
    {
        await web.CreateUserAsync("office.manager", 4, firstname: "Olli", lastname: "Office");
        var (status, body) = await web.ApiAsync(HttpMethod.Post, "/worktypes", new { worktype = new { name = "Kept worktype" } });
        status.ShouldBe(201, body.ToString());
        var kept = body.GetProperty("worktype").GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture);

        var page = await web.NewPageAsync();
        await web.LogInAsync(page, "office.manager", Password, "/app/week");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Team", Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Admin", Exact = true })).ToHaveCountAsync(0);
        await page.GotoAsync(web.Url + "/app/admin/worktypes");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not allowed", Level = 1 })).ToBeVisibleAsync();
        await page.GotoAsync(web.Url + "/app/admin");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not allowed", Level = 1 })).ToBeVisibleAsync();

        // The admin page's forms posted with the person's own session and antiforgery token: forbidden, nothing changes.
        await page.GotoAsync(web.Url + "/app/week");
        var created = await PostAsync(page, "/app/admin/worktypes", new() { ["_handler"] = "edit", ["Id"] = "", ["f.name"] = "Sneaky worktype" });
        created.ShouldStartWith("403 ");
        created.ShouldNotContain("Saved.");
        var edited = await PostAsync(page, "/app/admin/worktypes?edit=" + kept, new() { ["_handler"] = "edit", ["Id"] = kept, ["f.name"] = "Renamed" });
        edited.ShouldStartWith("403 ");
        var removed = await PostAsync(page, "/app/admin/worktypes", new() { ["_handler"] = "rows", ["Action"] = "remove:" + kept });
        removed.ShouldStartWith("403 ");
        var promoted = await PostAsync(page, "/app/admin/users", new()
        {
            ["_handler"] = "edit", ["Id"] = "", ["f.username"] = "made.by.manager", ["f.userlevel"] = "5", ["f.password"] = Password,
        });
        promoted.ShouldStartWith("403 ");
        (await RowsAsync("/worktypes")).Select(w => w.GetProperty("name").GetString()).ShouldBe(["Kept worktype"], ignoreOrder: true);
        (await RowsAsync("/users")).Select(u => u.GetProperty("username").GetString()).ShouldNotContain("made.by.manager");
        await page.Context.CloseAsync();
    }

    /// <summary>Opens a row's editor and waits for it (the link navigates; typing before the page is there would be lost).</summary>
    private static async Task EditAsync(IPage page, string link)
    {
        await page.GetByRole(AriaRole.Link, new() { Name = link }).ClickAsync();
        await page.WaitForURLAsync(u => u.Contains("?edit=", StringComparison.Ordinal));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Edit", Exact = true, Level = 2 })).ToBeVisibleAsync();
    }

    /// <summary>Presses "Add" and waits for the saved notice.</summary>
    private static async Task AddAsync(IPage page)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Add", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Saved.");
    }

    private async Task<List<JsonElement>> RowsAsync(string path)
    {
        var (status, body) = await web.ApiAsync(HttpMethod.Get, path);
        status.ShouldBe(200, body.ToString());
        return body.EnumerateObject().First(p => p.Value.ValueKind == JsonValueKind.Array).Value.EnumerateArray().ToList();
    }

    private async Task<JsonElement> UserAsync(string username) =>
        (await RowsAsync("/users?username=" + username)).Single();

    /// <summary>The page as the docs show it: into docs/img/ only with WORKTIME_WRITE_SCREENSHOTS=1, else TestResults/.</summary>
    private static async Task ScreenshotAsync(IPage page, string fileName)
    {
        var path = Screenshots.PathFor(fileName);
        File.Delete(path);
        await page.ScreenshotAsync(new() { Path = path, FullPage = true });
        new FileInfo(path).Length.ShouldBeGreaterThan(5_000, fileName);
    }

    /// <summary>Posts a form as the browser's session would (the current page's antiforgery token), not through a page's controls.</summary>
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
