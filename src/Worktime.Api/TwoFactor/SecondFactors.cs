using System.Globalization;
using Worktime.Api.Accounts;
using Worktime.Api.Auth;
using Worktime.Api.Http;

namespace Worktime.Api.TwoFactor;

/// <summary>A set-up in progress: what the person's authenticator app needs (the QR code carries <see cref="OtpAuthUri"/>).</summary>
internal sealed record TotpEnrolment(string Secret, string OtpAuthUri);

/// <summary>Why a code (or a password and a code) did not do what was asked; the API and the pages word it.</summary>
internal enum FactorRefusal
{
    None,
    WrongCode,
    WrongPassword,
    Throttled,
    Busy,
    NotStarted,
    AlreadyOn,
    NotOn,
}

internal sealed record FactorOutcome(FactorRefusal Refusal, TimeSpan? RetryAfter = null, IReadOnlyList<string>? RecoveryCodes = null,
    bool UsedRecoveryCode = false)
{
    public bool Succeeded => Refusal == FactorRefusal.None;
}

/// <summary>What a person has turned on, as <c>GET /me/factors</c> answers it.</summary>
internal sealed record FactorSummary(bool AuthenticatorOn, bool AuthenticatorPending, long? AuthenticatorSince, long RecoveryCodesLeft);

/// <summary>
/// Second factors (docs/auth.md, "Second factors"): set-up, the second step of a sign-in, turning off and an admin's
/// reset — one service behind the API routes, the web app's pages and the CLI. Wrong codes count in the password's
/// throttle (<see cref="LoginThrottle"/>: per username, per username and address, per address), every change is audited.
/// </summary>
internal sealed class SecondFactors(SecondFactorStore store, PasskeyStore passkeys, LoginThrottle throttle, AuditLog audit, UserAccounts accounts,
    IUserSessions sessions, IssuerAddress issuer, TimeProvider time)
{
    public async Task<FactorSummary> SummaryAsync(long userId, CancellationToken ct)
    {
        var totp = await store.FindTotpAsync(userId, ct);
        var left = await store.RecoveryCodesLeftAsync(userId, ct);
        return new FactorSummary(totp?.IsOn == true, totp is { IsOn: false }, totp?.ConfirmedAt, left);
    }

    /// <summary>A new secret for the person's authenticator app; the app is on only after <see cref="ConfirmAsync"/>.</summary>
    public async Task<TotpEnrolment?> StartAsync(CurrentUser user, CancellationToken ct)
    {
        var secret = AuthenticatorCodes.NewSecret();
        if (!await store.StartTotpAsync(user.UserId, user.PartnerId, secret, ct))
        {
            return null;
        }
        return new TotpEnrolment(AuthenticatorCodes.Base32(secret), AuthenticatorCodes.OtpAuthUri(IssuerName(), user.Username, secret));
    }

    /// <summary>The set-up in progress (its secret again, e.g. for the page after a wrong code), or null.</summary>
    public async Task<TotpEnrolment?> PendingAsync(CurrentUser user, CancellationToken ct) =>
        await store.FindTotpAsync(user.UserId, ct) is { IsOn: false } pending
            ? new TotpEnrolment(AuthenticatorCodes.Base32(pending.Secret), AuthenticatorCodes.OtpAuthUri(IssuerName(), user.Username, pending.Secret))
            : null;

    /// <summary>
    /// A correct code turns the app on: ten new recovery codes (answered once), every earlier token and session of the
    /// person ended (<c>security_version</c>), audited.
    /// </summary>
    public async Task<FactorOutcome> ConfirmAsync(HttpContext http, CurrentUser user, string? code, CancellationToken ct)
    {
        var key = UsernameKey(user.Username);
        var ip = ClientAddress.Of(http);
        if (await RefusedAsync(key, ip, ct) is { } refused)
        {
            return refused;
        }
        var totp = await store.FindTotpAsync(user.UserId, ct);
        if (totp is null || totp.IsOn)
        {
            return new(totp is null ? FactorRefusal.NotStarted : FactorRefusal.AlreadyOn);
        }
        var codes = RecoveryCodes.New();
        if (AuthenticatorCodes.MatchingStep(totp.Secret, AuthenticatorCodes.Normalize(code), time.GetUtcNow()) is not { } step
            || !await store.ConfirmTotpAsync(user.UserId, step, codes.Select(RecoveryCodes.Hash).ToList(), ct))
        {
            await throttle.RecordFailureAsync(key, ip, ct);
            return new(FactorRefusal.WrongCode);
        }
        await sessions.EndAllAsync(user.UserId, AuditEvents.SecondFactorEnabled, ct);
        await audit.WriteAsync(AuditEvents.SecondFactorEnabled, user.PartnerId, user.UserId, key, ip, "factor=totp", ct);
        return new(FactorRefusal.None, RecoveryCodes: codes.Select(RecoveryCodes.Display).ToList());
    }

    /// <summary>
    /// The second step of a sign-in (web login, and so <c>/authorize</c>): an authenticator code newer than every
    /// one accepted before, or an unused recovery code. Throttled and counted with the password's counters; a
    /// success clears the username's counters, as a password login does.
    /// </summary>
    public async Task<FactorOutcome> VerifySignInAsync(HttpContext http, LoginUser user, string client, string? code, CancellationToken ct)
    {
        var key = UsernameKey(user.Username);
        var ip = ClientAddress.Of(http);
        if (await RefusedAsync(key, ip, ct) is { } refused)
        {
            return refused;
        }
        var recovery = await SpendAsync(user.Id, code, ct);
        if (recovery is null)
        {
            await throttle.RecordFailureAsync(key, ip, ct);
            await audit.WriteAsync(AuditEvents.LoginFailed, user.PartnerId, user.Id, key, ip, "wrong second factor code", ct);
            return new(FactorRefusal.WrongCode);
        }
        await throttle.RecordSuccessAsync(key, ip, ct);
        if (recovery.Value)
        {
            var left = await store.RecoveryCodesLeftAsync(user.Id, ct);
            await audit.WriteAsync(AuditEvents.RecoveryCodeUsed, user.PartnerId, user.Id, key, ip,
                string.Create(CultureInfo.InvariantCulture, $"left={left}"), ct);
        }
        await audit.WriteAsync(AuditEvents.LoginSucceeded, user.PartnerId, user.Id, key, ip,
            $"client={client} factor={(recovery.Value ? "recovery_code" : "totp")}", ct);
        return new(FactorRefusal.None, UsedRecoveryCode: recovery.Value);
    }

    /// <summary>Turning the app off needs the password and a current code (or a recovery code); audited.</summary>
    public async Task<FactorOutcome> TurnOffAsync(HttpContext http, CurrentUser user, string? password, string? code, CancellationToken ct)
    {
        var key = UsernameKey(user.Username);
        var ip = ClientAddress.Of(http);
        if (await RefusedAsync(key, ip, ct) is { } refused)
        {
            return refused;
        }
        if (await store.FindTotpAsync(user.UserId, ct) is not { IsOn: true })
        {
            return new(FactorRefusal.NotOn);
        }
        var passwordOk = !string.IsNullOrEmpty(password) ? await accounts.VerifyPasswordAsync(user.UserId, password, ct) : false;
        if (passwordOk.Error is { Status: StatusCodes.Status429TooManyRequests })
        {
            return new(FactorRefusal.Busy);
        }
        if (!passwordOk.Value)
        {
            await throttle.RecordFailureAsync(key, ip, ct);
            return new(FactorRefusal.WrongPassword);
        }
        if (await SpendAsync(user.UserId, code, ct) is null)
        {
            await throttle.RecordFailureAsync(key, ip, ct);
            return new(FactorRefusal.WrongCode);
        }
        // A person who keeps passkeys keeps their recovery codes: they are what signs in when the last passkey is lost.
        await store.RemoveAllAsync(user.UserId, keepRecoveryCodes: (await passkeys.ListAsync(user.UserId, ct)).Count > 0, ct);
        await audit.WriteAsync(AuditEvents.SecondFactorRemoved, user.PartnerId, user.UserId, key, ip, "factor=totp by=self", ct);
        return new(FactorRefusal.None);
    }

    /// <summary>
    /// An admin's (or the operator's) reset for a person who lost their factor: the app, the passkeys and the recovery codes are
    /// deleted, so the next sign-in asks for the password only. <paramref name="by"/> names who did it in the audit.
    /// </summary>
    public async Task<bool> ResetAsync(long partnerId, long userId, string usernameKey, string by, CancellationToken ct)
    {
        var wasOn = await store.RemoveAllAsync(userId, keepRecoveryCodes: false, ct);
        var removedPasskeys = await passkeys.RemoveAllAsync(userId, ct);
        wasOn |= removedPasskeys > 0;
        await audit.WriteAsync(AuditEvents.SecondFactorReset, partnerId, userId, usernameKey,
            detail: string.Create(CultureInfo.InvariantCulture, $"by={by} was_on={(wasOn ? "yes" : "no")} passkeys={removedPasskeys}"), ct: ct);
        return wasOn;
    }

    /// <summary>Spends the code: false for an authenticator code, true for a recovery code, null when it opens nothing.</summary>
    private async Task<bool?> SpendAsync(long userId, string? typed, CancellationToken ct)
    {
        var code = AuthenticatorCodes.Normalize(typed);
        if (AuthenticatorCodes.LooksLikeCode(code))
        {
            return await store.FindTotpAsync(userId, ct) is { IsOn: true } totp
                && AuthenticatorCodes.MatchingStep(totp.Secret, code, time.GetUtcNow()) is { } step
                && await store.UseStepAsync(userId, step, ct)
                ? false
                : null;
        }
        if (RecoveryCodes.LooksLikeRecoveryCode(code) && await store.UseRecoveryCodeAsync(userId, RecoveryCodes.Hash(code), ct))
        {
            return true;
        }
        return null;
    }

    private async Task<FactorOutcome?> RefusedAsync(string key, string ip, CancellationToken ct)
    {
        if ((await throttle.CheckAsync(key, ip, ct)).RefusedFor is not { } wait)
        {
            return null;
        }
        await throttle.RecordFailureAsync(key, ip, ct);
        await audit.WriteAsync(AuditEvents.LoginThrottled, username: key, ip: ip, ct: ct);
        return new(FactorRefusal.Throttled, wait);
    }

    private static string UsernameKey(string username) => Credentials.KeyOf(username) ?? username;

    /// <summary>What the authenticator app lists the account under: "Worktime (host)" so two installations stay apart.</summary>
    private string IssuerName()
    {
        return Uri.TryCreate(issuer.Issuer, UriKind.Absolute, out var uri) ? "Worktime (" + uri.Authority + ")" : "Worktime";
    }
}
