using System.Globalization;
using System.Security.Claims;

namespace Worktime.Api.Auth;

/// <summary>
/// The one place that reads an access token's claims (JWT names, not mapped): whether it is an access token at all,
/// the caller (<c>userid</c>, <c>partnerid</c>, <c>userlevel</c>, <c>username</c>, <c>client_id</c>) and the
/// <c>security_version</c> it was issued at. <see cref="BearerAuthentication"/> calls it once per request;
/// <c>DependencyDirectionTests</c> fails on other code that reads claims. A singleton per app, so <see cref="Reads"/>
/// can show a test that a request was read once.
/// </summary>
internal sealed class CallerClaims
{
    private long _reads;

    /// <summary>How many principals this app has read (diagnostics and tests: one per authenticated API request).</summary>
    public long Reads => Interlocked.Read(ref _reads);

    /// <summary>The caller and security version of a validated access token; null when it is not one.</summary>
    public TokenCaller? Read(ClaimsPrincipal principal)
    {
        Interlocked.Increment(ref _reads);
        if (principal.Identity?.IsAuthenticated != true || principal.HasClaim(c => c.Type == "token_use")
            || principal.FindFirst("username")?.Value is not { } username || principal.FindFirst("iat") is null
            || TokenFactory.SecurityVersionOf(principal.FindFirst(TokenFactory.SecurityVersionClaim)?.Value) is not { } version)
        {
            return null;
        }
        return long.TryParse(principal.FindFirst("userid")?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var userId)
            && long.TryParse(principal.FindFirst("partnerid")?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var partnerId)
            && int.TryParse(principal.FindFirst("userlevel")?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var level)
            ? new TokenCaller(new CallerPrincipal(principal.Identities,
                new CurrentUser(userId, partnerId, level, username, principal.FindFirst("client_id")?.Value ?? "")), version)
            : null;
    }
}

/// <summary>What <see cref="CallerClaims"/> read from an access token.</summary>
internal sealed record TokenCaller(CallerPrincipal Principal, long SecurityVersion);
