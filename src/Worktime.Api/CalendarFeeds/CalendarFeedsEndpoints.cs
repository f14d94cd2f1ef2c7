using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using Worktime.Api.Http;
using Worktime.Api.Quota;

namespace Worktime.Api.CalendarFeeds;

/// <summary>
/// Calendar feeds (docs/exports.md, "Calendar feeds"), also under <c>/1.1/</c>:
/// | route                          | handler |
/// |--------------------------------|---------|
/// | POST   /calendarfeeds          | <see cref="CalendarFeedsApi.CreateAsync"/> (201, the URL shown once) |
/// | GET    /calendarfeeds          | <see cref="CalendarFeedsApi.ListAsync"/> |
/// | DELETE /calendarfeeds/{id}     | <see cref="CalendarFeedsApi.DeleteAsync"/> |
/// | GET    /ics/{token}.ics        | the feed itself: no login (calendar apps cannot log in), the token is the key |
/// </summary>
internal static class CalendarFeedsEndpoints
{
    public const string Tag = "Calendar feeds";

    public static WebApplication MapCalendarFeeds(this WebApplication app)
    {
        var group = app.MapGroup("/calendarfeeds").RequireAuthorization().RequireRequestQuota().WithTags(Tag);
        group.MapPost("", (CalendarFeedsApi api, HttpRequest request, CancellationToken ct) => api.CreateAsync(request, ct))
            .WithName("createCalendarFeed")
            .WithSummary("Creates a calendar feed (own: your absences and holidays; team: everyone's absences, levels 3-5) and answers its secret URL, shown only here")
            .Accepts<CalendarFeedRequest>("application/json")
            .Produces<CalendarFeedEnvelope>(StatusCodes.Status201Created)
            .Produces<ApiError>(StatusCodes.Status403Forbidden)
            .Produces<ApiError>(StatusCodes.Status409Conflict);
        group.MapGet("", (CalendarFeedsApi api, CancellationToken ct) => api.ListAsync(ct))
            .WithName("listCalendarFeeds")
            .WithSummary("Your calendar feeds, without their URLs")
            .Produces<CalendarFeedList>();
        group.MapDelete("/{id}", (CalendarFeedsApi api, string id, CancellationToken ct) => api.DeleteAsync(id, ct))
            .WithName("removeCalendarFeed")
            .WithSummary("Revokes one of your calendar feeds: its URL answers 404 at once")
            .Produces<RemovedBody>()
            .Produces<ApiError>(StatusCodes.Status404NotFound);
        app.MapGet("/ics/{file}", FeedAsync)
            .WithTags(Tag)
            .WithName("getCalendarFeed")
            .WithSummary("The iCalendar (RFC 5545) document of a feed: /ics/<token>.ics as created; no login, answers 304 to If-None-Match")
            .Produces<string>(StatusCodes.Status200OK, "text/calendar")
            .Produces(StatusCodes.Status304NotModified)
            .Produces<ApiError>(StatusCodes.Status404NotFound);
        // HEAD answers like GET (a calendar app may check before it fetches); one operation in the document.
        app.MapMethods("/ics/{file}", ["HEAD"], FeedAsync).ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> FeedAsync(string file, CalendarFeedStore store, FeedCalendar calendars, HttpContext http, CancellationToken ct)
    {
        var token = file.EndsWith(".ics", StringComparison.Ordinal) ? file[..^4] : "";
        if (await store.FindAsync(token, ct) is not { } feed || await calendars.BuildAsync(feed, ct) is not { } document)
        {
            return ApiError.NotFound("There is no such calendar feed (it may have been revoked).").ToResult();
        }
        var response = http.Response;
        response.Headers.ETag = document.ETag;
        // Calendar apps poll: each poll revalidates (304 when nothing changed); no shared cache keeps a person's data.
        response.Headers.CacheControl = "private, no-cache";
        response.Headers.XContentTypeOptions = "nosniff";
        if (Matches(http.Request.Headers.IfNoneMatch, document.ETag))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }
        return Results.Text(document.Text, "text/calendar; charset=utf-8");
    }

    /// <summary>If-None-Match (RFC 9110 §13.1.2): <c>*</c> or any listed tag, compared weakly.</summary>
    private static bool Matches(StringValues ifNoneMatch, string etag)
    {
        if (StringValues.IsNullOrEmpty(ifNoneMatch))
        {
            return false;
        }
        return EntityTagHeaderValue.TryParseList(ifNoneMatch, out var tags)
            && tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(new EntityTagHeaderValue(etag), useStrongComparison: false));
    }
}

/// <summary>The body of <c>POST /calendarfeeds</c> (documentation type).</summary>
internal sealed record CalendarFeedRequest([property: System.Text.Json.Serialization.JsonPropertyName("calendarfeed")] CalendarFeedKind Calendarfeed);

internal sealed record CalendarFeedKind([property: System.Text.Json.Serialization.JsonPropertyName("kind")] string Kind);

internal sealed record RemovedBody([property: System.Text.Json.Serialization.JsonPropertyName("removed")] bool Removed);
