using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Ical.Net;
using Calendar = Ical.Net.Calendar;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using Worktime.Api.Auth;
using Worktime.Api.Forms;
using Worktime.Api.Forms.Definitions;
using Worktime.Api.TimeAccounting;

namespace Worktime.Api.CalendarFeeds;

/// <summary>An ICS document and its entity tag.</summary>
internal sealed record FeedDocument(string Text, string ETag);

/// <summary>
/// The iCalendar (RFC 5545) text of a feed, built with Ical.Net from the same sources as the balance
/// (docs/exports.md, "Calendar feeds"): the absences that count (an absence waiting for approval counts only once
/// accepted, so it is not in any feed before) from one year back to one year ahead, and for an <c>own</c> feed the days
/// off of the person's calendar. Only what the kind says: names of absence types and of people, never an
/// absence's description. The text depends only on the rows and the day, so fetching twice gives the same bytes
/// and the same <c>ETag</c>.
/// </summary>
internal sealed class FeedCalendar(AccountingStore store, FormRows forms, IssuerAddress issuer, TimeProvider time)
{
    /// <summary>The feed's text; null when its owner can no longer have it (removed, disabled, below the team level).</summary>
    public async Task<FeedDocument?> BuildAsync(CalendarFeed feed, CancellationToken ct)
    {
        var owner = (await forms.ListAsync(forms.PartnerQuery(BuiltInForms.User, feed.PartnerId).In("id", [feed.UserId]), ct)).SingleOrDefault();
        if (owner is null || owner.Text("status") == "inactive" || (feed.Kind == CalendarFeedKinds.Team && Level(owner) < CalendarFeedKinds.TeamLevel))
        {
            return null;
        }
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var (from, to) = (today.AddYears(-1), today.AddYears(1));
        var host = Host();
        var calendar = new Calendar { ProductId = "-//Worktime//Calendar feeds//EN", Scale = "GREGORIAN" };
        calendar.AddProperty("X-WR-CALNAME", feed.Kind == CalendarFeedKinds.Team ? "Worktime: team absences" : "Worktime: absences and holidays");
        // RFC 7986 REFRESH-INTERVAL and its older spelling: poll hourly.
        calendar.AddProperty("REFRESH-INTERVAL;VALUE=DURATION", "PT1H");
        calendar.AddProperty("X-PUBLISHED-TTL", "PT1H");

        var absences = await store.AbsencesAsync(feed.PartnerId, feed.Kind == CalendarFeedKinds.Team ? null : feed.UserId, from, to, ct);
        var people = feed.Kind == CalendarFeedKinds.Team
            ? (await forms.ListAsync(forms.PartnerQuery(BuiltInForms.User, feed.PartnerId).In("id", absences.Select(a => a.User)), ct))
                .ToDictionary(u => u.Id, Name)
            : new Dictionary<long, string> { [owner.Id] = Name(owner) };
        var typeIds = absences.Select(a => a.Type).OfType<long>().Distinct().ToList();
        var types = typeIds.Count == 0 ? [] : (await forms.ListAsync(forms.PartnerQuery(BuiltInForms.Abcensetype, feed.PartnerId).AnyStatus().In("id", typeIds), ct))
            .ToDictionary(t => t.Id, t => t.Text("name") ?? "Absence");
        foreach (var absence in absences.Where(a => people.ContainsKey(a.User)).OrderBy(a => a.Start).ThenBy(a => a.Id))
        {
            var type = absence.Type is { } id && types.TryGetValue(id, out var name) ? name : "Absence";
            var summary = feed.Kind == CalendarFeedKinds.Team ? $"{people[absence.User]}: {type}" : type;
            calendar.Events.Add(AbsenceEvent(absence, summary, host));
        }
        if (feed.Kind == CalendarFeedKinds.Own)
        {
            AddDaysOff(calendar, await DaysOffAsync(feed, from, to, ct), feed.UserId, host);
        }
        var text = new CalendarSerializer().SerializeToString(calendar) ?? "";
        var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 16)) + "\"";
        return new FeedDocument(text, etag);
    }

    /// <summary>
    /// A day-based absence is an all-day event whose DTEND is the day after its last day (DTEND is exclusive,
    /// RFC 5545 §3.6.1); an hour-based one with a start and end time a timed event on its start day in floating
    /// local time (the clock on the wall wherever the person is); one with hours but no times an all-day event on its
    /// start day saying the hours.
    /// </summary>
    private static CalendarEvent AbsenceEvent(AbsenceRecord absence, string summary, string host)
    {
        var e = new CalendarEvent { Uid = $"abcense-{Id(absence.Id)}@{host}", DtStamp = Stamp(absence.Revised) };
        e.LastModified = e.DtStamp;
        if (absence.IsHourBased && Time(absence.StartTime) is { } start && Time(absence.EndTime) is { } end)
        {
            e.Summary = summary;
            e.DtStart = new CalDateTime(absence.Start, start, null);
            e.DtEnd = new CalDateTime(end > start ? absence.Start : DayAfter(absence.Start), end, null);
            return e;
        }
        if (absence.IsHourBased)
        {
            e.Summary = $"{summary} ({Hours(absence.OwnMinutes())})";
            e.DtStart = new CalDateTime(absence.Start);
            e.DtEnd = new CalDateTime(DayAfter(absence.Start));
            return e;
        }
        e.Summary = summary;
        e.DtStart = new CalDateTime(absence.Start);
        e.DtEnd = new CalDateTime(DayAfter(absence.LastDay));
        return e;
    }

    /// <summary>
    /// The days off of the person's calendar in the range (docs/time-accounting.md): public holidays that expect
    /// nothing, and named workday days that expect less than their weekday (a company day off, a short eve).
    /// </summary>
    private async Task<List<CalendarDay>> DaysOffAsync(CalendarFeed feed, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var users = await store.UsersAsync(feed.PartnerId, [feed.UserId], ct);
        if (!users.TryGetValue(feed.UserId, out var user))
        {
            return [];
        }
        var calendar = (await store.CalendarsAsync(feed.PartnerId, [user], from, to, ct))[user.Id];
        var days = new List<CalendarDay>();
        for (var date = from; date <= to; date = date.AddDays(1))
        {
            if (calendar.Day(date) is { Name: not null } day
                && ((day.PublicHoliday && day.ExpectedMinutes == 0) || (day.WorkdaydayId is not null && day.ExpectedMinutes < day.WeekdayMinutes)))
            {
                days.Add(day);
            }
        }
        return days;
    }

    private static void AddDaysOff(Calendar calendar, List<CalendarDay> days, long user, string host)
    {
        foreach (var day in days)
        {
            var e = new CalendarEvent
            {
                Uid = $"dayoff-{day.Date.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}-{Id(user)}@{host}",
                // A holiday's text never changes; a stamp from its year keeps the bytes (and the ETag) stable.
                DtStamp = new CalDateTime(new DateTime(day.Date.Year, 1, 1, 0, 0, 0, DateTimeKind.Utc), "UTC", true),
                Summary = day.ExpectedMinutes == 0 ? day.Name : $"{day.Name} ({Hours(day.ExpectedMinutes)})",
                DtStart = new CalDateTime(day.Date),
                DtEnd = new CalDateTime(day.Date.AddDays(1)),
                Transparency = "TRANSPARENT",
            };
            calendar.Events.Add(e);
        }
    }

    private string Host() => Uri.TryCreate(issuer.Issuer, UriKind.Absolute, out var uri) ? uri.Host : "worktime";

    private static int Level(StoredRow user) => (int)(user.Long("userlevel") ?? 1);

    private static string Name(StoredRow user)
    {
        var name = string.Join(' ', new[] { user.Text("firstname"), user.Text("lastname") }.Where(t => !string.IsNullOrWhiteSpace(t)));
        return name.Length > 0 ? name : $"User {Id(user.Id)}";
    }

    private static CalDateTime Stamp(string? revised) =>
        DateTime.TryParse(revised, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at)
            ? new CalDateTime(DateTime.SpecifyKind(at, DateTimeKind.Utc), "UTC", true)
            : new CalDateTime(new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc), "UTC", true);

    private static TimeOnly? Time(string? text) =>
        TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t : null;

    private static string Hours(long minutes) => string.Create(CultureInfo.InvariantCulture, $"{minutes / 60}:{minutes % 60:00} h");

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    /// <summary>The exclusive end of an all-day event; on 9999-12-31, the calendar's last day, that day itself.</summary>
    private static DateOnly DayAfter(DateOnly day) => day == DateOnly.MaxValue ? day : day.AddDays(1);
}

/// <summary>The kinds of feed and who may have them.</summary>
internal static class CalendarFeedKinds
{
    public const string Own = "own";
    public const string Team = "team";

    /// <summary>A team feed shows every person's absences: levels 3–5, who read them all through the API too.</summary>
    public const int TeamLevel = 3;
}
