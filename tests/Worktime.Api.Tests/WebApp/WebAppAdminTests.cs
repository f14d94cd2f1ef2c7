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
/// admin page anyway changes nothing; in Finnish on a phone; one's own password on the profile page; the keyboard alone;
/// a list of more than a page.
/// </summary>
// Backend: the issue asks every flow on SQLite and on two nodes on PostgreSQL; in the PostgreSQL pass WebAppServer is two
// nodes on one database behind a round-robin proxy (no sticky sessions), so each page and post may land on either node.
[VariesWith(Vary.Backend)]
public sealed class WebAppAdminTests(WebAppServer web) : IClassFixture<WebAppServer>
{
    private const string Password = "pw-correct-horse-web";

    [Fact]
    public async Task An_admin_creates_a_group_and_a_person_edits_them_and_resets_their_second_factors()
    {
        var page = await web.NewAdminPageAsync("/app/week");
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
        var page = await web.NewAdminPageAsync("/app/admin/customers");

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
        var question = page.GetByRole(AriaRole.Group, new() { Name = "Remove P-9, Quay crane 2?" });
        await Assertions.Expect(question).ToBeFocusedAsync();
        (await RowsAsync("/projects")).Count.ShouldBe(1);
        await page.ShouldPassAxeAsync();
        await question.GetByRole(AriaRole.Button, new() { Name = "Remove", Exact = true }).ClickAsync();
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
        var removed = await PostAsync(page, "/app/admin/worktypes", new() { ["_handler"] = "rows", ["Action"] = "confirmed-remove:" + kept });
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

    [Fact]
    public async Task A_person_changes_their_own_password_on_the_profile_page_and_their_other_sessions_end()
    {
        await web.CreateUserAsync("own.password", 1, firstname: "Olga", lastname: "Own");
        var other = await web.NewPageAsync();
        await web.LogInAsync(other, "own.password", Password, "/app/week");
        var page = await web.NewPageAsync();
        await web.LogInAsync(page, "own.password", Password, "/app/profile");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your password", Level = 2 })).ToBeVisibleAsync();
        const string NewPassword = Password + "-changed";

        // A wrong current password: the API's 403 on "Current password", nothing changes.
        await page.GetByLabel("Current password").FillAsync("not-my-password");
        await page.GetByLabel("New password").FillAsync(NewPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
        var current = page.GetByLabel("Current password");
        await Assertions.Expect(current).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(current).ToBeFocusedAsync();
        await Assertions.Expect(page.Locator("#" + await current.GetAttributeAsync("aria-describedby"))).ToHaveTextAsync("That is not your current password.");
        await Assertions.Expect(page.GetByLabel("New password")).Not.ToHaveAttributeAsync("aria-invalid", "true");
        await page.ShouldPassAxeAsync();
        (await TokenClient.PasswordAsync(web.Server, "own.password", Password)).IsSuccessStatusCode.ShouldBeTrue();

        // No current password: the API's "is required" on that field.
        await page.GetByLabel("New password").FillAsync(NewPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
        await Assertions.Expect(page.Locator("#own-current-error")).ToHaveTextAsync("is required to change your own password");

        // The right one: changed; this browser stays signed in, the other session ends, the old password no longer works.
        await page.GetByLabel("Current password").FillAsync(Password);
        await page.GetByLabel("New password").FillAsync(NewPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Your password was changed. Your other sessions and devices must sign in again.");
        await page.ShouldPassAxeAsync();
        (await TokenClient.PasswordAsync(web.Server, "own.password", Password)).IsSuccessStatusCode.ShouldBeFalse();
        (await TokenClient.PasswordAsync(web.Server, "own.password", NewPassword)).IsSuccessStatusCode.ShouldBeTrue();
        await page.GotoAsync(web.Url + "/app/week");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).Not.ToHaveTextAsync("Log in");
        page.Url.ShouldNotContain("/app/login");
        await other.GotoAsync(web.Url + "/app/week");
        await other.WaitForURLAsync(u => u.Contains("/app/login", StringComparison.Ordinal));
        await other.Context.CloseAsync();

        // In Finnish on a phone, the section fits and reads in Finnish.
        var phone = await web.NewPageAsync(locale: "fi-FI", phone: true);
        await web.LogInInFinnishAsync(phone, "own.password", NewPassword, "/app/profile");
        await Assertions.Expect(phone.GetByLabel("Nykyinen salasana")).ToBeVisibleAsync();
        await Assertions.Expect(phone.GetByRole(AriaRole.Button, new() { Name = "Vaihda salasana" })).ToBeVisibleAsync();
        await phone.ShouldPassAxeAsync();
        await phone.ShouldFitAPhoneAsync();
        await phone.Context.CloseAsync();

        // An admin's own row on the users page has no password field (the API would ask for the current one): a link to the profile.
        await page.Context.CloseAsync();
        var admin = await web.NewAdminPageAsync("/app/admin/users");
        var adminId = (await UserAsync("admin")).GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture);
        await admin.GotoAsync(web.Url + "/app/admin/users?edit=" + adminId);
        await Assertions.Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Edit", Exact = true, Level = 2 })).ToBeVisibleAsync();
        await Assertions.Expect(admin.GetByLabel("New password")).ToHaveCountAsync(0);
        await admin.GetByRole(AriaRole.Link, new() { Name = "Change your password" }).ClickAsync();
        await Assertions.Expect(admin.GetByLabel("Current password")).ToBeVisibleAsync();
        await admin.Context.CloseAsync();
    }

    [Fact]
    public async Task With_the_keyboard_alone_an_admin_creates_a_project_links_a_task_and_removes_the_project_after_confirming()
    {
        var (status, body) = await web.ApiAsync(HttpMethod.Post, "/tasks", new { task = new { number = "T-K", name = "Keyboard task" } });
        status.ShouldBe(201, body.ToString());
        var taskId = body.GetProperty("task").GetProperty("id").GetInt64();
        var page = await web.NewAdminPageAsync("/app/admin/projects");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Projects", Level = 1 })).ToBeFocusedAsync();

        // Tab to each field and type; Space ticks the task's box; Enter on "Add".
        await TabToAsync(page, page.GetByLabel("Number"));
        await page.Keyboard.TypeAsync("K-1");
        await TabToAsync(page, page.GetByLabel("Name", new() { Exact = true }));
        await page.Keyboard.TypeAsync("Keyboard project");
        var box = page.GetByRole(AriaRole.Group, new() { Name = "Tasks" }).GetByLabel("T-K Keyboard task");
        await TabToAsync(page, box);
        await page.Keyboard.PressAsync("Space");
        await Assertions.Expect(box).ToBeCheckedAsync();
        await TabToAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Add", Exact = true }));
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Saved.");
        var project = (await RowsAsync("/projects?number=K-1")).Single();
        var projectId = project.GetProperty("id").GetInt64();
        var (_, read) = await web.ApiAsync(HttpMethod.Get, "/projects/" + projectId.ToString(CultureInfo.InvariantCulture));
        read.GetProperty("project").GetProperty("link.tasks").EnumerateArray().Select(t => t.GetString()).ShouldBe([taskId.ToString(CultureInfo.InvariantCulture)]);
        var (_, task) = await web.ApiAsync(HttpMethod.Get, "/tasks/" + taskId.ToString(CultureInfo.InvariantCulture));
        task.GetProperty("task").GetProperty("link.projects").EnumerateArray().Select(t => t.GetString()).ShouldBe([projectId.ToString(CultureInfo.InvariantCulture)]);

        // The task's own page shows the link the other way round, ticked.
        await page.GotoAsync(web.Url + "/app/admin/tasks?edit=" + taskId.ToString(CultureInfo.InvariantCulture));
        await Assertions.Expect(page.GetByRole(AriaRole.Group, new() { Name = "Projects" }).GetByLabel("K-1 Keyboard project")).ToBeCheckedAsync();
        await page.ShouldPassAxeAsync();

        // Remove: Enter on the row's button asks first; the question has the focus; Tab, Enter removes.
        await page.GotoAsync(web.Url + "/app/admin/projects");
        await TabToAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Remove K-1, Keyboard project" }));
        await page.Keyboard.PressAsync("Enter");
        var question = page.GetByRole(AriaRole.Group, new() { Name = "Remove K-1, Keyboard project?" });
        await Assertions.Expect(question).ToBeFocusedAsync();
        (await RowsAsync("/projects?number=K-1")).Count.ShouldBe(1);
        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(question.GetByRole(AriaRole.Button, new() { Name = "Remove", Exact = true })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Removed.");
        (await RowsAsync("/projects?number=K-1")).ShouldBeEmpty();
        await page.Context.CloseAsync();
        // The task goes too, so the class's other tests find only their own.
        (await web.ApiAsync(HttpMethod.Delete, "/tasks/" + taskId.ToString(CultureInfo.InvariantCulture))).Status.ShouldBe(200);
    }

    [Fact]
    public async Task A_list_longer_than_a_page_has_previous_and_next_pages_and_a_row_of_any_page_opens()
    {
        // Company days off of a calendar of their own (the class's other tests count their worktypes, customers, tasks).
        var (status, body) = await web.ApiAsync(HttpMethod.Post, "/worktimegroups", new { worktimegroup = new { name = "Paging calendar", daily_minutes = 450 } });
        status.ShouldBe(201, body.ToString());
        var group = body.GetProperty("worktimegroup").GetProperty("id").GetInt64();
        var first = new DateOnly(2030, 1, 1);
        for (var i = 0; i <= FormPage; i++)
        {
            (status, body) = await web.ApiAsync(HttpMethod.Post, "/workdaydays", new
            {
                workdayday = new
                {
                    worktimegroup = group, date = first.AddDays(i).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    name = "Paged " + i.ToString("D3", CultureInfo.InvariantCulture), minutes = 0,
                },
            });
            status.ShouldBe(201, body.ToString());
        }
        var (_, all) = await web.ApiAsync(HttpMethod.Get, "/workdaydays?order=date,id&limit=1&offset=" + FormPage.ToString(CultureInfo.InvariantCulture));
        var total = all.GetProperty("count").GetInt64();
        var second = all.GetProperty("workdaydays")[0];
        var secondName = second.GetProperty("name").GetString()!;
        var secondDate = DateOnly.ParseExact(second.GetProperty("date").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture);

        var page = await web.NewAdminPageAsync("/app/admin/workdaydays");
        var list = page.GetByRole(AriaRole.Region, new() { Name = "Company days off" });
        await Assertions.Expect(list.Locator("tbody tr")).ToHaveCountAsync(FormPage);
        var pages = page.GetByRole(AriaRole.Navigation, new() { Name = "Pages", Exact = true });
        await Assertions.Expect(pages).ToContainTextAsync($"Rows 1–{FormPage} of {total}");
        await Assertions.Expect(pages.GetByRole(AriaRole.Link, new() { Name = "Previous page" })).ToHaveCountAsync(0);
        await page.ShouldPassAxeAsync();
        await pages.GetByRole(AriaRole.Link, new() { Name = "Next page" }).ClickAsync();
        await page.WaitForURLAsync(u => u.Contains("offset=" + FormPage.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));
        await Assertions.Expect(list.Locator("tbody tr").First).ToContainTextAsync(secondName);
        await Assertions.Expect(pages).ToContainTextAsync($"Rows {FormPage + 1}–{total} of {total}");
        await Assertions.Expect(pages.GetByRole(AriaRole.Link, new() { Name = "Next page" })).ToHaveCountAsync(0);
        var label = secondDate.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture) + ", " + secondName;
        await page.GetByRole(AriaRole.Link, new() { Name = "Edit " + label, Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByLabel("Name", new() { Exact = true })).ToHaveValueAsync(secondName);
        await pages.GetByRole(AriaRole.Link, new() { Name = "Previous page" }).ClickAsync();
        await Assertions.Expect(pages).ToContainTextAsync($"Rows 1–{FormPage} of {total}");
        await page.Context.CloseAsync();
    }

    /// <summary>The engine's largest findAll page, the admin lists' page.</summary>
    private const int FormPage = 100;

    /// <summary>Presses Tab (at most 200 times) until the element has the focus: the keyboard's way to a control.</summary>
    private static async Task TabToAsync(IPage page, ILocator target)
    {
        var handle = await target.ElementHandleAsync();
        for (var presses = 0; presses < 200; presses++)
        {
            if (await page.EvaluateAsync<bool>("e => document.activeElement === e", handle))
            {
                return;
            }
            await page.Keyboard.PressAsync("Tab");
        }
        throw new InvalidOperationException("Tab never reached the control.");
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
