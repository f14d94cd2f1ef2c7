namespace Worktime.Api.CalendarFeeds;

/// <summary>Wiring of calendar feeds (issue 21).</summary>
internal static class CalendarFeedsRegistration
{
    public static WebApplicationBuilder AddCalendarFeeds(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<CalendarFeedStore>();
        builder.Services.AddSingleton<FeedCalendar>();
        builder.Services.AddScoped<CalendarFeedsApi>();
        return builder;
    }
}
