using Microsoft.Extensions.Options;

namespace Worktime.Api.WebApp;

/// <summary>
/// The people's clock: now in <c>WebApp:TimeZone</c> (default the server's zone). The timer writes its start and end
/// in it and the week page's "this week" is its date. (The API's own "today", the implicit current month, stays UTC,
/// docs/forms.md; a row's date and times are what a person sees on their wall clock.)
/// </summary>
internal sealed class WebClock(TimeProvider time, IOptions<WebAppOptions> options)
{
    private readonly TimeZoneInfo _zone = options.Value.TimeZone is { Length: > 0 } id ? TimeZoneInfo.FindSystemTimeZoneById(id) : time.LocalTimeZone;

    public DateTimeOffset Now => TimeZoneInfo.ConvertTime(time.GetUtcNow(), _zone);

    public DateOnly Today => DateOnly.FromDateTime(Now.DateTime);
}
