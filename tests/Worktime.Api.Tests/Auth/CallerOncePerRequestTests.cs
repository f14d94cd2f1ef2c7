using System.Net;
using System.Text.Json;
using Worktime.Api.Auth;
using Worktime.Api.Tests.Forms;
using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.Auth;

/// <summary>
/// docs/architecture.md, "The caller": the caller is read from the access token's claims once per request, by the
/// bearer handler (<see cref="CallerClaims"/>), and the quota, the forms engine, time accounting and the exports
/// take it from the request's principal. <see cref="CallerClaims.Reads"/> counts every read of this app.
/// </summary>
/// <remarks>One app for the class: each test makes its own partner and counts the reads of its own requests.</remarks>
[VariesWith(Vary.Nothing)]
public sealed class CallerOncePerRequestTests(WorktimeApplication app) : IClassFixture<WorktimeApplication>
{

    [Fact]
    public async Task A_month_listing_with_sideloads_reads_the_callers_claims_once()
    {
        var t = await Tenant.CreateAsync(app, [1, 2]);
        using var created = await t.Worker.Client.PostJsonAsync("/worktimes", new { worktime = new { date = WorktimeApplication.CurrentMonthDay } });
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        var month = WorktimeApplication.CurrentMonthDay[..7];
        var last = DateTime.DaysInMonth(int.Parse(month[..4], System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(month[5..], System.Globalization.CultureInfo.InvariantCulture));
        var claims = app.Service<CallerClaims>();

        var before = claims.Reads;
        using var listing = await t.Worker.Client.GetAsync($"/worktimes?date={month}-01_{month}-{last:00}&sideload=true");

        listing.StatusCode.ShouldBe(HttpStatusCode.OK);
        claims.Reads.ShouldBe(before + 1);
        // What the one read fed: the quota's count for this user, the engine's read scope and the sideloaded user.
        listing.Headers.GetValues("x-collectorapi-request-limit").Single().ShouldMatch(@"^\d+/\d+ expires ");
        using var body = JsonDocument.Parse(await listing.Content.ReadAsStringAsync());
        body.RootElement.GetProperty("count").GetInt32().ShouldBe(1);
        body.RootElement.GetProperty("users").EnumerateArray().Single().GetProperty("id").GetInt64().ShouldBe(t.Worker.Id);
    }

    [Fact]
    public async Task Every_request_reads_its_own_token_once_and_a_refused_token_reads_nothing_into_the_request()
    {
        var t = await Tenant.CreateAsync(app, [1, 2]);
        var claims = app.Service<CallerClaims>();
        var before = claims.Reads;

        using var mine = await t.Worker.Client.GetAsync("/me");
        using var theirs = await t.Foreman.Client.GetAsync("/me");
        using var saldo = await t.Worker.Client.GetAsync($"/ttapi/saldo/get_current_saldo?userid={t.Worker.Id}&date={WorktimeApplication.CurrentMonthDay}");

        claims.Reads.ShouldBe(before + 3);
        (await Id(mine)).ShouldBe(t.Worker.Id);
        (await Id(theirs)).ShouldBe(t.Foreman.Id);
        saldo.StatusCode.ShouldBe(HttpStatusCode.OK);

        using var anonymous = await app.CreateClient().GetAsync("/me");
        await anonymous.ShouldBeErrorAsync(401, "invalid_request");
        claims.Reads.ShouldBe(before + 3); // no token: nothing to read
    }

    private static async Task<long> Id(HttpResponseMessage response)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("user").GetProperty("id").GetInt64();
    }
}
