using Worktime.Api.Accounts;

namespace Worktime.Api.Auth;

/// <summary>
/// <c>grant_type=password</c> (docs/auth.md, docs/security.md, requirements 1-2). Unknown user, wrong password and
/// disabled user take the same path — one hash each, the same answer — so neither status, body nor timing
/// tells them apart.
/// </summary>
internal sealed class PasswordGrant(
    UserStore users, PasswordHasher hasher, LoginThrottle throttle, TokenIssuer issuer, AuditLog audit, TimeProvider time)
{
    public async Task<IResult> HandleAsync(HttpContext http, TokenRequest request, string clientId, CancellationToken ct)
    {
        var (username, password) = (request["username"], request["password"]);
        if (string.IsNullOrEmpty(username) || string.IsNullOrEmpty(password))
        {
            return OAuthResults.InvalidRequest("The password grant needs non-empty username and password parameters.");
        }
        if (Credentials.CheckPassword(password) is { } badPassword)
        {
            return OAuthResults.InvalidRequest(badPassword.Message);
        }
        // The same RFC 8265 rules as the users form and the CLI: a name nobody can have is a malformed request.
        var parsed = Credentials.ParseUsername(username);
        if (parsed.Error is { } badName)
        {
            return OAuthResults.InvalidRequest(badName.Message);
        }
        var normalized = parsed.Value.Key;
        var ip = ClientAddress.Of(http);
        var verdict = await throttle.CheckAsync(normalized, ip, ct);
        if (verdict.RefusedFor is { } wait)
        {
            await throttle.RecordFailureAsync(normalized, ip, ct);
            await audit.WriteAsync(AuditEvents.LoginThrottled, username: normalized, ip: ip, ct: ct);
            return OAuthResults.SlowDown(http, wait);
        }
        if (verdict.Delay > TimeSpan.Zero)
        {
            await Task.Delay(verdict.Delay, time, ct);
        }
        var user = await users.FindByUsernameAsync(normalized, ct);
        var (ran, outcome) = await hasher.RunGatedAsync(() => Verify(user, password), ct);
        if (!ran)
        {
            return OAuthResults.Busy(http);
        }
        if (user is null || !outcome.Valid || !user.IsActive)
        {
            await throttle.RecordFailureAsync(normalized, ip, ct);
            await audit.WriteAsync(AuditEvents.LoginFailed, user?.PartnerId, user?.Id, normalized, ip,
                user is null ? "unknown user" : !user.IsActive ? "inactive user" : "wrong password", ct);
            return OAuthResults.InvalidGrant();
        }
        if (outcome.NewHash is { } newHash)
        {
            await users.ReplaceHashAsync(user.Id, user.PasswordHash!, newHash, ct);
        }
        if (verdict.UserCounted)
        {
            // Most logins have no failures to forget: no write for them (a counter older than the window is
            // ignored by the check and restarted by the next failure, and housekeeping drops it).
            await throttle.RecordSuccessAsync(normalized, ip, ct);
        }
        var response = await issuer.StartAsync(http, user, clientId, ct);
        await audit.WriteAsync(AuditEvents.LoginSucceeded, user.PartnerId, user.Id, normalized, ip, $"client={clientId}", ct);
        return OAuthResults.Success(response);
    }

    /// <summary>Runs inside one hashing slot: verify, and re-hash right away when the stored parameters are outdated.</summary>
    private (bool Valid, string? NewHash) Verify(LoginUser? user, string password)
    {
        var hash = user?.PasswordHash;
        if (hash is null)
        {
            hasher.Verify(hasher.DummyHash, password); // same cost as a real check
            return (false, null);
        }
        if (!hasher.Verify(hash, password))
        {
            return (false, null);
        }
        return (true, user!.IsActive && hasher.NeedsRehash(hash) ? hasher.Hash(password) : null);
    }
}
