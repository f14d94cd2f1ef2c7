using Microsoft.Extensions.Options;
using Worktime.Api.Accounts;

namespace Worktime.Api.Auth;

/// <summary>Issues the token pair of a successful grant: access token plus a new family (login) or a rotated successor (refresh).</summary>
internal sealed class TokenIssuer(TokenFactory tokens, RefreshTokenStore refreshTokens, IOptions<AuthOptions> options)
{
    public async Task<TokenResponse> StartAsync(HttpContext http, LoginUser user, string clientId, CancellationToken ct)
    {
        var subject = Subject(user);
        var refresh = await tokens.CreateRefreshAsync(subject, clientId, ct);
        await refreshTokens.StartFamilyAsync(user.Id, clientId, refresh, ct);
        return await ResponseAsync(http, user, clientId, refresh.Token, ct);
    }

    public async Task<TokenResponse> ResponseAsync(HttpContext http, LoginUser user, string clientId, string refreshToken, CancellationToken ct)
    {
        var access = await tokens.CreateAccessAsync(Subject(user), clientId, Country(http, user), ct);
        return new TokenResponse(access, (long)options.Value.AccessTokenLifetime.TotalSeconds, "Bearer", null, refreshToken, user.Id);
    }

    public static TokenSubject Subject(LoginUser user) => new(user.Id, user.PartnerId, user.Username, (int)user.UserLevel);

    /// <summary>The request's country from the trusted edge header when configured and well-formed, else the partner's.</summary>
    private string Country(HttpContext http, LoginUser user)
    {
        if (options.Value.CountryHeader is { } header
            && http.Request.Headers[header] is { Count: 1 } values
            && values[0] is { Length: 2 } code
            && code.All(char.IsAsciiLetter))
        {
            return code.ToLowerInvariant();
        }
        return user.Country;
    }
}
