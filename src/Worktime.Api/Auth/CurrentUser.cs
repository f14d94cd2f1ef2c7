using System.Globalization;
using System.Security.Claims;

namespace Worktime.Api.Auth;

/// <summary>
/// Who is calling, built once per request from the validated access token's claims (JWT names, not mapped).
/// The partner always comes from here — never from the route, query or body (docs/security.md, requirement 6).
/// </summary>
internal sealed record CurrentUser(long UserId, long PartnerId, int UserLevel, string Username, string ClientId)
{
    public static CurrentUser? FromPrincipal(ClaimsPrincipal principal)
    {
        if (principal.Identity?.IsAuthenticated != true)
        {
            return null;
        }
        return long.TryParse(principal.FindFirst("userid")?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var userId)
            && long.TryParse(principal.FindFirst("partnerid")?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var partnerId)
            && int.TryParse(principal.FindFirst("userlevel")?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var level)
            ? new CurrentUser(userId, partnerId, level, principal.FindFirst("username")?.Value ?? "", principal.FindFirst("client_id")?.Value ?? "")
            : null;
    }

    /// <summary>Scoped service: resolves the caller of the current request (null on anonymous routes).</summary>
    public static void Register(IServiceCollection services) =>
        services.AddScoped(sp => FromPrincipal(sp.GetRequiredService<IHttpContextAccessor>().HttpContext?.User ?? new ClaimsPrincipal())!);
}
