using System.Data.Common;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Worktime.Api.Accounts;
using Worktime.Api.Data;
using Worktime.Api.Erasure;
using Worktime.Api.Tests.Auth;
using Worktime.Api.Tests.Cli;
using Worktime.Api.Tests.Infrastructure;
using Worktime.Api.WebApp.Sessions;

namespace Worktime.Api.Tests.Erasure;

/// <summary>
/// Issue 23, <c>worktime user erase</c> (docs/deploy.md, "Erasing a person"): a worker with names, contact details,
/// worktimes, an absence, a balance correction, descriptions, an API session, a web session and a failed login is
/// erased through the CLI. Afterwards every erased value is absent from every text cell of every table, from findAll
/// and its sideloads, the hours report, the CSV export and <c>worktime audit</c>; the tokens and the web session no
/// longer work; the worktimes and the balance are the same as before under the anonymous name.
/// </summary>
[VariesWith(Vary.Backend)]
[Collection(SerialCollection.Name)]
public sealed class UserErasureTests : IAsyncLifetime
{
    private const string Password = "pw-leaving-soon-42";
    private WorktimeApplication _app = null!;
    private long _partner;

    public async Task InitializeAsync()
    {
        _app = await WorktimeApplication.StartAsync(o =>
        {
            o.Settings["Auth:UserStateCacheDuration"] = "00:00:00"; // the CLI is another container: no cached "still active"
            o.Settings["RateLimit:RequestsPerWindow"] = "100000";
        });
        _partner = await _app.CreatePartnerAsync("Erase Oy");
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private sealed record Leaver(long Id, string Username, string[] Values, HttpClient Admin, HttpClient Worker, string Refresh, string WebSession);

    [Fact]
    public async Task Erase_WithDescriptions_LeavesTheErasedValuesNowhere_EndsEverySession_AndKeepsTheBooks()
    {
        var leaver = await LeaverAsync("annika.leaverson", "Annika", "Leaverson", "annika.leaverson@example.test", "+358401234567");
        var booksBefore = await BooksAsync(leaver);

        var (exit, stdout, stderr) = await CliRunner.RunAsync(_app.ConnectionString, null, "user", "erase", "--username", leaver.Username, "--descriptions");

        exit.ShouldBe(0, stderr);
        stdout.Trim().ShouldBe($"User {leaver.Id} erased; now 'erased-{leaver.Id}'. Sessions ended; worktimes and balance kept.");

        // Nowhere: every text cell of every table, then what the API, the reports, the exports and the audit show.
        (await CellsContainingAsync(leaver.Values)).ShouldBeEmpty();
        var shown = new StringBuilder();
        shown.Append(await TextAsync(leaver.Admin, "/users?limit=100"));
        shown.Append(await TextAsync(leaver.Admin, "/worktimes?date=2026-11-01_2026-11-30&sideload=true&limit=100"));
        shown.Append(await TextAsync(leaver.Admin, "/abcenses?sideload=true&limit=100"));
        shown.Append(await TextAsync(leaver.Admin, "/saldocorrections?sideload=true&limit=100"));
        shown.Append(await TextAsync(leaver.Admin, "/reports/hours?from=2026-11-01&to=2026-11-30&group_by=user"));
        shown.Append(await TextAsync(leaver.Admin, "/exports/worktimes.csv?from=2026-11-01&to=2026-11-30"));
        var audit = await CliRunner.RunAsync(_app.ConnectionString, null, "audit");
        audit.Exit.ShouldBe(0, audit.Err);
        shown.Append(audit.Out);
        foreach (var value in leaver.Values)
        {
            shown.ToString().ShouldNotContain(value, Case.Insensitive);
        }
        shown.ToString().ShouldContain($"erased-{leaver.Id}");
        audit.Out.ShouldContain("user_erased");
        (await CliRunner.RunAsync(_app.ConnectionString, null, "audit", "--user", leaver.Username)).Out.ShouldBeEmpty();

        // The books: the same worktimes (their own descriptions overwritten), the same balance.
        var booksAfter = await BooksAsync(leaver);
        booksAfter.Worktimes.ShouldBe(booksBefore.Worktimes);
        booksAfter.Saldo.ShouldBe(booksBefore.Saldo);
        booksAfter.Descriptions.ShouldAllBe(d => d == null || d.Contains($"erased-{leaver.Id}"));

        // Last, because a login typed with the old name is recorded (audit, throttle) like that of any unknown name.
        await ShouldHaveNoSessionAsync(leaver);
    }

    [Fact]
    public async Task Erase_WithoutDescriptions_KeepsTheFreeText_ButErasesTheRest()
    {
        var leaver = await LeaverAsync("bertil.bye", "Bertil", "Byeman", "bertil@example.test", "+358409876543");

        var (exit, _, stderr) = await CliRunner.RunAsync(_app.ConnectionString, null, "user", "erase", "--username", leaver.Username);

        exit.ShouldBe(0, stderr);
        var free = (await BooksAsync(leaver)).Descriptions;
        free.ShouldContain("own note of the worker"); // kept: the operator did not ask
        (await CellsContainingAsync(leaver.Values, exceptFreeText: true)).ShouldBeEmpty();
        await ShouldHaveNoSessionAsync(leaver);
    }

    [Fact]
    public async Task Erase_OfAnUnknownUser_SaysSoInOneLine_AndChangesNothing()
    {
        var (exit, stdout, stderr) = await CliRunner.RunAsync(_app.ConnectionString, null, "user", "erase", "--username", "nobody.here");

        exit.ShouldBe(1);
        stdout.ShouldBeEmpty();
        stderr.TrimEnd().ShouldBe("worktime: No user is called 'nobody.here'.");
    }

    [Fact]
    public void EveryTableTheCatalogMarksSpecial_HasItsCaseInTheErasure()
    {
        TableCatalog.All.Where(t => t.Erasure == ErasureRule.Special).Select(t => t.Name).Order()
            .ShouldBe(UserErasure.SpecialTables.Order());
    }

    /// <summary>A worker with everything a person leaves behind, and an admin of the same partner.</summary>
    private async Task<Leaver> LeaverAsync(string username, string firstname, string lastname, string email, string phone)
    {
        var adminName = "boss." + Guid.NewGuid().ToString("N")[..8]; // nothing of the leaver's in it
        await _app.CreateUserAsync(_partner, adminName, 5, Password);
        var admin = await _app.LoginClientAsync(adminName, Password);
        var id = (await _app.Services.GetRequiredService<UserAccounts>().CreateAsync(_partner, username, 1, Password, firstname, lastname)).OrThrow();
        await SendAsync(admin, HttpMethod.Put, $"/users/{id}", new { user = new { email, phone } }, HttpStatusCode.OK);

        var tokens = await _app.LoginAsync(username, Password);
        var worker = _app.CreateClient();
        worker.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.GetProperty("access_token").GetString());
        await SendAsync(worker, HttpMethod.Post, "/worktimes",
            new { worktime = new { date = "2026-11-03", starttime = "08:00", endtime = "16:00", pause = 30, description = "own note of the worker" } },
            HttpStatusCode.Created);
        await SendAsync(admin, HttpMethod.Post, "/worktimes",
            new { worktime = new { user = id, date = "2026-11-04", starttime = "08:00", endtime = "12:00", description = $"{firstname} {lastname} covered, call {phone}" } },
            HttpStatusCode.Created);
        await SendAsync(admin, HttpMethod.Post, "/saldocorrections",
            new { saldocorrection = new { user = id, date = "2026-11-05", minutes = 90, description = $"overtime agreed with {username}" } },
            HttpStatusCode.Created);

        // A failed login (audit record and throttle counter keyed by the name typed) and a web session.
        using (var anonymous = _app.CreateClient())
        {
            using var failed = await anonymous.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "password", ["username"] = username, ["password"] = "wrong-password-1", ["client_id"] = AuthTestExtensions.DefaultClient,
            }));
            failed.IsSuccessStatusCode.ShouldBeFalse();
        }
        var loginUser = await _app.Services.GetRequiredService<UserStore>().FindByIdAsync(id);
        var webSession = await _app.Services.GetRequiredService<WebSessionStore>().StartAsync(loginUser!, TimeSpan.FromHours(1), default);
        (await WebPageAsync(webSession)).StatusCode.ShouldBe(HttpStatusCode.OK);

        return new Leaver(id, username, [username, firstname, lastname, email, phone], admin, worker,
            tokens.GetProperty("refresh_token").GetString()!, webSession);
    }

    private async Task ShouldHaveNoSessionAsync(Leaver leaver)
    {
        (await leaver.Worker.GetAsync("/me")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        using var anonymous = _app.CreateClient();
        using var refresh = await anonymous.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token", ["refresh_token"] = leaver.Refresh, ["client_id"] = AuthTestExtensions.DefaultClient,
        }));
        refresh.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        using var login = await anonymous.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["username"] = leaver.Username, ["password"] = Password, ["client_id"] = AuthTestExtensions.DefaultClient,
        }));
        login.IsSuccessStatusCode.ShouldBeFalse();
        var page = await WebPageAsync(leaver.WebSession);
        page.StatusCode.ShouldNotBe(HttpStatusCode.OK); // back to the login page
        (await _app.ScalarAsync<long>("SELECT COUNT(*) FROM web_sessions WHERE user_id = @id", new { id = leaver.Id })).ShouldBe(0);
    }

    private async Task<HttpResponseMessage> WebPageAsync(string session)
    {
        var client = _app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var cookies = _app.Services.GetRequiredService<WebCookies>();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/app/balance");
        request.Headers.Add("Cookie", $"{cookies.Session}={session}");
        return await client.SendAsync(request);
    }

    private sealed record Books(List<long> Worktimes, long Saldo, List<string?> Descriptions);

    private static async Task<Books> BooksAsync(Leaver leaver)
    {
        var worktimes = JsonDocument.Parse(await TextAsync(leaver.Admin, $"/worktimes?user={leaver.Id}&date=2026-11-01_2026-11-30&limit=100"))
            .RootElement.GetProperty("worktimes").EnumerateArray().ToList();
        var saldo = JsonDocument.Parse(await TextAsync(leaver.Admin, $"/ttapi/saldo/get_current_saldo?userid={leaver.Id}&date=2026-11-30"))
            .RootElement.GetProperty("saldo").GetInt64();
        var descriptions = worktimes.Select(w => w.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null).ToList();
        var corrections = JsonDocument.Parse(await TextAsync(leaver.Admin, $"/saldocorrections?user={leaver.Id}&limit=100"))
            .RootElement.GetProperty("saldocorrections").EnumerateArray()
            .Select(c => c.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null);
        return new Books([.. worktimes.Select(w => w.GetProperty("id").GetInt64()).Order()], saldo, [.. descriptions, .. corrections]);
    }

    /// <summary>"table.column: value" of every text cell in the database holding one of <paramref name="values"/> (case-insensitive).</summary>
    private async Task<List<string>> CellsContainingAsync(string[] values, bool exceptFreeText = false)
    {
        var database = _app.Services.GetRequiredService<Database>();
        await using var connection = await database.OpenAsync();
        var found = new List<string>();
        foreach (var table in await SchemaReader.ReadAsync(connection, database.Dialect))
        {
            var freeText = exceptFreeText ? TableCatalog.Find(table.Name)?.FreeText ?? [] : [];
            foreach (var row in await connection.QueryAsync($"SELECT * FROM {table.Name}"))
            {
                foreach (var (column, cell) in (IDictionary<string, object?>)row)
                {
                    if (cell is string text && !freeText.Contains(column)
                        && values.FirstOrDefault(v => text.Contains(v, StringComparison.OrdinalIgnoreCase)) is { } hit)
                    {
                        found.Add($"{table.Name}.{column}: '{hit}' in '{text}'");
                    }
                }
            }
        }
        return found;
    }

    private static async Task<string> TextAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, $"{path}: {text}");
        return text;
    }

    private static async Task SendAsync(HttpClient client, HttpMethod method, string path, object body, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(method, path)
        {
            Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
        };
        using var response = await client.SendAsync(request);
        response.StatusCode.ShouldBe(expected, $"{method} {path}: {await response.Content.ReadAsStringAsync()}");
    }
}
