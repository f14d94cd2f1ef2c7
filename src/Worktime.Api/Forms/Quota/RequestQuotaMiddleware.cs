using System.Globalization;
using Worktime.Api.Auth;
using Worktime.Api.Http;

namespace Worktime.Api.Forms.Quota;

/// <summary>
/// Every authenticated response carries <c>x-collectorapi-request-limit</c>; over the quota the answer is 429
/// <c>rate_limited</c> with <c>Retry-After</c> (contract §2.7). Runs after authentication, so only callers with a
/// valid access token are counted (anonymous requests are never charged to anyone).
/// </summary>
internal static class RequestQuotaMiddleware
{
    public const string Header = "x-collectorapi-request-limit";

    public static WebApplication UseRequestQuota(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if (CurrentUser.FromPrincipal(context.User) is not { } caller)
            {
                await next(context);
                return;
            }
            var quota = context.RequestServices.GetRequiredService<RequestQuota>();
            var state = await quota.CountAsync(caller.UserId, context.RequestAborted);
            context.Response.Headers[Header] = state.Header;
            if (state.Exceeded)
            {
                var time = context.RequestServices.GetRequiredService<TimeProvider>();
                var wait = Math.Max(1, (long)Math.Ceiling((state.Expires - time.GetUtcNow()).TotalSeconds));
                context.Response.Headers.RetryAfter = wait.ToString(CultureInfo.InvariantCulture);
                await ApiError.WriteAsync(context, StatusCodes.Status429TooManyRequests, "rate_limited",
                    string.Create(CultureInfo.InvariantCulture,
                        $"Request limit of {state.Limit} per window reached; try again after {state.Expires.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC."));
                return;
            }
            await next(context);
        });
        return app;
    }
}
