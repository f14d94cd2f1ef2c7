using System.Globalization;
using System.Text.Json;
using CsCheck;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Worktime.Api.Tests.Forms;
using Worktime.Api.Tests.Hardening;
using Worktime.Api.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Worktime.Api.Tests.TimeAccounting;

/// <summary>
/// Property-based (CsCheck), as the forms engine's findAll is tried in <see cref="HostileInputProperties"/>: random and
/// extreme dates, ranges, users, groups, orders and sideloads on every /ttapi route, sent through HTTP as a level-1 worker
/// and as a level-3 supervisor. For every request: never a 5xx, never another partner's data (its marker, its users'
/// balances, its absences), a worker never sees a colleague's rows, and the bytes the runtime allocated for that one
/// request stay under a bound (<see cref="RequestAllocations"/>: per request, read from the runtime's per-thread
/// counters along the request's own flow; a far date once cost close to a gigabyte). A failing input CsCheck prints
/// (shrunk, with its seed) becomes an example in <see cref="TtapiBoundsTests"/>.
/// </summary>
[VariesWith(Vary.BackendAndCulture)]
public sealed class TtapiHostileProperties(TtapiHostileFixture data, ITestOutputHelper output) : IClassFixture<TtapiHostileFixture>
{
    private const int Iterations = 300;

    /// <summary>
    /// What the largest answers a route can give really cost, with room for the runtime and the backends to differ
    /// (measured by <see cref="The_largest_answers_stay_under_the_allocation_bound"/>; the numbers and the reason are in
    /// docs/time-accounting.md, "Correctness and speed"). A walk over the days before a range, or an unbounded list, breaks it at once.
    /// </summary>
    private const long AllocationBound = 16L * 1024 * 1024;

    [Fact]
    public async Task AsAWorker_RandomAndExtremeParameters_NeverFailLeakOrExplode() =>
        await TtapiGen.Request(data).SampleAsync(r => CheckAsync(data.A.Worker, r), iter: Iterations, threads: 1);

    [Fact]
    public async Task AsASupervisor_RandomAndExtremeParameters_NeverFailLeakOrExplode() =>
        await TtapiGen.Request(data).SampleAsync(r => CheckAsync(data.A.Supervisor, r), iter: Iterations, threads: 1);

    /// <summary>
    /// The worst cases the routes allow — a ten-year daily balance at either end of the calendar, a ten-year calendar,
    /// a ten-year split of two absences over every day with every sideload and the longest order, a balance at
    /// 9999-12-31 — each under the bound (and printed: the numbers behind the bound).
    /// </summary>
    [Fact]
    public async Task The_largest_answers_stay_under_the_allocation_bound()
    {
        var days = Worktime.Api.TimeAccounting.TtapiParameters.MaxRangeDays - 1;
        static string D(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var first = DateOnly.MinValue;
        var last = DateOnly.MaxValue;
        var split = new DateOnly(2026, 10, 26);
        var order = string.Join(",", Enumerable.Range(0, 1000).Select(i => (i % 2 == 0 ? "-" : "") + TtapiGen.SplitOrderKeys[i % TtapiGen.SplitOrderKeys.Length]));
        var worker = data.A.Worker.Id.ToString(CultureInfo.InvariantCulture);
        string[] paths =
        [
            $"/ttapi/saldo/daily?date={D(first)}_{D(first.AddDays(days))}&userid={worker}",
            $"/ttapi/saldo/daily?date={D(last.AddDays(-days))}_{D(last)}&userid={worker}",
            $"/ttapi/workdayCalendar/workdayDays?date=2020-01-01_{D(new DateOnly(2020, 1, 1).AddDays(days))}&worktimegroup={data.Groups[0]}",
            $"/ttapi/absence/split?startdate={D(split)}&enddate={D(split.AddDays(days))}&sideload=true&order={order}",
            $"/ttapi/saldo/get_current_saldo?date=9999-12-31&userid={worker}",
        ];
        foreach (var path in paths)
        {
            var (status, bytes) = await MeasureAsync(data.A.Supervisor, path);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0 / 1024.0:F1} MiB ({bytes} B) {status} {path[..Math.Min(path.Length, 90)]}"));
            status.ShouldBe(200, path);
            bytes.ShouldBeLessThan(AllocationBound, path);
        }
    }

    private async Task<(int Status, long Bytes)> MeasureAsync(TenantUser caller, string path)
    {
        var id = Guid.NewGuid().ToString("N");
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add(RequestAllocations.Header, id);
        using var response = await caller.Client.SendAsync(request);
        await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, data.Allocations.Take(id));
    }

    private async Task CheckAsync(TenantUser caller, string path)
    {
        var measured = Guid.NewGuid().ToString("N");
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add(RequestAllocations.Header, measured);
        using var response = await caller.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var allocated = data.Allocations.Take(measured);

        var status = (int)response.StatusCode;
        status.ShouldBeLessThan(500, $"{path}\n=> {text}");
        allocated.ShouldBeLessThan(AllocationBound, $"{path}: {allocated} bytes allocated");
        text.ShouldNotContain(TtapiHostileFixture.Marker, Case.Insensitive, $"{path}\n=> {text}");
        if (status != 200)
        {
            return;
        }
        using var json = JsonDocument.Parse(text);
        var root = json.RootElement;
        var mayRead = caller.Level >= 3 ? data.PartnerAUsers : [caller.Id];
        if (root.TryGetProperty("abcenses", out var rows))
        {
            rows.EnumerateArray().Select(r => r.GetProperty("user").GetInt64()).ShouldAllBe(u => mayRead.Contains(u), $"{path}\n=> {text}");
            rows.EnumerateArray().Select(r => r.Id()).ShouldAllBe(id => !data.PartnerBAbsences.Contains(id), path);
        }
        if (root.TryGetProperty("users", out var users))
        {
            users.EnumerateArray().Select(r => r.Id()).ShouldAllBe(u => data.PartnerAUsers.Contains(u), $"{path}\n=> {text}");
        }
        if (path.Contains("/saldo/", StringComparison.Ordinal))
        {
            // A balance answered is the caller's own (levels 1–2) or someone of the caller's partner.
            var user = root.TryGetProperty("user", out var u) ? u.GetInt64() : (long?)null;
            if (user is { } id)
            {
                mayRead.ShouldContain(id, path);
            }
            data.PartnerBUsers.ShouldAllBe(b => !path.Contains("userid=" + b.ToString(CultureInfo.InvariantCulture) + "&", StringComparison.Ordinal)
                && !path.EndsWith("userid=" + b.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal), $"another partner's balance answered: {path}");
        }
    }
}

/// <summary>The generators: the routes' parameters as a client or an attacker would send them.</summary>
public static class TtapiGen
{
    private static Gen<T> Pick<T>(params T[] values) => Gen.OneOf(values);

    private static Gen<T> Any<T>(params Gen<T>[] gens) => Gen.OneOf<T>([.. gens.Cast<IGen<T>>()]);

    private static string Text(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Any day of the calendar, its ends, days around today and leap days, or text that is not a date.</summary>
    private static readonly Gen<string> Date = Any(
        Gen.Int[DateOnly.MinValue.DayNumber, DateOnly.MaxValue.DayNumber].Select(n => Text(DateOnly.FromDayNumber(n))),
        Pick("0001-01-01", "0001-01-02", "9999-12-31", "9999-12-30", "9999-12-25", "2026-11-01", "2026-11-02", "2026-02-28",
            "2024-02-29", "2199-12-31", "2200-01-01", "1899-12-31"),
        Pick("10000-01-01", "0000-12-31", "2025-02-29", "2026-13-01", "2026-1-1", "", " ", "x", "9999-12-32", "-0001-01-01", "%00", "99999999"));

    /// <summary>One date, a range of nearby or random dates (either order), or a malformed range.</summary>
    private static readonly Gen<string> Range = Any(
        Date,
        Gen.Select(Date, Date, (a, b) => a + "_" + b),
        Gen.Select(Gen.Int[DateOnly.MinValue.DayNumber, DateOnly.MaxValue.DayNumber], Gen.Int[0, 4000], (n, k) =>
            Text(DateOnly.FromDayNumber(n)) + "_" + Text(DateOnly.FromDayNumber(Math.Min(n + k, DateOnly.MaxValue.DayNumber)))),
        Pick("9999-12-22_9999-12-31", "0001-01-01_0001-12-31", "0001-01-01_9999-12-31", "_", "a_b_c", "2026-01-01__2026-01-02"));

    /// <summary>The keys the split's <c>order</c> takes (docs/time-accounting.md).</summary>
    public static readonly string[] SplitOrderKeys = ["date", "startdate", "starttime", "endtime", "id", "user", "abcensetype", "minutes", "absence_hours"];

    private static readonly string[] OrderKeys = [.. SplitOrderKeys, "password", "", "user.name"];

    private static readonly Gen<string> Order = Any(
        Pick(OrderKeys).Select(Gen.Bool, (k, d) => d ? "-" + k : k).Array[0, 12].Select(keys => string.Join(",", keys)),
        Gen.Int[1, 1500].Select(Pick(OrderKeys), (n, k) => string.Join(",", Enumerable.Repeat(k, n))));

    private static Gen<string> User(TtapiHostileFixture data) => Any(
        Pick(data.PartnerAUsers.Concat(data.PartnerBUsers).Select(id => id.ToString(CultureInfo.InvariantCulture)).ToArray()),
        Pick("self", "0", "-1", "99999999999", "9223372036854775807", "9223372036854775808", "1,2", "", "%00", "abc"));

    private static Gen<string> Group(TtapiHostileFixture data) => Any(
        Pick(data.Groups.Select(id => id.ToString(CultureInfo.InvariantCulture)).ToArray()),
        Pick("0", "-1", "x", "99999999999"));

    private static readonly Gen<string> Sideload = Pick(
        "sideload=true", "sideload=false", "sideload[]=abcensetype.name", "sideload[]=user.firstname", "sideload[]=user.email",
        "sideload[]=user.password", "sideload[0]=user.lastname", "sideload[]=x.y", "sideload[]=" + string.Join(",", Enumerable.Repeat("user.firstname", 1200)));

    private static string E(string value) => Uri.EscapeDataString(value);

    /// <summary>A path with query for one of the four routes; sometimes a parameter twice or an unknown one.</summary>
    public static Gen<string> Request(TtapiHostileFixture data) =>
        from route in Gen.Int[0, 3]
        from range in Range
        from date in Date
        from end in Date
        from user in User(data)
        from worktimegroup in Group(data)
        from order in Order
        from sideload in Sideload
        from shape in Gen.Int[0, 9]
        select route switch
        {
            0 => $"/ttapi/workdayCalendar/workdayDays?date={E(range)}" + (shape < 7 ? $"&worktimegroup={E(worktimegroup)}" : ""),
            1 => "/ttapi/saldo/get_current_saldo?" + (shape < 8 ? $"date={E(date)}&" : "") + $"userid={E(user)}",
            2 => $"/ttapi/saldo/daily?date={E(range)}&userid={E(user)}",
            _ => $"/ttapi/absence/split?startdate={E(date)}" + (shape < 5 ? $"&enddate={E(end)}" : "") + (shape % 2 == 0 ? $"&user={E(user)}" : "")
                + (shape < 6 ? $"&order={E(order)}" : "") + (shape % 3 == 0 ? "&" + sideload : ""),
        } + (shape == 9 ? "&extra=1" : "");
}

/// <summary>
/// Two partners on the fake clock: A (worker, supervisor, admin, another worker) with a calendar, balances starting at
/// both ends of history and absences up to the calendar's last day; B with its own users, group and absences, marked.
/// </summary>
public sealed class TtapiHostileFixture : IAsyncLifetime
{
    public const string Marker = "TTAPILEAK";

    public TtapiHostileFixture()
    {
        App = new(o =>
        {
            o.FakeClock = true;
            o.Settings["RateLimit:RequestsPerWindow"] = "1000000";
            o.Services = services => services.AddSingleton<IStartupFilter>(Allocations);
        });
    }

    /// <summary>The bytes each measured request allocated (<see cref="RequestAllocations"/>).</summary>
    public RequestAllocations Allocations { get; } = new();

    public WorktimeApplication App { get; }

    public Tenant A { get; private set; } = null!;

    public Tenant B { get; private set; } = null!;

    public IReadOnlyList<long> PartnerAUsers { get; private set; } = [];

    public IReadOnlyList<long> PartnerBUsers { get; private set; } = [];

    public IReadOnlyList<long> PartnerBAbsences { get; private set; } = [];

    public IReadOnlyList<long> Groups { get; private set; } = [];

    public async Task InitializeAsync()
    {
        await App.InitializeAsync();
        A = await Tenant.CreateAsync(App, [1, 3, 5], otherWorker: true);
        B = await Tenant.CreateAsync(App, [1, 5]);
        var groupA = await Accounting.GroupAsync(A.Admin, new { name = "FI", country = "fi" });
        var groupB = await Accounting.GroupAsync(B.Admin, new { name = Marker, country = "se" });
        await Accounting.SetUserAsync(A.Admin, A.Worker.Id, groupA, "0001-01-01", initial: 60);
        await Accounting.SetUserAsync(A.Admin, A.OtherWorker.Id, groupA, "9999-12-01");
        await Accounting.SetUserAsync(B.Admin, B.Worker.Id, groupB, "0001-01-01");
        await B.Admin.Client.PutJsonAsync($"/users/{B.Worker.Id}", new { user = new { firstname = Marker, email = Marker + "@b.test" } });
        var leave = await Accounting.AbsenceTypeAsync(A.Admin, "Leave", "days");
        var doctor = await Accounting.AbsenceTypeAsync(A.Admin, "Doctor", "hours");
        await Accounting.AbsenceAsync(A.Admin, new { user = A.Worker.Id, abcensetype = leave, startdate = "2026-10-26", enddate = "9999-12-31" });
        await Accounting.AbsenceAsync(A.Admin, new { user = A.Worker.Id, abcensetype = doctor, startdate = "0001-01-01", absence_hours = 24 });
        await Accounting.AbsenceAsync(A.Admin, new { user = A.OtherWorker.Id, abcensetype = leave, startdate = "0001-01-01", enddate = "9999-12-31" });
        await A.Admin.Client.CreateAsync("employments", "employment", new { user = A.Worker.Id, worktimegroup = groupA, valid_from = "9999-12-31", percent = 75.6 });
        await A.Admin.Client.CreateAsync("saldocorrections", "saldocorrection", new { user = A.Worker.Id, date = "9999-12-31", minutes = 5_000_000, description = "far" });
        await A.Admin.Client.CreateAsync("workdaydays", "workdayday", new { worktimegroup = groupA, date = "0001-01-01", minutes = 1440 });
        await Accounting.WorktimeAsync(A.Admin, A.Worker.Id, "9999-12-31", "00:00", "23:59");
        var typeB = await Accounting.AbsenceTypeAsync(B.Admin, Marker, "days");
        PartnerBAbsences =
        [
            await Accounting.AbsenceAsync(B.Admin, new { user = B.Worker.Id, abcensetype = typeB, startdate = "0001-01-01", enddate = "9999-12-31", description = Marker }),
            await Accounting.AbsenceAsync(B.Admin, new { user = B.Admin.Id, startdate = "2026-11-01", absence_hours = 24, description = Marker }),
        ];
        PartnerAUsers = [A.Worker.Id, A.OtherWorker.Id, A.Supervisor.Id, A.Admin.Id];
        PartnerBUsers = [B.Worker.Id, B.Admin.Id];
        Groups = [groupA, groupB];
    }

    public Task DisposeAsync() => App.DisposeAsync().AsTask();
}
