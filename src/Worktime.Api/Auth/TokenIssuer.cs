using Microsoft.Extensions.Options;
using Worktime.Api.Accounts;
using Worktime.Api.Data;

namespace Worktime.Api.Auth;

/// <summary>Issues the token pair of a successful grant: access token plus a new family (login) or a rotated successor (refresh).</summary>
internal sealed class TokenIssuer(TokenFactory tokens, RefreshTokenStore refreshTokens, IOptions<AuthOptions> options)
{
    /// <summary>
    /// Starts a new token family for <paramref name="user"/>. <paramref name="alongside"/>, when given, runs in the same
    /// transaction as the family's first row (with the new family's id) and may veto it: then nothing is issued and the
    /// answer is null. An authorization code records there which family it started, so a second use can revoke it.
    /// </summary>
    public async Task<TokenResponse?> StartAsync(HttpContext http, LoginUser user, TokenClient client, CancellationToken ct,
        Func<WriterLease, string, Task<bool>>? alongside = null)
    {
        var refresh = await tokens.CreateRefreshAsync(Subject(user), client.Id, ct);
        if (!await refreshTokens.StartFamilyAsync(user.Id, client.Id, refresh, alongside, ct))
        {
            return null;
        }
        return await ResponseAsync(http, user, client, refresh.Token, ct);
    }

    public async Task<TokenResponse> ResponseAsync(HttpContext http, LoginUser user, TokenClient client, string refreshToken, CancellationToken ct)
    {
        var access = await tokens.CreateAccessAsync(Subject(user), client.Id, Country(http, user), ct);
        return new TokenResponse(access, (long)options.Value.AccessTokenLifetime.TotalSeconds, "Bearer", null, refreshToken, user.Id)
        {
            OmitNulls = client.OmitNulls,
        };
    }

    public static TokenSubject Subject(LoginUser user) => new(user.Id, user.PartnerId, user.Username, (int)user.UserLevel, user.SecurityVersion);

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
