using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Worktime.Api.Accounts;
using Worktime.Api.Auth;
using Worktime.Api.Forms;
using Worktime.Api.Forms.Definitions;
using Worktime.Api.Http;

namespace Worktime.Api.Demo;

/// <summary>One demo login, printed once by <c>worktime demo</c>.</summary>
internal sealed record DemoLogin(string Username, int Level, string Password);

internal sealed record DemoResult(long PartnerId, string PartnerName, IReadOnlyList<DemoLogin> Logins, IReadOnlyDictionary<string, int> Rows);

/// <summary>
/// Fills a new partner with believable data: users of every level, customers, projects linked to tasks, worktypes,
/// and worktimes and absences on the working days of the last months. Every row goes through the forms engine's door
/// (<see cref="FormRows"/>: the same validation, references, hooks and computed work_hours as the API), written as the demo admin.
/// </summary>
internal sealed class DemoData(PartnerStore partners, UserAccounts accounts, FormRows forms, FormRegistry registry, TimeProvider time)
{
    private static readonly string[] TaskNames = ["Excavation", "Formwork", "Concrete", "Masonry", "Painting", "Electrical", "Plumbing", "Cleanup"];
    private static readonly string[] ProjectNames = ["Harbour Bridge", "School Extension", "Riverside Flats", "Depot Roof", "Clinic Renovation", "Park Pavilion"];
    private static readonly string[] CustomerNames = ["City of Oulu", "Nordic Homes Oy", "Harbour Logistics", "Wellness Group"];
    private static readonly (string First, string Last)[] People =
    [
        ("Aino", "Admin"), ("Mikko", "Manager"), ("Sari", "Supervisor"), ("Pekka", "Foreman"), ("Ville", "Virtanen"), ("Liisa", "Korhonen"),
        ("Juha", "Nieminen"), ("Anna", "Mäkinen"), ("Timo", "Hämäläinen"), ("Laura", "Laine"), ("Jari", "Heikkinen"), ("Elina", "Koskinen"),
        ("Matti", "Järvinen"), ("Hanna", "Lehtonen"),
    ];

    // admin, manager, supervisor, foreman; the workers follow
    private static readonly int[] LeadLevels = [5, 4, 3, 2];

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5394:Do not use insecure randomness",
        Justification = "Demo rows are seeded on purpose so the same seed gives the same data; passwords use RandomNumberGenerator.")]
    public async Task<Outcome<DemoResult>> CreateAsync(string name, int months, int workers, int seed, CancellationToken ct)
    {
        var random = new Random(seed);
        var partner = await partners.AddAsync(name, "fi", ct);
        if (partner.Error is { } refused)
        {
            return refused;
        }
        var partnerId = partner.Value;
        var rows = new Dictionary<string, int>();
        var logins = new List<DemoLogin>();
        var levels = LeadLevels.Concat(Enumerable.Repeat(1, workers)).ToArray();
        var users = new List<(long Id, int Level)>();
        DemoLogin NewLogin(int i)
        {
            var role = levels[i] switch { 5 => "admin", 4 => "manager", 3 => "supervisor", 2 => "foreman", _ => string.Create(CultureInfo.InvariantCulture, $"worker{i - 3}") };
            var login = new DemoLogin(string.Create(CultureInfo.InvariantCulture, $"demo{partnerId}.{role}"), levels[i], NewPassword());
            logins.Add(login);
            return login;
        }
        // The admin comes from the accounts service (someone must write the rest); everyone else through the user form.
        var first = NewLogin(0);
        var adminId = await accounts.CreateAsync(partnerId, first.Username, 5, first.Password, People[0].First, People[0].Last, null, ct);
        users.Add((adminId.Error is null ? adminId.Value : throw new InvalidOperationException($"Demo admin refused: {adminId.Error.Description}"), 5));
        var admin = new CurrentUser(users[0].Id, partnerId, 5, first.Username, "cli");
        async Task<long> Add(string form, object fields)
        {
            var body = JsonSerializer.SerializeToElement(fields);
            var created = await forms.CreateAsync(registry.Get(form), admin, body, validate: true, ct);
            rows[form] = rows.GetValueOrDefault(form) + 1;
            return created.Error is null ? created.Value : throw new InvalidOperationException($"Demo {form} refused: {created.Error.Description}");
        }

        var groups = new[] { await Add("worktimegroup", new { name = "Office 7.5 h", daily_minutes = 450, country = "fi" }), await Add("worktimegroup", new { name = "Site 8 h", daily_minutes = 480, country = "fi" }) };
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var firstDay = new DateOnly(today.Year, today.Month, 1).AddMonths(1 - months);
        var currentMonth = new DateOnly(today.Year, today.Month, 1);
        for (var i = 1; i < levels.Length; i++)
        {
            var login = NewLogin(i);
            var (firstname, lastname) = People[i % People.Length];
            users.Add((await Add("user", new
            {
                username = login.Username, password = login.Password, userlevel = login.Level, firstname, lastname,
                email = $"{login.Username}@example.test", worktimegroup = groups[login.Level >= 4 ? 0 : 1],
                // The balance counts from the first demo day; workers carry some hours over from before.
                saldo_start = Date(firstDay), saldo_initial = login.Level == 1 ? (random.Next(17) - 8) * 30 : 0,
            }), login.Level));
        }
        var absenceTypes = new[]
        {
            await Add("abcensetype", new { name = "Sick leave", type = "days" }),
            // Vacations wait for a supervisor: this month's open ones are the pending list (docs/forms.md, "Absence approval").
            await Add("abcensetype", new { name = "Vacation", type = "days", requires_approval = true }),
            await Add("abcensetype", new { name = "Doctor", type = "hours" }),
        };
        await Add("abcensetype", new { name = "Unpaid leave", type = "both", paid = false });
        var worktypes = new[] { await Add("worktype", new { number = "1", name = "Normal" }), await Add("worktype", new { number = "2", name = "Overtime 50 %" }), await Add("worktype", new { number = "3", name = "Travel" }) };
        var customers = new List<long>();
        for (var i = 0; i < CustomerNames.Length; i++)
        {
            customers.Add(await Add("customer", new { number = string.Create(CultureInfo.InvariantCulture, $"C{100 + i}"), name = CustomerNames[i], city = "Oulu" }));
        }
        var tasks = new List<long>();
        for (var i = 0; i < TaskNames.Length; i++)
        {
            tasks.Add(await Add("task", new { number = string.Create(CultureInfo.InvariantCulture, $"{10 + i}"), name = TaskNames[i] }));
            if (i % 3 == 0)
            {
                await Add("subtask", new { name = $"{TaskNames[i]} preparation", task = tasks[^1] });
                await Add("subtask", new { name = $"{TaskNames[i]} finishing", task = tasks[^1] });
            }
        }
        var projects = new List<(long Id, long[] Tasks)>();
        for (var i = 0; i < ProjectNames.Length; i++)
        {
            var linked = tasks.OrderBy(_ => random.Next()).Take(3 + random.Next(3)).ToArray();
            var fields = new Dictionary<string, object>
            {
                ["number"] = string.Create(CultureInfo.InvariantCulture, $"P{2024 + i}"), ["name"] = ProjectNames[i], ["city"] = "Oulu", ["customer"] = customers[i % customers.Count],
                ["contact_user"] = users[2].Id, ["link.tasks"] = linked.Select(t => t.ToString(CultureInfo.InvariantCulture)).ToArray(),
            };
            projects.Add((await Add("project", fields), linked));
        }

        await AddTimeAccountingAsync(Add, groups, users, firstDay, currentMonth, random);
        foreach (var (userId, level) in users.Where(u => u.Level <= 3))
        {
            var day = firstDay;
            while (day <= today)
            {
                var status = day >= currentMonth ? "open" : "accepted"; // older months are locked below
                if (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
                {
                    day = day.AddDays(1);
                    continue;
                }
                if (random.Next(40) == 0)
                {
                    var length = 1 + random.Next(3);
                    await Add("abcense", new
                    {
                        user = userId, abcensetype = absenceTypes[random.Next(2)], startdate = Date(day), enddate = Date(day.AddDays(length - 1)),
                        dayamount = length, status = status == "open" ? "open" : "accepted", description = "Demo absence",
                    });
                    day = day.AddDays(length);
                    continue;
                }
                if (random.Next(25) == 0)
                {
                    await Add("abcense", new { user = userId, abcensetype = absenceTypes[2], startdate = Date(day), starttime = "08:00", endtime = "10:00", absence_hours = 2, status = status == "open" ? "open" : "accepted" });
                }
                var (project, projectTasks) = projects[random.Next(projects.Count)];
                var split = random.Next(3) == 0;
                var start = 7 * 60 + random.Next(4) * 15;
                foreach (var (from, to) in split ? new[] { (start, start + 240), (start + 270, start + 510) } : [(start, start + 510)])
                {
                    await Add("worktime", new
                    {
                        date = Date(day), status, user = userId, project, task = projectTasks[random.Next(projectTasks.Length)],
                        worktype = worktypes[random.Next(10) == 0 ? 1 : 0], starttime = Time(from), endtime = Time(to),
                        pause = split ? 0 : 30, description = split ? "Split day" : "Demo day", superior = users[2].Id,
                    });
                    if (split)
                    {
                        (project, projectTasks) = projects[random.Next(projects.Count)];
                    }
                }
                day = day.AddDays(1);
            }
        }
        // Payroll closed for everyone up to two months ago: those rows read "locked" (docs/forms.md, "Period locks").
        await Add("periodlock", new { enddate = Date(currentMonth.AddMonths(-2).AddDays(-1)), description = "Payroll closed" });
        return new DemoResult(partnerId, name, logins, rows);
    }

    /// <summary>
    /// Calendar exceptions (Christmas Eve and Midsummer Eve off: customary in Finland, not public holidays), a
    /// worker moved to a four-day week at 80 % last month (earlier days keep their schedule) and a correction.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5394:Do not use insecure randomness",
        Justification = "The demo's seeded Random: the same seed gives the same data; nothing here is a secret.")]
    private static async Task AddTimeAccountingAsync(
        Func<string, object, Task<long>> add, long[] groups, List<(long Id, int Level)> users, DateOnly firstDay, DateOnly currentMonth, Random random)
    {
        for (var year = firstDay.Year; year <= currentMonth.Year; year++)
        {
            var midsummerEve = Enumerable.Range(19, 7).Select(d => new DateOnly(year, 6, d)).First(d => d.DayOfWeek == DayOfWeek.Friday);
            foreach (var group in groups)
            {
                await add("workdayday", new { worktimegroup = group, date = Date(new DateOnly(year, 12, 24)), name = "Jouluaatto", minutes = 0 });
                await add("workdayday", new { worktimegroup = group, date = Date(midsummerEve), name = "Juhannusaatto", minutes = 0 });
            }
        }
        var fourDays = await add("worktimegroup", new { name = "Four-day week", daily_minutes = 480, minutes_fri = 0, country = "fi" });
        var workers = users.Where(u => u.Level == 1).Select(u => u.Id).ToList();
        if (workers.Count == 0)
        {
            return;
        }
        var moved = workers[random.Next(workers.Count)];
        await add("employment", new { user = moved, worktimegroup = groups[1], valid_from = Date(firstDay) });
        await add("employment", new { user = moved, worktimegroup = fourDays, valid_from = Date(currentMonth.AddMonths(-1)), percent = 80 });
        await add("saldocorrection", new { user = workers[0], date = Date(currentMonth), minutes = -120, description = "Overtime paid out" });
    }

    private static string Date(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Time(int minutes) => string.Create(CultureInfo.InvariantCulture, $"{minutes / 60:00}:{minutes % 60:00}");

    private static string NewPassword() => RandomNumberGenerator.GetString("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789", 16);
}
