using System.Globalization;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;
using Worktime.ClientSmoke;
using WorktimeApi.Client;
using WorktimeApi.Client.Models;

// Drives a live server through the client Kiota generated from its /openapi/v1.json (see the .csproj).
// Every step prints "ok <step>"; the first mismatch exits 1 with the reason. Inputs come from the environment.
var url = Environment.GetEnvironmentVariable("WORKTIME_URL") ?? throw new InvalidOperationException("WORKTIME_URL is not set");
var username = Environment.GetEnvironmentVariable("WORKTIME_USERNAME")!;
var password = Environment.GetEnvironmentVariable("WORKTIME_PASSWORD")!;

var tokens = new TokenHolder();
using var http = new HttpClient();
// The document's server is the configured public URL; a client may still point elsewhere (here: the test's server).
var adapter = new HttpClientRequestAdapter(new BaseBearerTokenAuthenticationProvider(tokens), httpClient: http) { BaseUrl = url };
var client = new WorktimeClient(adapter);

try
{
    var login = await client.Login.PostAsync(new TokenRequest
    {
        GrantType = GrantType.Password, ClientId = "openapi", Username = username, Password = password,
    });
    Check(login?.AccessToken is { Length: > 0 } && login.TokenType == TokenResponse_token_type.Bearer, "login (password grant)");
    tokens.Token = login!.AccessToken!;
    var me = await client.Me.GetAsync();
    Check(me?.User?.Id == login.UserId && me!.User!.Username == username, "me");

    var project = await client.Projects.PostAsync(new ProjectCreateBody { Project = new ProjectCreate { Name = "Generated client project" } });
    var projectId = project!.Project!.Id!.Value;
    Check(project.Project.RowInfo?.Status == RowStatus.Normal, "create project (201)");

    var day = new Date(2026, 3, 2);
    async Task<WorktimeApi.Client.Models.Worktime> CreateWorktimeAsync(int startHour)
    {
        var created = await client.Worktimes.PostAsync(new WorktimeCreateBody
        {
            Worktime = new WorktimeCreate
            {
                Date = day, User = login.UserId, Project = projectId,
                Starttime = new Time(startHour, 0, 0), Endtime = new Time(startHour + 4, 30, 0), Pause = 30,
                Description = "from the generated client",
            },
        });
        return created!.Worktime!;
    }
    var first = await CreateWorktimeAsync(8);
    var second = await CreateWorktimeAsync(13);
    Check(first.WorkHours == "4:00" && first.Status == WorktimeStatus.Open && first.Starttime?.ToString() == "08:00:00", "create worktimes");

    var page = await client.Worktimes.GetAsync(r =>
    {
        r.QueryParameters.Date = "2026-03-01_2026-03-31";
        r.QueryParameters.Project = projectId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        r.QueryParameters.Order = "-starttime";
        r.QueryParameters.Sideload = SideloadSwitch.True;
        r.QueryParameters.Limit = 10;
    });
    Check(page?.Count == 2 && page.Worktimes!.Select(w => w.Id).SequenceEqual([second.Id, first.Id]), "findAll with filters and order");
    Check(page!.Projects?.SingleOrDefault()?.Name == "Generated client project" && page.Users?.Any(u => u.Id == login.UserId) == true, "findAll sideload");

    var fields = await client.Worktimes.GetAsync(r =>
    {
        r.QueryParameters.Id = string.Create(CultureInfo.InvariantCulture, $"{first.Id},{second.Id}");
        r.QueryParameters.Sideload0 = ["project.name"];
    });
    Check(fields?.Count == 2 && fields.Projects?.Single().Name == "Generated client project", "findAll id list and sideload[]");

    var changed = await client.Worktimes[first.Id!.Value].PutAsync(new WorktimeUpdateBody { Worktime = new WorktimeChanges { Description = "changed" } });
    Check(changed?.Worktime?.Description == "changed" && changed.Worktime.Starttime?.ToString() == "08:00:00" && changed.Worktime.Project == projectId, "partial update");

    var bulk = await client.Worktimes.PutAsync(new WorktimeBulkUpdateBody
    {
        Worktime = new WorktimeBulkChanges { Id = [first.Id!.Value, second.Id!.Value], Status = WorktimeStatus.Accepted },
    });
    Check(bulk?.Count == 2 && bulk.Worktimes!.All(w => w.Status == WorktimeStatus.Accepted), "bulk update");

    var removed = await client.Worktimes[second.Id!.Value].DeleteAsync();
    Check(removed?.RemovedProp == true, "delete");
    var removedRows = await client.Worktimes.GetAsync(r =>
    {
        r.QueryParameters.Id = second.Id!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        r.QueryParameters.RowInfoStatus = RowStatusFilter.Removed;
    });
    Check(removedRows?.Count == 1 && removedRows.Worktimes![0].RowInfo!.Status == RowStatus.Removed, "findAll removed rows");

    var restored = await client.Worktimes[second.Id!.Value].PutAsync(new WorktimeUpdateBody { Worktime = new WorktimeChanges { RowInfoStatus = RowStatus.Normal } });
    Check(restored?.Worktime?.RowInfo?.Status == RowStatus.Normal, "restore");

    var options = await client.Worktime.Projects.GetAsync();
    Check(options?.Projects?.Any(o => o.Id == projectId && o.Text == "Generated client project") == true, "reference options");

    try
    {
        await client.Worktimes[999_999_999].GetAsync();
        Check(false, "404 is an Error");
    }
    catch (Error e)
    {
        Check(e.ResponseStatusCode == 404 && e.ErrorProp == "not_found" && e.ErrorDescription is { Length: > 0 }, "404 is an Error");
    }

    // The time-accounting routes (/ttapi), each through its typed request builder and answer. March 2026 for the
    // caller: a Mon-Fri 450 schedule from the 1st (Sunday), the two worktimes above on Monday the 2nd (480 min), a
    // paid day-based absence on Tuesday the 3rd (450), so the balance over the 1st-3rd is 480 + 450 - 900 = +30.
    var group = await client.Worktimegroups.PostAsync(new WorktimegroupCreateBody
    {
        Worktimegroup = new WorktimegroupCreate { Name = "Generated client schedule", Country = "fi", DailyMinutes = 450 },
    });
    var groupId = group!.Worktimegroup!.Id!.Value;
    await client.Employments.PostAsync(new EmploymentCreateBody
    {
        Employment = new EmploymentCreate { User = login.UserId, Worktimegroup = groupId, ValidFrom = new Date(2026, 3, 1) },
    });
    await client.Users[login.UserId!.Value].PutAsync(new UserUpdateBody { User = new UserChanges { SaldoStart = new Date(2026, 3, 1) } });
    var sick = await client.Abcensetypes.PostAsync(new AbcensetypeCreateBody { Abcensetype = new AbcensetypeCreate { Name = "Sick (generated client)" } });
    var absence = await client.Abcenses.PostAsync(new AbcenseCreateBody
    {
        Abcense = new AbcenseCreate { User = login.UserId, Abcensetype = sick!.Abcensetype!.Id, Startdate = new Date(2026, 3, 3) },
    });

    var calendar = await client.Ttapi.WorkdayCalendar.WorkdayDays.GetAsync(r =>
    {
        r.QueryParameters.Date = "2026-01-01_2026-01-31";
        r.QueryParameters.Worktimegroup = groupId;
    });
    Check(calendar?.Count == 2 && calendar.WorkdayDays!.Select(d => d.Date).SequenceEqual([new Date(2026, 1, 1), new Date(2026, 1, 6)])
        && calendar.WorkdayDays!.All(d => d.Minutes == 450 && d.ExpectedMinutes == 0 && d.Id is null && d.Name is { Length: > 0 }), "ttapi workdayDays");

    var saldo = await client.Ttapi.Saldo.Get_current_saldo.GetAsync(r =>
    {
        r.QueryParameters.Userid = "self";
        r.QueryParameters.Date = new Date(2026, 3, 3);
    });
    Check(saldo?.SaldoProp == 30 && Same(saldo.From, new Date(2026, 3, 1)) && Same(saldo.To, new Date(2026, 3, 3)) && saldo.WorkedMinutes == 480
        && saldo.AbsenceMinutes == 450 && saldo.ExpectedMinutes == 900 && saldo.CorrectionMinutes == 0 && saldo.InitialMinutes == 0, "ttapi get_current_saldo");

    var daily = await client.Ttapi.Saldo.Daily.GetAsync(r =>
    {
        r.QueryParameters.Userid = login.UserId!.Value.ToString(CultureInfo.InvariantCulture);
        r.QueryParameters.Date = "2026-03-01_2026-03-03";
    });
    Check(daily?.Count == 3 && daily.User == login.UserId && Same(daily.SaldoStart, new Date(2026, 3, 1))
        && daily.Days!.Select(d => (d.Date, d.BalanceMinutes, d.RunningMinutes, d.Counted)).SequenceEqual(
            [(new Date(2026, 3, 1), 0L, 0L, true), (new Date(2026, 3, 2), 30L, 30L, true), (new Date(2026, 3, 3), 0L, 30L, true)]), "ttapi saldo daily");

    var split = await client.Ttapi.Absence.Split.GetAsync(r =>
    {
        r.QueryParameters.Startdate = new Date(2026, 3, 1);
        r.QueryParameters.Enddate = new Date(2026, 3, 31);
        r.QueryParameters.User = "self";
        r.QueryParameters.Order = "starttime,endtime";
        r.QueryParameters.Sideload = SideloadSwitch.True;
    });
    Check(split?.Count == 1 && split.Abcenses![0].Id == absence!.Abcense!.Id && Same(split.Abcenses[0].Date, new Date(2026, 3, 3))
        && split.Abcenses[0].Minutes == 450 && split.Abcenses[0].AbsenceHours == 7.5
        && split.Abcensetypes?.SingleOrDefault()?.Name == "Sick (generated client)" && split.Users?.Any(u => u.Id == login.UserId) == true, "ttapi absence split with sideload");
    var fieldsOnly = await client.Ttapi.Absence.Split.GetAsync(r =>
    {
        r.QueryParameters.Startdate = new Date(2026, 3, 3);
        r.QueryParameters.Sideload0 = ["abcensetype.name"];
    });
    Check(fieldsOnly?.Count == 1 && fieldsOnly.Abcensetypes?.Single().Name == "Sick (generated client)" && fieldsOnly.Users is null, "ttapi absence split sideload[]");
    try
    {
        await client.Ttapi.Saldo.Daily.GetAsync(r => r.QueryParameters.Date = "2026-03-01_2040-03-01");
        Check(false, "ttapi 400 is an Error");
    }
    catch (Error e)
    {
        Check(e.ResponseStatusCode == 400 && e.ErrorProp == "invalid_filter", "ttapi 400 is an Error");
    }

    var refreshed = await client.Login.PostAsync(new TokenRequest
    {
        GrantType = GrantType.Refresh_token, ClientId = "openapi", RefreshToken = login.RefreshToken,
    });
    Check(refreshed?.AccessToken is { Length: > 0 } && refreshed.RefreshToken != login.RefreshToken, "login (refresh_token grant)");
    return 0;
}
catch (Exception e) when (e is ApiException or HttpRequestException or SmokeFailure)
{
    await Console.Error.WriteLineAsync($"FAILED: {e.GetType().Name}: {e.Message} {(e as Error)?.ErrorDescription}");
    return 1;
}

// Kiota's Date has no == operator (nor its own Equals): compared field by field.
static bool Same(Date? actual, Date expected) =>
    actual is { } value && value.Year == expected.Year && value.Month == expected.Month && value.Day == expected.Day;

static void Check(bool condition, string step)
{
    if (!condition)
    {
        throw new SmokeFailure(step);
    }
    Console.WriteLine("ok " + step);
}

namespace Worktime.ClientSmoke
{
    internal sealed class SmokeFailure(string step) : Exception("step failed: " + step);

    /// <summary>The access token of the last login; sent on every request once set.</summary>
    internal sealed class TokenHolder : IAccessTokenProvider
    {
        public string Token { get; set; } = "";

        public AllowedHostsValidator AllowedHostsValidator { get; } = new();

        public Task<string> GetAuthorizationTokenAsync(Uri uri, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(Token);
    }
}
