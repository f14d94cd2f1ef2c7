using System.Globalization;
using Worktime.Api.Accounts;
using Worktime.Api.Auth;

namespace Worktime.Api.OAuth;

/// <summary>
/// <c>POST /login</c> with <c>grant_type=urn:ietf:params:oauth:grant-type:device_code</c> (RFC 8628 section 3.4): the
/// device polls until its person has decided. Answers <c>authorization_pending</c>, <c>slow_down</c> (and the longer
/// interval it must keep), <c>access_denied</c>, <c>expired_token</c> as section 3.5 says, then the password grant's
/// token response. A device code is redeemed once; presenting it again revokes what it issued.
/// </summary>
internal sealed class DeviceCodeGrant(DeviceCodes devices, UserStore users, TokenIssuer issuer, AuditLog audit) : ITokenGrant
{
    public string GrantType => OAuthPaths.DeviceCodeGrant;

    public IReadOnlyList<string> Parameters { get; } = ["device_code"];

    public async Task<IResult> HandleAsync(HttpContext http, TokenRequest request, TokenClient client, CancellationToken ct)
    {
        if (request["device_code"] is not { } deviceCode)
        {
            return OAuthResults.InvalidRequest("The device_code grant needs the device_code of POST /device_authorization.");
        }
        var ip = ClientAddress.Of(http);
        switch (await devices.PollAsync(deviceCode, client.Id, ct))
        {
            case DevicePoll.Pending:
                return OAuthResults.Error("authorization_pending", "The person has not confirmed the code yet; poll again after the interval.");
            case DevicePoll.SlowDown slow:
                return SlowDown(slow.Interval);
            case DevicePoll.Denied:
                return OAuthResults.Error("access_denied", "The person denied the request.");
            case DevicePoll.Expired:
                return OAuthResults.Error("expired_token", "The device code has expired; start again with POST /device_authorization.");
            case DevicePoll.Again again:
                await audit.WriteAsync(AuditEvents.CodeReuseDetected, userId: again.UserId, ip: ip, detail: $"client={client.Id} grant=device_code", ct: ct);
                if (again.RevokedFamily is { } family)
                {
                    await audit.WriteAsync(AuditEvents.FamilyRevoked, userId: again.UserId, ip: ip, detail: $"family={family} reason=device code reused", ct: ct);
                }
                return OAuthResults.InvalidGrant("The device code was used before; what it issued is revoked.");
            case DevicePoll.Approved approved:
                var user = await users.FindByIdAsync(approved.UserId, ct);
                if (user is null || !user.IsActive || user.SecurityVersion != approved.SecurityVersion)
                {
                    return OAuthResults.InvalidGrant("The person who confirmed the code can no longer sign in, or changed their password since.");
                }
                var response = await issuer.StartAsync(http, user, client, ct, (writer, familyId) => DeviceCodes.AttachFamilyAsync(writer, deviceCode, familyId));
                if (response is null)
                {
                    return OAuthResults.InvalidGrant("The device code was used twice at once; neither use gets tokens.");
                }
                await audit.WriteAsync(AuditEvents.TokensIssued, user.PartnerId, user.Id, user.Username, ip, $"client={client.Id} grant=device_code", ct);
                return OAuthResults.Success(response);
            default:
                return OAuthResults.InvalidGrant("The device code is not valid.");
        }
    }

    /// <summary>RFC 8628 section 3.5: <c>slow_down</c> is a 400 like the other polling answers; the new interval is in the body.</summary>
    private static IResult SlowDown(long interval) => Results.Json(new Dictionary<string, object>
    {
        ["error"] = "slow_down",
        ["error_description"] = string.Create(CultureInfo.InvariantCulture, $"Polled too soon; wait at least {interval} seconds between polls from now on."),
        ["interval"] = interval,
    }, statusCode: 400);
}
