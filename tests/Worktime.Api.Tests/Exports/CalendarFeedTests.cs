using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dapper;
using Worktime.Api.Data;
using Worktime.Api.Tests.Forms;
using Worktime.Api.Tests.Infrastructure;
using Worktime.Api.Tests.TimeAccounting;

namespace Worktime.Api.Tests.Exports;

/// <summary>
/// Calendar feeds read by Python's icalendar: what each kind holds, all-day events with an exclusive DTEND, timed
/// hour-based absences, stable UIDs and ETags (304), secret URLs stored only as hashes, revocation, privileges.
/// The fake clock stands at 2026-11-02: a feed covers 2025-11-02 to 2027-11-02.
/// </summary>
[VariesWith(Vary.BackendAndCulture)]
public sealed partial class CalendarFeedTests(FakeClockFixture fixture) : IClassFixture<FakeClockFixture>
{
    private readonly WorktimeApplication app = fixture.App;

    private sealed record Team(Tenant T, long Holiday, long Doctor, long Sick);

    private async Task<Team> TeamAsync()
    {
        var t = await Tenant.CreateAsync(app, [1, 3, 5], otherWorker: true);
        var admin = t.Admin;
        var group = await Accounting.GroupAsync(admin, new { name = "FI", country = "fi" });
        await Accounting.SetUserAsync(admin, t.Worker.Id, group, "2026-01-01");
        using (var named = await admin.Client.PutJsonAsync($"/users/{t.OtherWorker.Id}", new { user = new { firstname = "Åsa", lastname = "Öberg" } }))
        {
            await named.ShouldBeJsonAsync(200);
        }
        var holiday = await Accounting.AbsenceTypeAsync(admin, "Vuosiloma", "days");
        var doctor = await Accounting.AbsenceTypeAsync(admin, "Lääkäri", "hours");
        var sick = await Accounting.AbsenceTypeAsync(admin, "Sairaus", "both");
        return new Team(t, holiday, doctor, sick);
    }

    [Fact]
    public async Task OwnFeed_HoldsTheirAbsencesAndDaysOff_AllDayWithExclusiveEnd_HourBasedTimed()
    {
        var d = await TeamAsync();
        var w = d.T.Worker;
        var vacation = await Accounting.AbsenceAsync(d.T.Admin, new { user = w.Id, abcensetype = d.Holiday, startdate = "2026-12-21", enddate = "2026-12-23", description = "Mökille" });
        var dentist = await Accounting.AbsenceAsync(d.T.Admin, new { user = w.Id, abcensetype = d.Doctor, startdate = "2026-11-10", starttime = "09:00", endtime = "11:30" });
        var hours = await Accounting.AbsenceAsync(d.T.Admin, new { user = w.Id, abcensetype = d.Sick, startdate = "2026-11-12", absence_hours = 2.5 });
        await Accounting.AbsenceAsync(d.T.Admin, new { user = w.Id, abcensetype = d.Holiday, startdate = "2028-01-10", enddate = "2028-01-12" });
        await Accounting.AbsenceAsync(d.T.Admin, new { user = d.T.OtherWorker.Id, abcensetype = d.Holiday, startdate = "2026-11-16", enddate = "2026-11-20" });

        var feed = await CreateAsync(w.Client, "own");
        var ics = await IndependentReaders.IcsAsync(await FetchAsync(feed.Url));

        ics.GetProperty("version").GetString().ShouldBe("2.0");
        var events = ics.GetProperty("events").EnumerateArray().ToDictionary(e => e.GetProperty("uid").GetString()!);
        var own = events.Values.Where(e => e.GetProperty("uid").GetString()!.StartsWith("abcense-", StringComparison.Ordinal)).ToList();
        own.Select(e => e.GetProperty("uid").GetString()).ShouldBe([feed.Uid(dentist), feed.Uid(hours), feed.Uid(vacation)], ignoreOrder: true,
            "the other worker's absence and the one beyond a year ahead are not in it");
        Event(events[feed.Uid(vacation)]).ShouldBe(("Vuosiloma", "date:2026-12-21", "date:2026-12-24"), "DTEND is the day after the last day");
        Event(events[feed.Uid(dentist)]).ShouldBe(("Lääkäri", "datetime:2026-11-10T09:00:00", "datetime:2026-11-10T11:30:00"), "floating local time");
        Event(events[feed.Uid(hours)]).ShouldBe(("Sairaus (2:30 h)", "date:2026-11-12", "date:2026-11-13"));
        events.Values.ShouldAllBe(e => !e.GetProperty("description").GetBoolean(), "an absence's reason never leaves in a feed");
        var daysOff = events.Values.Where(e => e.GetProperty("uid").GetString()!.StartsWith("dayoff-", StringComparison.Ordinal))
            .Select(e => (e.GetProperty("summary").GetString(), e.GetProperty("start").GetString(), e.GetProperty("end").GetString(), e.GetProperty("transp").GetString()))
            .ToList();
        daysOff.ShouldContain(("Itsenäisyyspäivä", "date:2026-12-06", "date:2026-12-07", "TRANSPARENT"), "a public holiday on a Sunday is still a holiday");
        daysOff.ShouldContain(("Joulupäivä", "date:2025-12-25", "date:2025-12-26", "TRANSPARENT"), "a year back");
        daysOff.ShouldContain(("Juhannuspäivä", "date:2027-06-26", "date:2027-06-27", "TRANSPARENT"), "a year ahead");
        daysOff.ShouldNotContain(d => string.CompareOrdinal(d.Item2, "date:2025-11-02") < 0 || string.CompareOrdinal(d.Item2, "date:2027-11-02") > 0);
    }

    [Fact]
    public async Task FetchingAgain_GivesTheSameUidsAndETag_IfNoneMatchIs304_AChangeIsANewETag()
    {
        var d = await TeamAsync();
        await Accounting.AbsenceAsync(d.T.Admin, new { user = d.T.Worker.Id, abcensetype = d.Holiday, startdate = "2026-12-01", enddate = "2026-12-02" });
        var feed = await CreateAsync(d.T.Worker.Client, "own");
        var anonymous = app.CreateClient();

        using var first = await anonymous.GetAsync(feed.Url);
        var firstBytes = await first.Content.ReadAsByteArrayAsync();
        using var second = await anonymous.GetAsync(feed.Url);
        var etag = first.Headers.ETag!;
        using var conditional = new HttpRequestMessage(HttpMethod.Get, feed.Url) { Headers = { IfNoneMatch = { etag } } };
        using var notModified = await anonymous.SendAsync(conditional);
        await Accounting.AbsenceAsync(d.T.Admin, new { user = d.T.Worker.Id, abcensetype = d.Holiday, startdate = "2026-12-03" });
        using var changedRequest = new HttpRequestMessage(HttpMethod.Get, feed.Url) { Headers = { IfNoneMatch = { etag } } };
        using var changed = await anonymous.SendAsync(changedRequest);

        first.StatusCode.ShouldBe(HttpStatusCode.OK);
        first.Content.Headers.ContentType!.MediaType.ShouldBe("text/calendar");
        first.Headers.CacheControl!.Private.ShouldBeTrue();
        (await second.Content.ReadAsByteArrayAsync()).ShouldBe(firstBytes, "the same rows give the same bytes");
        second.Headers.ETag.ShouldBe(etag);
        notModified.StatusCode.ShouldBe(HttpStatusCode.NotModified);
        (await notModified.Content.ReadAsByteArrayAsync()).ShouldBeEmpty();
        changed.StatusCode.ShouldBe(HttpStatusCode.OK);
        changed.Headers.ETag.ShouldNotBe(etag);
        var before = (await IndependentReaders.IcsAsync(firstBytes)).GetProperty("events").EnumerateArray().Select(e => e.GetProperty("uid").GetString()).ToList();
        var after = (await IndependentReaders.IcsAsync(await changed.Content.ReadAsByteArrayAsync())).GetProperty("events").EnumerateArray()
            .Select(e => e.GetProperty("uid").GetString()).ToList();
        before.ShouldBeSubsetOf(after, "every earlier event keeps its UID");
        after.Count.ShouldBe(before.Count + 1);
    }

    [Fact]
    public async Task TeamFeed_IsForLevels3To5_AndHoldsEveryonesAbsencesWithNames_OfTheirPartnerOnly()
    {
        var d = await TeamAsync();
        var other = await TeamAsync();
        var mine = await Accounting.AbsenceAsync(d.T.Admin, new { user = d.T.OtherWorker.Id, abcensetype = d.Holiday, startdate = "2026-11-16", enddate = "2026-11-20" });
        var worker = await Accounting.AbsenceAsync(d.T.Admin, new { user = d.T.Worker.Id, abcensetype = d.Doctor, startdate = "2026-11-18", starttime = "13:00", endtime = "14:00" });
        var foreign = await Accounting.AbsenceAsync(other.T.Admin, new { user = other.T.Worker.Id, abcensetype = other.Holiday, startdate = "2026-11-16" });

        using var refused = await d.T.Worker.Client.PostJsonAsync("/calendarfeeds", new { calendarfeed = new { kind = "team" } });
        var feed = await CreateAsync(d.T.Supervisor.Client, "team");
        var ics = await IndependentReaders.IcsAsync(await FetchAsync(feed.Url));

        await refused.ShouldBeErrorAsync(403, "forbidden");
        feed.Kind.ShouldBe("team");
        var events = ics.GetProperty("events").EnumerateArray().ToList();
        events.Select(e => (e.GetProperty("uid").GetString(), e.GetProperty("summary").GetString())).ShouldBe(
            [(feed.Uid(mine), "Åsa Öberg: Vuosiloma"), (feed.Uid(worker), $"User {d.T.Worker.Id}: Lääkäri")], ignoreOrder: true);
        events.ShouldNotContain(e => e.GetProperty("uid").GetString() == feed.Uid(foreign));
        ics.GetProperty("name").GetString().ShouldBe("Worktime: team absences");
    }

    [Fact]
    public async Task TokenIsSecret_StoredOnlyAsAHash_ListedWithoutIt_RevokedAtOnce()
    {
        var d = await TeamAsync();
        var feed = await CreateAsync(d.T.Worker.Client, "own");
        var second = await CreateAsync(d.T.Worker.Client, "own");
        var token = TokenOf().Match(feed.Url).Groups[1].Value;

        var list = await d.T.Worker.Client.ReadAsync("/calendarfeeds");
        var othersList = await d.T.OtherWorker.Client.ReadAsync("/calendarfeeds");
        await using var connection = await app.Service<Database>().OpenAsync();
        var stored = (await connection.QueryAsync<string>("SELECT token_hash FROM calendar_feeds WHERE user_id = @id", new { id = d.T.Worker.Id })).ToList();
        using var notTheirs = await d.T.OtherWorker.Client.DeleteAsync($"/calendarfeeds/{feed.Id}");
        var stillThere = await FetchAsync(feed.Url);
        using var revoked = await d.T.Worker.Client.DeleteAsync($"/calendarfeeds/{feed.Id}");
        using var gone = await app.CreateClient().GetAsync(feed.Url);
        using var again = await d.T.Worker.Client.DeleteAsync($"/calendarfeeds/{feed.Id}");

        token.Length.ShouldBe(43, "256 random bits, base64url");
        list.GetProperty("count").GetInt32().ShouldBe(2);
        list.GetProperty("calendarfeeds").EnumerateArray().Select(f => string.Join(",", f.Keys())).ShouldAllBe(keys => keys == "id,kind,created");
        list.GetRawText().ShouldNotContain(token);
        othersList.GetProperty("count").GetInt32().ShouldBe(0);
        stored.Count.ShouldBe(2);
        stored.ShouldNotContain(token);
        stored.ShouldContain(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(token))));
        await notTheirs.ShouldBeErrorAsync(404, "not_found");
        stillThere.ShouldNotBeEmpty();
        (await revoked.ShouldBeJsonAsync(200)).GetRawText().ShouldBe("""{"removed":true}""");
        await gone.ShouldBeErrorAsync(404, "not_found");
        await again.ShouldBeErrorAsync(404, "not_found");
        (await FetchAsync(second.Url)).ShouldNotBeEmpty("revoking one feed leaves the others");
    }

    [Theory]
    [InlineData("/ics/short.ics")]
    [InlineData("/ics/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.ics")]
    [InlineData("/ics/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("/ics/%2e%2e%2fAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.ics")]
    public async Task AnUnknownOrMalformedTokenIs404(string path)
    {
        using var response = await app.CreateClient().GetAsync(path);

        await response.ShouldBeErrorAsync(404, "not_found");
    }

    [Fact]
    public async Task AFeedStopsWhenItsOwnerIsDisabled_OrATeamFeedsOwnerLosesTheLevel()
    {
        var d = await TeamAsync();
        var own = await CreateAsync(d.T.OtherWorker.Client, "own");
        var team = await CreateAsync(d.T.Supervisor.Client, "team");
        (await FetchAsync(own.Url)).ShouldNotBeEmpty();
        (await FetchAsync(team.Url)).ShouldNotBeEmpty();

        using (var disable = await d.T.Admin.Client.PutJsonAsync($"/users/{d.T.OtherWorker.Id}", new { user = new { status = "inactive" } }))
        {
            await disable.ShouldBeJsonAsync(200);
        }
        using (var demote = await d.T.Admin.Client.PutJsonAsync($"/users/{d.T.Supervisor.Id}", new { user = new { userlevel = 1 } }))
        {
            await demote.ShouldBeJsonAsync(200);
        }

        using var ownGone = await app.CreateClient().GetAsync(own.Url);
        using var teamGone = await app.CreateClient().GetAsync(team.Url);
        await ownGone.ShouldBeErrorAsync(404, "not_found");
        await teamGone.ShouldBeErrorAsync(404, "not_found");
    }

    [Theory]
    [InlineData("{\"calendarfeed\":{\"kind\":\"everyone\"}}", 400, "validation_failed")]
    [InlineData("{\"calendarfeed\":{}}", 400, "validation_failed")]
    [InlineData("{\"kind\":\"own\"}", 400, "invalid_request")]
    [InlineData("not json", 400, "invalid_request")]
    public async Task ABadBodyIs400(string body, int status, string error)
    {
        var t = await Tenant.CreateAsync(app, [5]);

        using var response = await t.Admin.Client.SendRawAsync(HttpMethod.Post, "/calendarfeeds", body);

        await response.ShouldBeErrorAsync(status, error);
        (await t.Admin.Client.ReadAsync("/calendarfeeds")).GetProperty("count").GetInt32().ShouldBe(0);
    }

    [Fact]
    public async Task APersonKeepsAtMostTwentyFeeds()
    {
        var t = await Tenant.CreateAsync(app, [1]);
        for (var i = 0; i < 20; i++)
        {
            await CreateAsync(t.Worker.Client, "own");
        }

        using var tooMany = await t.Worker.Client.PostJsonAsync("/calendarfeeds", new { calendarfeed = new { kind = "own" } });

        await tooMany.ShouldBeErrorAsync(409, "too_many_feeds");
    }

    private sealed record Feed(long Id, string Kind, string Url, string Host)
    {
        /// <summary>The UID of an absence's event: stable, and named after the server's public host (Auth:Issuer).</summary>
        public string Uid(long absence) => $"abcense-{absence}@{Host}";
    }

    private static async Task<Feed> CreateAsync(HttpClient client, string kind)
    {
        using var response = await client.PostJsonAsync("/calendarfeeds", new { calendarfeed = new { kind } });
        var body = (await response.ShouldBeJsonAsync(201)).GetProperty("calendarfeed");
        body.Keys().ShouldBe(["id", "kind", "created", "url"]);
        var url = body.GetProperty("url").GetString()!;
        TokenOf().IsMatch(url).ShouldBeTrue(url);
        return new Feed(body.Id(), body.GetProperty("kind").GetString()!, new Uri(url).PathAndQuery, new Uri(url).Host);
    }

    /// <summary>A feed's document, fetched without any login as a calendar app does.</summary>
    private async Task<byte[]> FetchAsync(string path)
    {
        using var response = await app.CreateClient().GetAsync(path);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, System.Text.Encoding.UTF8.GetString(bytes));
        return bytes;
    }

    private static (string?, string?, string?) Event(JsonElement e) =>
        (e.GetProperty("summary").GetString(), e.GetProperty("start").GetString(), e.GetProperty("end").GetString());

    [GeneratedRegex(@"/ics/([A-Za-z0-9_-]+)\.ics$")]
    private static partial Regex TokenOf();
}
