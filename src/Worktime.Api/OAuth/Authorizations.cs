using Worktime.Api.Accounts;

namespace Worktime.Api.OAuth;

/// <summary>
/// What a signed-in person's answer to a valid authorization request leads to (docs/auth.md, "Authorization code with
/// PKCE"): a code back to the app at once for a first-party client or one the person allowed before, else the consent
/// question; "allow" is remembered and answered with a code, "deny" goes back to the app as <c>access_denied</c>.
/// Every redirect carries <c>state</c> and <c>iss</c> (RFC 9207).
/// </summary>
internal sealed class Authorizations(AuthorizationRequests requests, AuthorizationCodes codes, Consents consents)
{
    /// <summary>The redirect with a fresh code, or null when the person must be asked first.</summary>
    public async Task<string?> ContinueAsync(AuthorizationRequest request, LoginUser user, CancellationToken ct)
    {
        if (!request.Client.FirstParty && !await consents.HasAsync(user.Id, request.Client.Id, ct))
        {
            return null;
        }
        return await CodeAsync(request, user, ct);
    }

    /// <summary>"Allow": remembered for this person and client, then a code.</summary>
    public async Task<string> AllowAsync(AuthorizationRequest request, LoginUser user, string ip, CancellationToken ct)
    {
        await consents.GrantAsync(user, request.Client.Id, ip, ct);
        return await CodeAsync(request, user, ct);
    }

    /// <summary>"Deny": RFC 6749 section 4.1.2.1's <c>access_denied</c>; nothing is remembered, the app may ask again.</summary>
    public string Deny(AuthorizationRequest request) =>
        requests.Response(request.RedirectUri, request.State, ("error", "access_denied"), ("error_description", "The person did not allow the app."));

    private async Task<string> CodeAsync(AuthorizationRequest request, LoginUser user, CancellationToken ct) =>
        requests.Response(request.RedirectUri, request.State, ("code", await codes.IssueAsync(request, user, ct)));
}
