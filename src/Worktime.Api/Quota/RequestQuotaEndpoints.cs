using System.Globalization;
using Microsoft.Extensions.Options;
using Worktime.Api.Auth;
using Worktime.Api.Http;

namespace Worktime.Api.Quota;

/// <summary>
/// <c>RequireRequestQuota()</c> on an authorized route group: every response carries
/// <c>x-collectorapi-request-limit</c>; over the quota the answer is 429 <c>rate_limited</c> with
/// <c>Retry-After</c> (docs/forms.md, "Request quota"). As an endpoint filter it runs after authorization, so
/// only callers with a valid access token are counted (anonymous requests are never charged to anyone).
/// </summary>
internal static class RequestQuotaEndpoints
{
    public const string Header = "x-collectorapi-request-limit";

    public static WebApplicationBuilder AddRequestQuota(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RequestQuotaOptions>()
            .Bind(builder.Configuration.GetSection(RequestQuotaOptions.Section))
            .Validate(o => o.RequestsPerWindow > 0, "RateLimit:RequestsPerWindow must be a positive number of requests.")
            .Validate(o => o.Window >= TimeSpan.FromSeconds(1) && o.Window <= TimeSpan.FromDays(31),
                "RateLimit:Window must be a time span between 00:00:01 and 31.00:00:00, e.g. 01:00:00.")
            .Validate(o => o.FlushInterval >= TimeSpan.FromMilliseconds(10) && o.FlushInterval <= TimeSpan.FromMinutes(1),
                "RateLimit:FlushInterval must be a time span between 00:00:00.010 and 00:01:00, e.g. 00:00:01.")
            .ValidateOnStart();
        builder.Services.AddSingleton<RequestQuota>();
        return builder;
    }

    public static TBuilder RequireRequestQuota<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            if (CurrentUser.Of(http) is not { } caller)
            {
                return await next(context);
            }
            var quota = http.RequestServices.GetRequiredService<RequestQuota>();
            var state = await quota.CountAsync(caller.UserId, http.RequestAborted);
            http.Response.Headers[Header] = state.Header;
            if (!state.Exceeded)
            {
                return await next(context);
            }
            var time = http.RequestServices.GetRequiredService<TimeProvider>();
            await ApiError.WriteAsync(http, StatusCodes.Status429TooManyRequests, "rate_limited",
                string.Create(CultureInfo.InvariantCulture, $"Request limit of {state.Limit} per window reached; try again after {state.Expires.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC."),
                ApiError.SecondsToWait(state.Expires - time.GetUtcNow()));
            return Results.Empty;
        });
}
