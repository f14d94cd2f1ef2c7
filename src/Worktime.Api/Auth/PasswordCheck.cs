using Worktime.Api.Accounts;

namespace Worktime.Api.Auth;

/// <summary>What a password check found; exactly one of the members says why it did not let the user in.</summary>
internal sealed record PasswordCheckResult(LoginUser? User, string? InvalidRequest = null, TimeSpan? ThrottledFor = null,
    bool Busy = false, bool WrongCredentials = false)
{
    public bool Succeeded => User is not null;
}

/// <summary>
/// "Is this the user's password?" exactly as <c>POST /login</c> asks it (docs/auth.md, docs/security.md,
/// requirements 1-2): the same username and password rules, the same throttle (counters in the database, so every
/// node and both the token endpoint and the web app's login count together), the same bounded Argon2id slots and
/// dummy hash for unknown users, the same audit records and rehash. Unknown user, wrong password and disabled user
/// take the same path — one hash each, the same answer. The caller turns the result into its own answer: an OAuth
/// error or token pair (<see cref="PasswordGrant"/>), or a page message and a cookie session (the web app).
/// </summary>
internal sealed class PasswordCheck(UserStore users, PasswordHasher hasher, LoginThrottle throttle, AuditLog audit, TimeProvider time)
{
    /// <param name="client">Who asked, for the success audit record (<c>client=openapi</c>, <c>client=web</c>).</param>
    public async Task<PasswordCheckResult> CheckAsync(HttpContext http, string? username, string? password, string client, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(username) || string.IsNullOrEmpty(password))
        {
            return new(null, InvalidRequest: "The password grant needs non-empty username and password parameters.");
        }
        if (Credentials.CheckPassword(password) is { } badPassword)
        {
            return new(null, InvalidRequest: badPassword.Description);
        }
        // The same RFC 8265 rules as the users form and the CLI: a name nobody can have is a malformed request.
        var parsed = Credentials.ParseUsername(username);
        if (parsed.Error is { } badName)
        {
            return new(null, InvalidRequest: badName.Description);
        }
        var normalized = parsed.Value.Key;
        var ip = ClientAddress.Of(http);
        var verdict = await throttle.CheckAsync(normalized, ip, ct);
        if (verdict.RefusedFor is { } wait)
        {
            await throttle.RecordFailureAsync(normalized, ip, ct);
            await audit.WriteAsync(AuditEvents.LoginThrottled, username: normalized, ip: ip, ct: ct);
            return new(null, ThrottledFor: wait);
        }
        if (verdict.Delay > TimeSpan.Zero)
        {
            await Task.Delay(verdict.Delay, time, ct);
        }
        var user = await users.FindByUsernameAsync(normalized, ct);
        var (ran, outcome) = await hasher.RunGatedAsync(() => Verify(user, password), ct);
        if (!ran)
        {
            return new(null, Busy: true);
        }
        if (user is null || !outcome.Valid || !user.IsActive)
        {
            await throttle.RecordFailureAsync(normalized, ip, ct);
            await audit.WriteAsync(AuditEvents.LoginFailed, user?.PartnerId, user?.Id, normalized, ip,
                user is null ? "unknown user" : !user.IsActive ? "inactive user" : "wrong password", ct);
            return new(null, WrongCredentials: true);
        }
        if (outcome.NewHash is { } newHash)
        {
            await users.ReplaceHashAsync(user.Id, user.PasswordHash!, newHash, ct);
        }
        if (user.HasSecondFactor)
        {
            // Half a login: the counters stay until the second step succeeds, or re-entering the password would
            // wipe the failures of guessed codes (docs/auth.md, "Second factors").
            await audit.WriteAsync(AuditEvents.PasswordVerified, user.PartnerId, user.Id, normalized, ip, $"client={client}", ct);
            return new(user);
        }
        if (verdict.UserCounted)
        {
            // Most logins have no failures to forget: no write for them (a counter older than the window is
            // ignored by the check and restarted by the next failure, and housekeeping drops it).
            await throttle.RecordSuccessAsync(normalized, ip, ct);
        }
        await audit.WriteAsync(AuditEvents.LoginSucceeded, user.PartnerId, user.Id, normalized, ip, $"client={client}", ct);
        return new(user);
    }

    /// <summary>
    /// "Is this the signed-in person's current password?" — the users form's <c>current_password</c> when someone
    /// changes their own password (docs/auth.md, "Users form"). A stolen token must not turn this into an unthrottled
    /// password oracle, so it is counted exactly as a login attempt of that username from <paramref name="ip"/>: the
    /// same counters and refusal (also for the right password while refused), the same <c>login_failed</c> /
    /// <c>login_throttled</c> audit records, and a correct one clears the username's counters as a login does
    /// (except for a person with a second factor, whose counters only a full sign-in clears).
    /// </summary>
    public async Task<PasswordCheckResult> CheckCurrentPasswordAsync(long userId, string password, string ip, CancellationToken ct)
    {
        var user = await users.FindByIdAsync(userId, ct);
        var key = user is null ? null : await users.UsernameKeyAsync(userId, ct);
        if (user is null || key is null)
        {
            return new(null, WrongCredentials: true); // the caller's own row, gone since the token was checked
        }
        var verdict = await throttle.CheckAsync(key, ip, ct);
        if (verdict.RefusedFor is { } wait)
        {
            await throttle.RecordFailureAsync(key, ip, ct);
            await audit.WriteAsync(AuditEvents.LoginThrottled, username: key, ip: ip, ct: ct);
            return new(null, ThrottledFor: wait);
        }
        if (verdict.Delay > TimeSpan.Zero)
        {
            await Task.Delay(verdict.Delay, time, ct);
        }
        // No rehash here: the password is about to be replaced by a new hash anyway.
        var (ran, valid) = await hasher.RunGatedAsync(() => hasher.Verify(user.PasswordHash ?? hasher.DummyHash, password) && user.PasswordHash is not null, ct);
        if (!ran)
        {
            return new(null, Busy: true);
        }
        if (!valid)
        {
            await throttle.RecordFailureAsync(key, ip, ct);
            await audit.WriteAsync(AuditEvents.LoginFailed, user.PartnerId, user.Id, key, ip, "wrong password", ct);
            return new(null, WrongCredentials: true);
        }
        if (verdict.UserCounted && !user.HasSecondFactor)
        {
            await throttle.RecordSuccessAsync(key, ip, ct);
        }
        return new(user);
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
