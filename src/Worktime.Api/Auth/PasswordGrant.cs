namespace Worktime.Api.Auth;

/// <summary>
/// <c>grant_type=password</c> (docs/auth.md, docs/security.md, requirements 1-2): the password is checked by
/// <see cref="PasswordCheck"/> (shared with the web app's login), and a success starts a token family.
/// </summary>
internal sealed class PasswordGrant(PasswordCheck check, TokenIssuer issuer)
{
    public const string SecondFactorDescription =
        "This account signs in with a second factor, which the password grant cannot ask for: sign in through the authorization code flow (GET /authorize) or the device flow.";

    public const string SetUpDescription =
        "Your company requires a second factor for your user level and this account has none yet: sign in to the web app (/app/login) and set one up first.";

    public async Task<IResult> HandleAsync(HttpContext http, TokenRequest request, TokenClient client, CancellationToken ct)
    {
        var result = await check.CheckAsync(http, request["username"], request["password"], client.Id, ct);
        if (result.User is not { } user)
        {
            return result switch
            {
                { InvalidRequest: { } message } => OAuthResults.InvalidRequest(message),
                { ThrottledFor: { } wait } => OAuthResults.SlowDown(wait),
                { Busy: true } => OAuthResults.Busy(),
                _ => OAuthResults.InvalidGrant(),
            };
        }
        if (user.HasSecondFactor)
        {
            // A password alone no longer opens this account (docs/auth.md, "Second factors"): only the interactive
            // sign-ins ask for the second step.
            return OAuthResults.InvalidGrant(SecondFactorDescription);
        }
        if (user.MustSetUpSecondFactor)
        {
            // The partner's policy asks for a factor first (docs/auth.md, "A policy per company"): no tokens until then.
            return OAuthResults.InvalidGrant(SetUpDescription);
        }
        var response = (await issuer.StartAsync(http, user, client, ct))!;
        return OAuthResults.Success(response);
    }
}
