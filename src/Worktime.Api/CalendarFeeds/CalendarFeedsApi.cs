using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Worktime.Api.Auth;
using Worktime.Api.Forms;
using Worktime.Api.Http;

namespace Worktime.Api.CalendarFeeds;

internal sealed record CalendarFeedRow(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("created")] string Created)
{
    /// <summary>The feed's address: only in the answer that created it (the token is never stored).</summary>
    [JsonPropertyName("url")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Url { get; init; }
}

internal sealed record CalendarFeedEnvelope([property: JsonPropertyName("calendarfeed")] CalendarFeedRow Calendarfeed);

internal sealed record CalendarFeedList(
    [property: JsonPropertyName("calendarfeeds")] IReadOnlyList<CalendarFeedRow> Calendarfeeds,
    [property: JsonPropertyName("count")] int Count);

/// <summary>The handlers of <see cref="CalendarFeedsEndpoints"/> for one request (docs/exports.md, "Calendar feeds").</summary>
internal sealed class CalendarFeedsApi(CurrentUser caller, CalendarFeedStore store, IssuerAddress issuer)
{
    /// <summary><c>POST /calendarfeeds</c> with <c>{"calendarfeed":{"kind":"own"|"team"}}</c>: 201 with the URL, shown only here.</summary>
    public async Task<IResult> CreateAsync(HttpRequest request, CancellationToken ct)
    {
        var kind = await ReadKindAsync(request, ct);
        return kind.Error is not null ? kind.Error.ToResult() : await CreateAsync(kind.Value!, ct);
    }

    /// <summary>The same for a kind already read (the web app's "Create calendar link" button).</summary>
    public async Task<IResult> CreateAsync(string kind, CancellationToken ct)
    {
        if (kind is not (CalendarFeedKinds.Own or CalendarFeedKinds.Team))
        {
            return ApiError.InvalidRequest("kind is own or team.").ToResult();
        }
        if (kind == CalendarFeedKinds.Team && caller.UserLevel < CalendarFeedKinds.TeamLevel)
        {
            return ApiError.Forbidden("A team feed shows everyone's absences: levels 3-5 only.").ToResult();
        }
        if (await store.CreateAsync(caller.PartnerId, caller.UserId, kind, ct) is not { } created)
        {
            return ApiError.Result(409, "too_many_feeds",
                $"You have {CalendarFeedStore.MaxFeedsPerUser} calendar feeds already: remove one (DELETE /calendarfeeds/<id>) first.");
        }
        var row = Row(created.Feed) with { Url = $"{issuer.Issuer.TrimEnd('/')}/ics/{created.Token}.ics" };
        return Results.Json(new CalendarFeedEnvelope(row), statusCode: StatusCodes.Status201Created);
    }

    /// <summary><c>GET /calendarfeeds</c>: the caller's feeds, without their URLs.</summary>
    public async Task<IResult> ListAsync(CancellationToken ct)
    {
        var feeds = (await store.ListAsync(caller.PartnerId, caller.UserId, ct)).Select(Row).ToList();
        return Results.Json(new CalendarFeedList(feeds, feeds.Count));
    }

    /// <summary><c>DELETE /calendarfeeds/{id}</c>: the URL answers 404 from now on, on every node. Not the caller's: 404.</summary>
    public async Task<IResult> DeleteAsync(string id, CancellationToken ct)
    {
        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var feedId) || feedId <= 0)
        {
            return ApiError.NoSuch("calendarfeed").ToResult();
        }
        return await store.DeleteAsync(caller.PartnerId, caller.UserId, feedId, ct)
            ? Results.Json(new { removed = true })
            : ApiError.NoSuch("calendarfeed").ToResult();
    }

    private static async Task<Outcome<string>> ReadKindAsync(HttpRequest request, CancellationToken ct)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, new JsonDocumentOptions { MaxDepth = HttpLimits.MaxJsonDepth }, ct);
        }
        catch (JsonException)
        {
            return ApiError.InvalidRequest("The body must be JSON: {\"calendarfeed\":{\"kind\":\"own\"}} or \"team\".");
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("calendarfeed", out var feed) || feed.ValueKind != JsonValueKind.Object)
            {
                return ApiError.InvalidRequest("The body must be {\"calendarfeed\":{\"kind\":\"own\"}} (or \"team\").");
            }
            var kind = feed.TryGetProperty("kind", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
            return kind is CalendarFeedKinds.Own or CalendarFeedKinds.Team
                ? kind
                : ApiError.Validation(new Dictionary<string, string> { ["kind"] = "must be own or team" });
        }
    }

    private static CalendarFeedRow Row(CalendarFeed feed) => new(feed.Id, feed.Kind,
        DateTimeOffset.FromUnixTimeSeconds(feed.CreatedAt).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
}
