using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Fido2NetLib;
using Fido2NetLib.Objects;
using Microsoft.Extensions.Options;
using Worktime.Api.Accounts;
using Worktime.Api.Auth;

namespace Worktime.Api.TwoFactor;

/// <summary>A WebAuthn ceremony handed to the browser: its id (sent back with the answer) and the options for the browser's API.</summary>
internal sealed record PasskeyCeremony(string Id, string OptionsJson);

/// <summary>A passkey as the person sees it: its id (the credential id, base64url), name, and dates (unix seconds).</summary>
internal sealed record PasskeySummary(string Id, string Name, long CreatedAt, long? LastUsedAt);

/// <summary>Why a passkey ceremony did not do what was asked; the API and the pages word it.</summary>
internal enum PasskeyRefusal
{
    None,
    Invalid,
    Throttled,
    NotAllowed,
    NotFound,
}

internal sealed record PasskeyOutcome(PasskeyRefusal Refusal, TimeSpan? RetryAfter = null, PasskeySummary? Passkey = null,
    IReadOnlyList<string>? RecoveryCodes = null, LoginUser? User = null)
{
    public bool Succeeded => Refusal == PasskeyRefusal.None;
}

/// <summary>
/// Passkeys (docs/auth.md, "Passkeys"): WebAuthn registration and assertion through Fido2. The relying party is the
/// host of <c>Auth:Issuer</c> (<c>localhost</c> for a loopback address: WebAuthn refuses an IP address as relying
/// party id) and the only origin accepted is the issuer's with that host. Each ceremony's options are kept in the
/// database and taken once, so the answer may reach any node and a replayed answer is refused. Failures count in the
/// password's throttle; registration raises <c>security_version</c> like any new factor; everything is audited.
/// </summary>
internal sealed class Passkeys(PasskeyStore store, SecondFactorStore factors, UserStore users, SignInPolicy policy, LoginThrottle throttle,
    AuditLog audit, IUserSessions sessions, IssuerAddress issuer, IOptions<AuthOptions> throttleOptions, TimeProvider time)
{
    public const string Register = "register";
    public const string Assert = "assert";
    private static readonly TimeSpan CeremonyLifetime = TimeSpan.FromMinutes(5);

    public async Task<IReadOnlyList<PasskeySummary>> ListAsync(long userId, CancellationToken ct) =>
        (await store.ListAsync(userId, ct)).Select(Summary).ToList();

    /// <summary>Options for <c>navigator.credentials.create()</c>: a discoverable credential (so it can sign in alone where allowed).</summary>
    public async Task<PasskeyCeremony> BeginRegistrationAsync(CurrentUser user, CancellationToken ct)
    {
        var existing = await store.ListAsync(user.UserId, ct);
        var options = CredentialCreateOptions.Create(Configuration(), RandomNumberGenerator.GetBytes(32),
            new Fido2User { Id = UserHandle(user.UserId), Name = user.Username, DisplayName = user.Username },
            new AuthenticatorSelection { ResidentKey = ResidentKeyRequirement.Required, UserVerification = UserVerificationRequirement.Preferred },
            AttestationConveyancePreference.None,
            existing.Select(p => new PublicKeyCredentialDescriptor(System.Buffers.Text.Base64Url.DecodeFromChars(p.CredentialId))).ToList(),
            null,
            [PubKeyCredParam.ES256, PubKeyCredParam.RS256, PubKeyCredParam.Ed25519]);
        return await StartAsync(Register, user.UserId, options.ToJson(), ct);
    }

    /// <summary>
    /// Checks the browser's answer to <see cref="BeginRegistrationAsync"/> and stores the passkey under <paramref name="name"/>.
    /// The person's other tokens and sessions end (a new factor); a person without unused recovery codes gets ten.
    /// </summary>
    public async Task<PasskeyOutcome> FinishRegistrationAsync(HttpContext http, CurrentUser user, string? ceremony, string? name, string? credentialJson,
        CancellationToken ct)
    {
        var key = UsernameKey(user.Username);
        var ip = ClientAddress.Of(http);
        if (await RefusedAsync(key, ip, ct) is { } refused)
        {
            return refused;
        }
        var label = (name ?? "").Trim();
        if (label.Length is 0 or > 100 || label.Any(char.IsControl))
        {
            return new(PasskeyRefusal.Invalid);
        }
        var optionsJson = string.IsNullOrEmpty(ceremony) ? null : await store.TakeCeremonyAsync(ceremony, Register, user.UserId, ct);
        RegisteredPublicKeyCredential? credential = null;
        if (optionsJson is not null && Parse<AuthenticatorAttestationRawResponse>(credentialJson) is { } response)
        {
            try
            {
                credential = await new Fido2(Configuration()).MakeNewCredentialAsync(new MakeNewCredentialParams
                {
                    AttestationResponse = response,
                    OriginalOptions = CredentialCreateOptions.FromJson(optionsJson),
                    IsCredentialIdUniqueToUserCallback = async (args, token) =>
                        await store.FindAsync(System.Buffers.Text.Base64Url.EncodeToString(args.CredentialId), token) is null,
                }, ct);
            }
            catch (Exception e) when (IsVerificationFailure(e))
            {
                credential = null;
            }
        }
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var stored = credential is null ? null : new StoredPasskey(System.Buffers.Text.Base64Url.EncodeToString(credential.Id), user.UserId, user.PartnerId, label,
            System.Buffers.Text.Base64Url.EncodeToString(credential.PublicKey), credential.SignCount, now, null);
        if (stored is null || !await store.AddAsync(stored, ct))
        {
            await throttle.RecordFailureAsync(key, ip, ct);
            return new(PasskeyRefusal.Invalid);
        }
        await sessions.EndAllAsync(user.UserId, AuditEvents.SecondFactorEnabled, ct);
        IReadOnlyList<string>? recovery = null;
        if (await factors.RecoveryCodesLeftAsync(user.UserId, ct) == 0)
        {
            var codes = RecoveryCodes.New();
            await factors.ReplaceRecoveryCodesAsync(user.UserId, codes.Select(RecoveryCodes.Hash).ToList(), ct);
            recovery = codes.Select(RecoveryCodes.Display).ToList();
        }
        await audit.WriteAsync(AuditEvents.SecondFactorEnabled, user.PartnerId, user.UserId, key, ip, "factor=passkey name=" + Quoted(label), ct);
        return new(PasskeyRefusal.None, Passkey: Summary(stored), RecoveryCodes: recovery);
    }

    /// <summary>
    /// Options for <c>navigator.credentials.get()</c>: the person's passkeys for the second step of a sign-in
    /// (<paramref name="userId"/>), or any discoverable passkey for a sign-in with a passkey alone (null).
    /// </summary>
    public async Task<PasskeyCeremony> BeginAssertionAsync(long? userId, CancellationToken ct)
    {
        List<PublicKeyCredentialDescriptor> allowed = userId is { } id
            ? (await store.ListAsync(id, ct)).Select(p => new PublicKeyCredentialDescriptor(System.Buffers.Text.Base64Url.DecodeFromChars(p.CredentialId))).ToList()
            : [];
        // Alone, the passkey stands for the password as well, so the authenticator must verify the person (fingerprint,
        // face, screen lock: the UV flag), not only their presence; as the second step, presence after the password suffices.
        var verification = userId is null ? UserVerificationRequirement.Required : UserVerificationRequirement.Preferred;
        var options = AssertionOptions.Create(Configuration(), RandomNumberGenerator.GetBytes(32), allowed, verification, null);
        return await StartAsync(Assert, userId, options.ToJson(), ct);
    }

    /// <summary>
    /// The login page's options for a sign-in with a passkey alone, which anyone may ask for (docs/auth.md, "Passkeys"):
    /// every start counts on the address's counter <c>pk:&lt;ip&gt;</c> of the login throttle, up to as many as the
    /// address may fail logins (<c>Auth:Throttle:IpFailures</c>); past that, and while the address's login counter
    /// refuses it (its sign-in would be refused anyway), the answer is the wait and no ceremony is stored. Refused starts
    /// count too, as refused logins do. A sign-in with a passkey alone from the address clears the counter, so an
    /// office behind one address is not held up by its own people.
    /// </summary>
    public async Task<(PasskeyCeremony? Ceremony, TimeSpan? RetryAfter)> BeginAnonymousAssertionAsync(HttpContext http, CancellationToken ct)
    {
        var ip = ClientAddress.Of(http);
        var key = StartsKey(ip);
        var wait = await throttle.RefusedForAsync([key, LoginThrottle.IpKey(ip)], ct);
        await throttle.CountAsync([(key, throttleOptions.Value.Throttle.IpFailures)], ct);
        return wait is null ? (await BeginAssertionAsync(null, ct), null) : (null, wait);
    }

    /// <summary>The login throttle's counter of sign-in ceremonies started by one address without a person (<see cref="BeginAnonymousAssertionAsync"/>).</summary>
    public static string StartsKey(string ip) => "pk:" + ip;

    /// <summary>
    /// Checks the browser's answer to <see cref="BeginAssertionAsync"/>: the passkey must be one of
    /// <paramref name="expectedUserId"/>'s (the second step), or — for a sign-in with a passkey alone (null) — of an
    /// active person whose partner allows that. Throttled and audited like the code step; answers the person.
    /// </summary>
    public async Task<PasskeyOutcome> FinishAssertionAsync(HttpContext http, long? expectedUserId, string? ceremony, string? credentialJson, string client,
        CancellationToken ct)
    {
        var ip = ClientAddress.Of(http);
        var response = Parse<AuthenticatorAssertionRawResponse>(credentialJson);
        var passkey = response is null ? null : await store.FindAsync(System.Buffers.Text.Base64Url.EncodeToString(response.RawId), ct);
        var owner = passkey is null ? null : await users.FindByIdAsync(passkey.UserId, ct);
        var expected = expectedUserId is { } id ? await users.FindByIdAsync(id, ct) : null;
        // The counters are the username's when one is known (the person of the second step, or the passkey's owner).
        var key = UsernameKey((expected ?? owner)?.Username ?? "");
        if ((await throttle.CheckAsync(key, ip, ct)).RefusedFor is { } wait)
        {
            await throttle.RecordFailureAsync(key, ip, ct);
            await audit.WriteAsync(AuditEvents.LoginThrottled, username: key, ip: ip, ct: ct);
            return new(PasskeyRefusal.Throttled, wait);
        }
        var optionsJson = string.IsNullOrEmpty(ceremony) ? null : await store.TakeCeremonyAsync(ceremony, Assert, expectedUserId, ct);
        var allowed = expectedUserId is null
            ? owner is { IsActive: true } && await policy.AllowsPasskeySignInAsync(owner.PartnerId, ct)
            : owner is { IsActive: true } && owner.Id == expectedUserId;
        VerifyAssertionResult? verified = null;
        if (optionsJson is not null && response is not null && passkey is not null && allowed)
        {
            try
            {
                verified = await new Fido2(Configuration()).MakeAssertionAsync(new MakeAssertionParams
                {
                    AssertionResponse = response,
                    OriginalOptions = AssertionOptions.FromJson(optionsJson),
                    StoredPublicKey = System.Buffers.Text.Base64Url.DecodeFromChars(passkey.PublicKey),
                    StoredSignatureCounter = (uint)passkey.SignCount,
                    IsUserHandleOwnerOfCredentialIdCallback = (args, _) =>
                        Task.FromResult(args.UserHandle is null || args.UserHandle.AsSpan().SequenceEqual(UserHandle(passkey.UserId))),
                }, ct);
            }
            catch (Exception e) when (IsVerificationFailure(e))
            {
                verified = null;
            }
        }
        if (verified is null || !await store.UseAsync(passkey!.CredentialId, passkey.SignCount, verified.SignCount, ct))
        {
            await throttle.RecordFailureAsync(key, ip, ct);
            await audit.WriteAsync(AuditEvents.LoginFailed, (expected ?? owner)?.PartnerId, (expected ?? owner)?.Id, key, ip, "passkey refused", ct);
            return new(expectedUserId is null && owner is { IsActive: true } && !allowed ? PasskeyRefusal.NotAllowed : PasskeyRefusal.Invalid);
        }
        await throttle.RecordSuccessAsync(key, ip, ct);
        if (expectedUserId is null)
        {
            await throttle.ClearAsync(StartsKey(ip), ct);
        }
        await audit.WriteAsync(AuditEvents.LoginSucceeded, owner!.PartnerId, owner.Id, key, ip,
            $"client={client} factor={(expectedUserId is null ? "passkey_only" : "passkey")} name={Quoted(passkey.Name)}", ct);
        return new(PasskeyRefusal.None, User: owner);
    }

    /// <summary>Removes one of the person's passkeys; audited.</summary>
    public async Task<PasskeyOutcome> RemoveAsync(HttpContext http, CurrentUser user, string id, CancellationToken ct)
    {
        if (await store.RemoveAsync(user.UserId, id, ct) is not { } removed)
        {
            return new(PasskeyRefusal.NotFound);
        }
        await audit.WriteAsync(AuditEvents.SecondFactorRemoved, user.PartnerId, user.UserId, UsernameKey(user.Username), ClientAddress.Of(http),
            "factor=passkey by=self name=" + Quoted(removed.Name), ct);
        return new(PasskeyRefusal.None, Passkey: Summary(removed));
    }

    /// <summary>The relying party: <c>Auth:Issuer</c>'s host (<c>localhost</c> for a loopback address) and its one origin.</summary>
    public Fido2Configuration Configuration()
    {
        var address = new Uri(issuer.Issuer);
        var host = address.IsLoopback ? "localhost" : address.IdnHost;
        var origin = address.Scheme + "://" + host + (address.IsDefaultPort ? "" : ":" + address.Port.ToString(CultureInfo.InvariantCulture));
        return new Fido2Configuration
        {
            RPID = host,
            RPName = "Worktime",
            Origins = new HashSet<string>(StringComparer.Ordinal) { origin },
            TimestampDriftTolerance = 300_000,
        };
    }

    private async Task<PasskeyCeremony> StartAsync(string kind, long? userId, string optionsJson, CancellationToken ct)
    {
        var id = System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
        await store.StartCeremonyAsync(id, kind, userId, optionsJson, CeremonyLifetime, ct);
        return new PasskeyCeremony(id, optionsJson);
    }

    private async Task<PasskeyOutcome?> RefusedAsync(string key, string ip, CancellationToken ct)
    {
        if ((await throttle.CheckAsync(key, ip, ct)).RefusedFor is not { } wait)
        {
            return null;
        }
        await throttle.RecordFailureAsync(key, ip, ct);
        await audit.WriteAsync(AuditEvents.LoginThrottled, username: key, ip: ip, ct: ct);
        return new(PasskeyRefusal.Throttled, wait);
    }

    /// <summary>The WebAuthn user handle of a person: their id as 8 bytes (no name or address in it).</summary>
    internal static byte[] UserHandle(long userId)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, userId);
        return bytes;
    }

    private static T? Parse<T>(string? json) where T : class
    {
        if (string.IsNullOrEmpty(json) || json.Length > 64 * 1024)
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<T>(json);
        }
        catch (Exception e) when (e is JsonException or FormatException or NotSupportedException or ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>What Fido2 throws for an answer that does not verify (or that it cannot read): a refusal, never a 500.</summary>
    private static bool IsVerificationFailure(Exception e) =>
        e is Fido2VerificationException or JsonException or FormatException or ArgumentException or InvalidOperationException
            or CryptographicException or NotSupportedException or OverflowException or IndexOutOfRangeException;

    private static PasskeySummary Summary(StoredPasskey p) => new(p.CredentialId, p.Name, p.CreatedAt, p.LastUsedAt);

    private static string Quoted(string name) => JsonSerializer.Serialize(name);

    private static string UsernameKey(string username) => Credentials.KeyOf(username) ?? username;
}
