using System.Security.Claims;

namespace Worktime.Api.Auth;

/// <summary>
/// Who is calling. Resolved once per request by the authentication handler that accepted the request — from a
/// validated access token's claims by <see cref="CallerClaims"/>, or from a web session's row — and carried by the
/// request's principal (<see cref="CallerPrincipal"/>); everything else reads it here, never the claims
/// (docs/architecture.md, "The caller"). The partner always comes from here — never from the route, query or body
/// (docs/security.md, requirement 6).
/// </summary>
internal sealed record CurrentUser(long UserId, long PartnerId, int UserLevel, string Username, string ClientId)
{
    /// <summary>The caller of a request; null when no authentication handler accepted it (an anonymous route).</summary>
    public static CurrentUser? Of(HttpContext http) => Of(http.User);

    /// <summary>The caller a principal carries (an authorization policy's user); null for any other principal.</summary>
    public static CurrentUser? Of(ClaimsPrincipal? principal) => (principal as CallerPrincipal)?.Caller;

    /// <summary>Scoped service: the caller of the current request (null on anonymous routes).</summary>
    public static void Register(IServiceCollection services) =>
        services.AddScoped(sp => Of(sp.GetRequiredService<IHttpContextAccessor>().HttpContext?.User)!);
}

/// <summary>
/// The principal an authentication handler answers with: the identity it validated and the <see cref="CurrentUser"/>
/// resolved from it once. ASP.NET Core puts it in <c>HttpContext.User</c> as it is (authentication and
/// authorization hand the same instance on), so the caller travels with the user and cannot disagree with it.
/// </summary>
internal sealed class CallerPrincipal(IEnumerable<ClaimsIdentity> identities, CurrentUser caller) : ClaimsPrincipal(identities)
{
    public CurrentUser Caller { get; } = caller;
}
