using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Primitives;
using Worktime.Api.Auth;
using Worktime.Api.Forms;
using Worktime.Api.Forms.Definitions;
using Worktime.Api.Http;
using Worktime.Api.TimeAccounting;
using Worktime.Api.WebApp.Localization;

namespace Worktime.Api.WebApp.Supervisor;

/// <summary>One person's numbers of a period (minutes), as <c>GET /ttapi/saldo/daily</c> answers them.</summary>
internal sealed record TeamMember(long Id, string Name, long Worked, long Absence, long Expected, long Difference, long Balance,
    long OpenRows, string? Error);

/// <summary>
/// What the team page reads and does, as the page's user through the API's own code (docs/webapp.md, "Team"): the
/// people are the options of <c>GET /worktime/users</c>, each one's numbers are <c>GET /ttapi/saldo/daily</c>, the
/// rows still to accept are counted from <c>GET /worktimes?status=open</c>, and accepting is the bulk update
/// <c>PUT /worktimes</c> with <c>status: accepted</c>. The API's privileges, validation and audit apply to all of it.
/// </summary>
internal sealed class TeamBoard(FormRows rows, FormRegistry registry, TimeAccountingApi accounting, CurrentUser caller)
{
    /// <summary>People per page of the team table.</summary>
    public const int PageSize = 50;

    /// <summary>The most rows one bulk update takes (docs/forms.md).</summary>
    private const int BulkLimit = 1000;

    private FormDefinition Worktime => registry.Get("worktime");

    /// <summary>A page of the partner's people (sorted by name) with their numbers of the period; and how many people there are.</summary>
    public async Task<Outcome<(IReadOnlyList<TeamMember> Members, long Count)>> MembersAsync(
        TeamPeriod period, DateOnly countedTo, int offset, CancellationToken ct)
    {
        var people = await rows.OptionsAsync(Worktime, Worktime.Field("user")!, caller,
            Parameters(("limit", PageSize.ToString(CultureInfo.InvariantCulture)), ("offset", offset.ToString(CultureInfo.InvariantCulture))), ct);
        if (people.Error is { } error)
        {
            return error;
        }
        var open = await OpenRowsPerPersonAsync(period, people.Value!.Options.Select(o => o.Id).ToList(), ct);
        var members = new List<TeamMember>();
        foreach (var person in people.Value.Options)
        {
            // The very handler of GET /ttapi/saldo/daily?userid=…&date=…, as the page's user.
            var (daily, problem, _) = ApiAnswer.Read<SaldoDailyResponse>(await accounting.DailySaldoAsync(
                ApiAnswer.Query(("userid", Id(person.Id)), ("date", Formats.Iso(period.From) + "_" + Formats.Iso(countedTo))), ct));
            var days = daily?.Days ?? [];
            members.Add(new TeamMember(person.Id, string.IsNullOrWhiteSpace(person.Text) ? "#" + Id(person.Id) : person.Text, days.Sum(d => d.WorkedMinutes), days.Sum(d => d.AbsenceMinutes),
                days.Sum(d => d.ExpectedMinutes), days.Sum(d => d.BalanceMinutes), days.Count > 0 ? days[^1].RunningMinutes : daily?.InitialMinutes ?? 0,
                open.GetValueOrDefault(person.Id), problem?.Description));
        }
        return (members, people.Value.Count);
    }

    /// <summary>
    /// Accepts every open worktime of the period — of one person, or of everyone the caller may read — as
    /// <c>GET /worktimes?date=…&amp;status=open[&amp;user=…]</c> then <c>PUT /worktimes</c> with the ids and
    /// <c>status: accepted</c> (at most 1,000 ids a call, each call all or nothing). Answers how many were accepted.
    /// </summary>
    public async Task<Outcome<int>> AcceptAsync(TeamPeriod period, long? user, CancellationToken ct)
    {
        var query = rows.Query(Worktime, caller, Parameters(("date", period.Range), ("status", "open"),
            ("user", user is { } u ? Id(u) : null)));
        if (query.Error is { } error)
        {
            return error;
        }
        var ids = (await rows.ListAsync(query.Value!, ct)).Select(r => r.Id).ToList();
        foreach (var chunk in ids.Chunk(BulkLimit))
        {
            var fields = JsonSerializer.SerializeToElement(new Dictionary<string, object> { ["id"] = chunk, ["status"] = "accepted" });
            var updated = await rows.BulkUpdateAsync(Worktime, caller, fields, validate: true, ct);
            if (updated.Error is { } refused)
            {
                return refused;
            }
        }
        return ids.Count;
    }

    /// <summary>Open worktimes per person in the period: what <c>GET /worktimes?date=…&amp;status=open&amp;user=…&amp;limit=0</c> counts.</summary>
    private async Task<Dictionary<long, long>> OpenRowsPerPersonAsync(TeamPeriod period, List<long> people, CancellationToken ct)
    {
        if (people.Count == 0)
        {
            return [];
        }
        var query = rows.Query(Worktime, caller, Parameters(("date", period.Range), ("status", "open"),
            ("user", string.Join(',', people.Select(Id)))));
        if (query.Value is null)
        {
            return [];
        }
        return (await rows.SumAsync(query.Value, ["user"], [], ct))
            .Where(g => g.KeyLong("user") is not null)
            .ToDictionary(g => g.KeyLong("user")!.Value, g => g.Count);
    }

    private static IEnumerable<KeyValuePair<string, StringValues>> Parameters(params (string Name, string? Value)[] parameters) =>
        parameters.Where(p => p.Value is not null).Select(p => KeyValuePair.Create(p.Name, new StringValues(p.Value)));

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);
}
