namespace Worktime.Api.Auth;

/// <summary>
/// <c>grant_type=password</c> (docs/auth.md, docs/security.md, requirements 1-2): the password is checked by
/// <see cref="PasswordCheck"/> (shared with the web app's login), and a success starts a token family.
/// </summary>
internal sealed class PasswordGrant(PasswordCheck check, TokenIssuer issuer)
{
    public async Task<IResult> HandleAsync(HttpContext http, TokenRequest request, TokenClient client, CancellationToken ct)
    {
        var result = await check.CheckAsync(http, request["username"], request["password"], client.Id, ct);
        if (result.User is not { } user)
        {
            return result switch
            {
                { InvalidRequest: { } message } => OAuthResults.InvalidRequest(message),
                { ThrottledFor: { } wait } => OAuthResults.SlowDown(http, wait),
                { Busy: true } => OAuthResults.Busy(http),
                _ => OAuthResults.InvalidGrant(),
            };
        }
        var response = (await issuer.StartAsync(http, user, client, ct))!;
        return OAuthResults.Success(response);
    }
}
