using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Worktime.Api.Forms.Definitions;
using Worktime.Api.Tests.Forms;
using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.Data;

/// <summary>
/// Requests that make the server run every query shape it has, generated from the form definitions: per form, get
/// one, the listing (default, sideloaded, by row status, paged), every queryable field as a filter (one value, a
/// list, empty, a date range) and as an order both ways, id lists, link filters, every reference field's options
/// (with and without a dependency filter), create, update, a bulk update of 100 rows, remove and restore; the same
/// reads as a worker (whose reads are narrowed to their own rows). The routes that are not forms (login, /me,
/// /ttapi, …) get the requests of <see cref="OtherRoutesAsync"/>; <see cref="Unreached"/> names every route of
/// the app no request reached, so a route added tomorrow (a report, an export) fails the plan test until it is
/// given a request here.
/// </summary>
internal sealed partial class PlanTraffic(
    WorktimeApplication app, FormRegistry registry, IReadOnlyDictionary<FormDefinition, SeededRows> rows,
    TenantUser admin, TenantUser worker, string adminPassword)
{
    /// <summary>Rows of a form the traffic may touch: normal ones (the seed removes every twentieth, i % 20 == 19).</summary>
    private long Row(FormDefinition form, long i) => rows[form].Id(i % 20 == 19 ? i + 1 : i);

    public async Task RunAsync()
    {
        foreach (var form in registry.All)
        {
            await ReadsAsync(admin, form);
            await OptionsAsync(form);
            await WritesAsync(form);
            await ReadsAsync(worker, form, everyFilter: false);
        }
        await OtherRoutesAsync();
    }

    private async Task ReadsAsync(TenantUser by, FormDefinition form, bool everyFilter = true)
    {
        var path = "/" + form.PluralKey;
        await GetAsync(by, $"{path}/{Row(form, 7)}");
        await GetAsync(by, path);
        if (!everyFilter)
        {
            return;
        }
        await GetAsync(by, $"{path}?sideload=true");
        await GetAsync(by, $"{path}?row_info.status=removed");
        await GetAsync(by, $"{path}?row_info.status=all");
        await GetAsync(by, $"{path}?limit=5&offset=20");
        await GetAsync(by, $"{path}?id={Row(form, 3)}");
        await GetAsync(by, $"{path}?id={string.Join(',', Enumerable.Range(1, 12).Select(i => Row(form, i * 37)))}");
        foreach (var other in form.Links.Select(registry.Get))
        {
            await GetAsync(by, $"{path}?{Naming.LinkKey(other)}={Row(other, 5)}");
            await GetAsync(by, $"{path}?{Naming.LinkKey(other)}={Row(other, 5)},{Row(other, 6)},{Row(other, 7)}");
        }
        foreach (var order in new[] { "id", "row_info.created", "row_info.modified" })
        {
            await GetAsync(by, $"{path}?order={order}");
            await GetAsync(by, $"{path}?order=-{order}");
        }
        foreach (var field in form.Fields.Where(f => f.Queryable))
        {
            foreach (var value in FilterValues(field))
            {
                await GetAsync(by, $"{path}?{field.Name}={Uri.EscapeDataString(value)}");
            }
            await GetAsync(by, $"{path}?order={field.Name}");
            await GetAsync(by, $"{path}?order=-{field.Name}");
        }
    }

    private IEnumerable<string> FilterValues(FieldDefinition field)
    {
        switch (field.Type)
        {
            case FieldType.Database:
                var target = registry.Get(field.Target!);
                yield return Row(target, 3).ToString(CultureInfo.InvariantCulture);
                yield return $"{Row(target, 3)},{Row(target, 4)},{Row(target, 5)}";
                yield return "(empty)";
                break;
            case FieldType.Date:
                yield return "2026-10-01_2026-10-31"; // whole months
                yield return "2026-09-01_2026-10-31";
                yield return "2026-10-03_2026-10-20";
                yield return "2026-10-15";
                yield return "CURRENT";
                yield return "(empty)";
                break;
            case FieldType.Dropdown:
                yield return field.Options![0];
                yield return string.Join("||", field.Options);
                break;
            case FieldType.Checkbox:
                yield return "true";
                break;
            case FieldType.Time:
                yield return "08:00";
                break;
            case FieldType.Number or FieldType.Minutes or FieldType.Computed:
                yield return field.Min is { } min ? min.ToString(CultureInfo.InvariantCulture) : "30";
                yield return "(empty)";
                break;
            default:
                yield return "text";
                yield return "(empty)";
                break;
        }
    }

    /// <summary>Every alias of every reference field's options, alone and with each other reference field of the form as a dependency filter.</summary>
    private async Task OptionsAsync(FormDefinition form)
    {
        var references = form.Fields.Where(f => f.Type == FieldType.Database).ToList();
        foreach (var field in references)
        {
            var plural = field.Name.EndsWith('s') ? field.Name : field.Name + "s";
            foreach (var segment in new[] { field.Name, plural, Naming.CamelCase(field.Name), Naming.CamelCase(plural) }.Distinct(StringComparer.Ordinal))
            {
                await GetAsync(admin, $"/{form.Key}/{segment}");
            }
            foreach (var dependency in references.Where(r => r != field))
            {
                await GetAsync(admin, $"/{form.Key}/{field.Name}?{dependency.Name}={Row(registry.Get(dependency.Target!), 3)}");
            }
        }
    }

    private async Task WritesAsync(FormDefinition form)
    {
        var path = "/" + form.PluralKey;
        var (field, value) = SampleRows.Update(form.Name);
        await SendAsync(admin, HttpMethod.Put, $"{path}/{Row(form, 11)}", new JsonObject { [form.Key] = new JsonObject { [field] = JsonValue.Create(value) } });
        var ids = new JsonArray(Enumerable.Range(0, 100).Select(i => (JsonNode)JsonValue.Create(Row(form, 200 + (i * 3)))).ToArray());
        await SendAsync(admin, HttpMethod.Put, path, new JsonObject { [form.Key] = new JsonObject { ["id"] = ids, [field] = JsonValue.Create(value) } });
        var created = await SampleRows.CreateAsync(form.Name, admin);
        var id = created.GetProperty("id").GetInt64();
        await SendAsync(admin, HttpMethod.Delete, $"{path}/{id}", null);
        await SendAsync(admin, HttpMethod.Put, $"{path}/{id}", new JsonObject { [form.Key] = new JsonObject { ["row_info.status"] = "normal" } });
    }

    /// <summary>The routes that are not a form's: each with a request that reaches its queries.</summary>
    private async Task OtherRoutesAsync()
    {
        var user = registry.Get("user");
        var group = registry.Get("worktimegroup");
        var someone = Row(user, 3);
        await GetAsync(admin, "/me");
        await GetAsync(worker, "/me");
        await GetAsync(admin, "/forms");
        await GetAsync(admin, "/forms/worktime");
        await SendAsync(admin, HttpMethod.Post, "/service/postFindAll?form=worktime",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["date"] = "2026-10-01_2026-10-31", ["sideload"] = "true" }));
        await GetAsync(admin, $"/ttapi/workdayCalendar/workdayDays?date=2026-01-01_2026-12-31&worktimegroup={Row(group, 3)}");
        await GetAsync(admin, $"/ttapi/saldo/get_current_saldo?userid={someone}&date=2026-10-31");
        await GetAsync(worker, $"/ttapi/saldo/get_current_saldo?userid={worker.Id}");
        await GetAsync(admin, $"/ttapi/saldo/daily?userid={someone}&date=2026-10-01_2026-10-31");
        await GetAsync(admin, "/ttapi/absence/split?startdate=2026-10-01&enddate=2026-10-31&sideload[]=abcensetype.name");
        await GetAsync(admin, $"/ttapi/absence/split?startdate=2026-10-01&enddate=2026-10-31&user={someone}");
        var customer = Row(registry.Get("customer"), 3);
        foreach (var groupBy in new[] { "", "user", "project", "task", "worktype", "customer", "date", "user,project,date" })
        {
            await GetAsync(admin, $"/reports/hours?from=2026-10-01&to=2026-10-31&group_by={groupBy}");
        }
        await GetAsync(admin, $"/reports/hours?from=2026-01-01&to=2026-10-31&group_by=customer&customer={customer}&format=csv");
        await GetAsync(admin, $"/reports/hours?from=2026-10-01&to=2026-10-31&user={someone}&format=xlsx");
        await GetAsync(worker, "/reports/hours?from=2026-10-01&to=2026-10-31&group_by=project");
        await GetAsync(admin, "/exports/worktimes.csv?from=2026-10-01&to=2026-10-31");
        await GetAsync(admin, $"/exports/worktimes.xlsx?from=2026-10-01&to=2026-10-31&customer={customer}");
        await GetAsync(worker, $"/exports/worktimes.csv?from=2026-10-01&to=2026-10-31&project={Row(registry.Get("project"), 3)}");
        var tokens = await app.LoginAsync(admin.Username, adminPassword);
        var refreshed = await PostFormAsync("/login", ("grant_type", "refresh_token"), ("client_id", AuthTestExtensions.DefaultClient),
            ("refresh_token", tokens.GetProperty("refresh_token").GetString()!));
        await PostFormAsync("/logout", ("token", refreshed.GetProperty("refresh_token").GetString()!));
        await WebAppVisitAsync();
        await CalendarFeedsAsync(admin, "team");
        await CalendarFeedsAsync(worker, "own");
        // Every other route takes no input worth varying (health, metrics, discovery, the reference, the 405s of the
        // token endpoints, the pages' shell): one request each without a token, a route parameter filled with a word.
        using var anonymous = app.CreateClient();
        foreach (var route in Routes().Where(r => !Reached.ContainsKey(r)).ToList())
        {
            var (method, pattern) = (route[..route.IndexOf(' ', StringComparison.Ordinal)], route[(route.IndexOf(' ', StringComparison.Ordinal) + 1)..]);
            var path = RouteParameter().Replace(pattern, m => m.Value switch
            {
                "{documentName}" => "v1",
                _ when m.Value.EndsWith("?}", StringComparison.Ordinal) => "",
                _ => "plan-test",
            });
            using var request = new HttpRequestMessage(new HttpMethod(method), path.Length == 0 ? "/" : path);
            using var response = await anonymous.SendAsync(request);
            if ((int)response.StatusCode >= 500)
            {
                Failures.Add($"{method} {path}: {(int)response.StatusCode}");
            }
        }
    }

    /// <summary>A calendar feed made, listed, read as a calendar app does (GET and HEAD, no login) and revoked.</summary>
    private async Task CalendarFeedsAsync(TenantUser by, string kind)
    {
        using var created = await by.Client.PostAsJsonAsync("/calendarfeeds", new { calendarfeed = new { kind } });
        if (!created.IsSuccessStatusCode)
        {
            Failures.Add($"POST /calendarfeeds ({kind}): {(int)created.StatusCode} {await created.Content.ReadAsStringAsync()}");
            return;
        }
        var feed = (await created.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("calendarfeed");
        var path = new Uri(feed.GetProperty("url").GetString()!).AbsolutePath;
        await GetAsync(by, "/calendarfeeds");
        using var anonymous = app.CreateClient();
        foreach (var method in new[] { HttpMethod.Get, HttpMethod.Head })
        {
            using var request = new HttpRequestMessage(method, path);
            using var response = await anonymous.SendAsync(request);
            if (!response.IsSuccessStatusCode)
            {
                Failures.Add($"{method} {path}: {(int)response.StatusCode}");
            }
        }
        await SendAsync(by, HttpMethod.Delete, $"/calendarfeeds/{feed.GetProperty("id")}", null);
    }

    /// <summary>
    /// The web app as a person uses it: the login page, a login (its session written), the balance page (the session
    /// read, then time accounting) for a period, a language switch and a logout (the session deleted). Over https, so
    /// the client keeps the pages' <c>__Host-</c> cookies.
    /// </summary>
    private async Task WebAppVisitAsync()
    {
        using var browser = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions
        {
            BaseAddress = new Uri("https://localhost"), HandleCookies = true, AllowAutoRedirect = true,
        });
        var login = await PageAsync(browser, HttpMethod.Get, "/app/login", null);
        // "Use a passkey" on the login page: the options of a sign-in with a passkey alone (a ceremony written).
        await PageAsync(browser, HttpMethod.Post, "/app/login/passkey-options", new()
        {
            ["mode"] = "alone", ["__RequestVerificationToken"] = AntiforgeryToken(login),
        });
        var balance = await PageAsync(browser, HttpMethod.Post, "/app/login", new()
        {
            ["_handler"] = "login", ["Input.Username"] = admin.Username, ["Input.Password"] = adminPassword,
            ["Input.Return"] = "/app/balance?from=2026-01-01&to=2026-10-31", ["__RequestVerificationToken"] = AntiforgeryToken(login),
        });
        if (!balance.Contains("id=\"current-balance\"", StringComparison.Ordinal))
        {
            Failures.Add("web app: the login did not reach the balance page");
            return;
        }
        await PageAsync(browser, HttpMethod.Get, "/app/balance", null);
        // The pages that read many rows: a week, and the supervisor pages (every person's month, pending absences, locks).
        await PageAsync(browser, HttpMethod.Get, "/app/week?date=2026-03-04", null);
        await PageAsync(browser, HttpMethod.Get, "/app/team?month=2026-03", null);
        await PageAsync(browser, HttpMethod.Get, "/app/team/absences", null);
        await PageAsync(browser, HttpMethod.Get, "/app/team/locks", null);
        var afterLanguage = await PageAsync(browser, HttpMethod.Post, "/app/language", new()
        {
            ["lang"] = "fi", ["return"] = "/app/balance", ["__RequestVerificationToken"] = AntiforgeryToken(balance),
        });
        await PageAsync(browser, HttpMethod.Post, "/app/logout", new() { ["__RequestVerificationToken"] = AntiforgeryToken(afterLanguage) });
    }

    private async Task<string> PageAsync(HttpClient browser, HttpMethod method, string path, Dictionary<string, string>? form)
    {
        using var request = new HttpRequestMessage(method, path) { Content = form is null ? null : new FormUrlEncodedContent(form) };
        using var response = await browser.SendAsync(request);
        var html = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            Failures.Add($"web app {method} {path}: {(int)response.StatusCode}");
        }
        return html;
    }

    private static string AntiforgeryToken(string html) =>
        AntiforgeryField().Match(html) is { Success: true } match ? System.Net.WebUtility.HtmlDecode(match.Groups[1].Value) : "";

    [System.Text.RegularExpressions.GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial System.Text.RegularExpressions.Regex AntiforgeryField();

    private async Task<System.Text.Json.JsonElement> PostFormAsync(string path, params (string Key, string Value)[] fields)
    {
        using var anonymous = app.CreateClient();
        using var response = await anonymous.PostAsync(path, new FormUrlEncodedContent(fields.ToDictionary(f => f.Key, f => f.Value)));
        if ((int)response.StatusCode >= 500)
        {
            Failures.Add($"POST {path}: {(int)response.StatusCode}");
        }
        return await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\{[^}]*\}")]
    private static partial System.Text.RegularExpressions.Regex RouteParameter();

    /// <summary>Every route of the app, as "METHOD /pattern".</summary>
    public IEnumerable<string> Routes() =>
        app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(m => $"{m} /{e.RoutePattern.RawText?.TrimStart('/')}"))
            .Distinct(StringComparer.Ordinal);

    private IReadOnlyDictionary<string, int> Reached => app.Services.GetRequiredService<StatementRecorder>().Routes;

    /// <summary>Routes of the app no request of this traffic reached.</summary>
    public IEnumerable<string> Unreached() => Routes().Where(r => !Reached.ContainsKey(r)).Order(StringComparer.Ordinal);

    /// <summary>Answers of 500 or more (a query that failed is a shape that was never explained).</summary>
    public List<string> Failures { get; } = [];

    private Task GetAsync(TenantUser by, string path) => SendAsync(by, HttpMethod.Get, path, null);

    private async Task SendAsync(TenantUser by, HttpMethod method, string path, object? body)
    {
        using var request = new HttpRequestMessage(method, path)
        {
            Content = body switch
            {
                null => null,
                HttpContent content => content,
                _ => JsonContent.Create(body),
            },
        };
        using var response = await by.Client.SendAsync(request);
        if ((int)response.StatusCode >= 500)
        {
            Failures.Add($"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }
}
