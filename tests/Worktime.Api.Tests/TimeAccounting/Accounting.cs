using System.Globalization;
using System.Text.Json;
using Worktime.Api.Tests.Forms;

namespace Worktime.Api.Tests.TimeAccounting;

/// <summary>Sets up time-accounting data through the forms API (as an admin) and reads the /ttapi routes.</summary>
public static class Accounting
{
    public static async Task<long> GroupAsync(TenantUser admin, object body) =>
        (await admin.Client.CreateAsync("worktimegroups", "worktimegroup", body)).Id();

    /// <summary>Gives <paramref name="user"/> a group, a balance start and carried-over minutes.</summary>
    public static async Task SetUserAsync(TenantUser admin, long user, long? group, string saldoStart, long initial = 0)
    {
        using var response = await admin.Client.PutJsonAsync($"/users/{user}", new Dictionary<string, object>
        {
            ["user"] = new Dictionary<string, object?> { ["worktimegroup"] = group, ["saldo_start"] = saldoStart, ["saldo_initial"] = initial },
        });
        await response.ShouldBeJsonAsync(200);
    }

    public static Task<JsonElement> WorktimeAsync(TenantUser admin, long user, string date, string start, string end, int pause = 0) =>
        admin.Client.CreateAsync("worktimes", "worktime", new { date, user, starttime = start, endtime = end, pause });

    public static async Task<long> AbsenceTypeAsync(TenantUser admin, string name, string type, bool paid = true) =>
        (await admin.Client.CreateAsync("abcensetypes", "abcensetype", new { name, type, paid })).Id();

    public static async Task<long> AbsenceAsync(TenantUser admin, object body) =>
        (await admin.Client.CreateAsync("abcenses", "abcense", body)).Id();

    public static async Task<JsonElement> ReadAsync(this HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        return await response.ShouldBeJsonAsync(200);
    }

    public static Task<JsonElement> SaldoAsync(HttpClient client, long user, string date) =>
        client.ReadAsync($"/ttapi/saldo/get_current_saldo?userid={user}&date={date}");

    public static long Minutes(this JsonElement element, string name) => element.GetProperty(name).GetInt64();

    /// <summary>Every date from <paramref name="from"/> to <paramref name="to"/> (inclusive) that is Monday–Friday.</summary>
    public static IEnumerable<string> Weekdays(string from, string to)
    {
        for (var day = Parse(from); day <= Parse(to); day = day.AddDays(1))
        {
            if (day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
            {
                yield return Text(day);
            }
        }
    }

    public static DateOnly Parse(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Text(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
