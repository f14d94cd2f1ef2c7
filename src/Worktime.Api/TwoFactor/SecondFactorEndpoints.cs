using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Worktime.Api.Accounts;
using Worktime.Api.Auth;
using Worktime.Api.Http;
using Worktime.Api.Quota;

namespace Worktime.Api.TwoFactor;

/// <summary>
/// Second factors through the API (docs/auth.md, "Second factors"), also under <c>/1.1/</c>; the web app's profile
/// page calls the same <see cref="SecondFactors"/>:
/// | route                                   | what |
/// |-----------------------------------------|------|
/// | GET  /me/factors                        | the caller's factors |
/// | POST /me/factors/totp                   | start setting up an authenticator app: its secret and otpauth address |
/// | POST /me/factors/totp/confirm           | <c>{"code"}</c>: turns it on; ten recovery codes, shown only here |
/// | POST /me/factors/totp/remove            | <c>{"password","code"}</c>: turns it off |
/// | POST /users/{id}/factors/reset          | an admin (level 5) resets a person of the partner who lost their factor |
/// </summary>
internal static class SecondFactorEndpoints
{
    public const string Tag = "Second factors";

    public static WebApplication MapSecondFactors(this WebApplication app)
    {
        var me = app.MapGroup("/me/factors").RequireAuthorization().RequireRequestQuota().WithTags(Tag);
        me.MapGet("", ListAsync)
            .WithName("listFactors")
            .WithSummary("Your second factors: the authenticator app (off, pending set-up, on), your passkeys, and how many recovery codes are left")
            .Produces<FactorsBody>();
        me.MapPost("/totp", StartAsync)
            .WithName("startTotpSetup")
            .WithSummary("Starts setting up an authenticator app (TOTP, RFC 6238: SHA-1, 6 digits, 30 s): its secret and otpauth:// address; on only after confirm")
            .Produces<TotpSetupBody>(StatusCodes.Status201Created)
            .Produces<ApiError>(StatusCodes.Status409Conflict);
        me.MapPost("/totp/confirm", ConfirmAsync)
            .WithName("confirmTotpSetup")
            .WithSummary("Turns the authenticator app on with a current code; answers ten one-time recovery codes, shown only here. Every earlier token and session of yours ends")
            .Accepts<CodeRequest>("application/json")
            .Produces<RecoveryCodesBody>()
            .Produces<ApiError>(StatusCodes.Status400BadRequest)
            .Produces<ApiError>(StatusCodes.Status404NotFound)
            .Produces<ApiError>(StatusCodes.Status409Conflict)
            .Produces<ApiError>(StatusCodes.Status429TooManyRequests);
        me.MapPost("/totp/remove", RemoveAsync)
            .WithName("removeTotp")
            .WithSummary("Turns the authenticator app off (and drops the recovery codes) with your password and a current code or a recovery code")
            .Accepts<RemoveRequest>("application/json")
            .Produces<RemovedFactorBody>()
            .Produces<ApiError>(StatusCodes.Status400BadRequest)
            .Produces<ApiError>(StatusCodes.Status404NotFound)
            .Produces<ApiError>(StatusCodes.Status429TooManyRequests);
        app.MapPost("/users/{id}/factors/reset", ResetAsync).RequireAuthorization().RequireRequestQuota().WithTags(Tag)
            .WithName("resetFactors")
            .WithSummary("Admins (level 5): removes a person's second factors and recovery codes (they lost them); the next sign-in asks for the password only")
            .Produces<ResetBody>()
            .Produces<ApiError>(StatusCodes.Status403Forbidden)
            .Produces<ApiError>(StatusCodes.Status404NotFound);
        app.MapSignInPolicy();
        app.MapPasskeys();
        return app;
    }

    private static async Task<IResult> ListAsync(CurrentUser caller, SecondFactors factors, Passkeys passkeys, CancellationToken ct) =>
        Results.Json(FactorsBody.Of(await factors.SummaryAsync(caller.UserId, ct),
            (await passkeys.ListAsync(caller.UserId, ct)).Select(PasskeyBody.Of).ToList()));

    private static async Task<IResult> StartAsync(CurrentUser caller, SecondFactors factors, CancellationToken ct) =>
        await factors.StartAsync(caller, ct) is { } enrolment
            ? Results.Json(new TotpSetupBody(enrolment.Secret, enrolment.OtpAuthUri), statusCode: StatusCodes.Status201Created)
            : ApiError.Result(409, "factor_on", "Your authenticator app is on already: turn it off first (POST /me/factors/totp/remove).");

    private static async Task<IResult> ConfirmAsync(HttpContext http, CurrentUser caller, SecondFactors factors, CancellationToken ct)
    {
        if (await ReadAsync(http.Request, ct) is not { } body)
        {
            return BadBody();
        }
        var outcome = await factors.ConfirmAsync(http, caller, body.GetValueOrDefault("code"), ct);
        return outcome.Succeeded ? Results.Json(new RecoveryCodesBody(outcome.RecoveryCodes!)) : Refused(outcome);
    }

    private static async Task<IResult> RemoveAsync(HttpContext http, CurrentUser caller, SecondFactors factors, CancellationToken ct)
    {
        if (await ReadAsync(http.Request, ct) is not { } body)
        {
            return BadBody();
        }
        var outcome = await factors.TurnOffAsync(http, caller, body.GetValueOrDefault("password"), body.GetValueOrDefault("code"), ct);
        return outcome.Succeeded ? Results.Json(new RemovedFactorBody(true)) : Refused(outcome);
    }

    /// <summary>Also the admin's users page's "Reset second factors" (docs/webapp.md, "Admin pages").</summary>
    internal static async Task<IResult> ResetAsync(string id, CurrentUser caller, SecondFactors factors, UserStore users, CancellationToken ct)
    {
        if (caller.UserLevel < 5)
        {
            return ApiError.Result(403, "forbidden", "Only admins (level 5) reset another person's second factors.");
        }
        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var userId)
            || await users.FindByIdAsync(userId, ct) is not { } user || user.PartnerId != caller.PartnerId)
        {
            return ApiError.NotFound("There is no such user.").ToResult();
        }
        var by = string.Create(CultureInfo.InvariantCulture, $"user:{caller.UserId}");
        var wasOn = await factors.ResetAsync(user.PartnerId, user.Id, Credentials.KeyOf(user.Username) ?? user.Username, by, ct);
        return Results.Json(new ResetBody(true, wasOn));
    }

    private static IResult Refused(FactorOutcome outcome) => outcome.Refusal switch
    {
        FactorRefusal.Throttled => ApiError.Result(429, "slow_down", "Too many wrong passwords or codes: wait for the time in Retry-After.",
            retryAfterSeconds: ApiError.SecondsToWait(outcome.RetryAfter!.Value)),
        // Every 429 carries Retry-After; a busy hashing slot frees within a second, as for the login (docs/auth.md).
        FactorRefusal.Busy => ApiError.Result(429, "temporarily_unavailable", "All password hashing slots are busy; try again shortly.",
            retryAfterSeconds: 1),
        FactorRefusal.NotStarted => ApiError.Result(404, "not_found", "No authenticator set-up is in progress: start one with POST /me/factors/totp."),
        FactorRefusal.NotOn => ApiError.Result(404, "not_found", "Your authenticator app is not on."),
        FactorRefusal.AlreadyOn => ApiError.Result(409, "factor_on", "Your authenticator app is on already."),
        FactorRefusal.WrongPassword => ApiError.Result(400, "invalid_password", "The password is not your current password."),
        _ => ApiError.Result(400, "invalid_code",
            "The code is not a current code of your authenticator app (6 digits; each code works once), nor an unused recovery code."),
    };

    private static IResult BadBody() =>
        ApiError.Result(400, "invalid_request", "The body must be a JSON object of strings, e.g. {\"code\":\"123456\"}.");

    /// <summary>A JSON object whose members are strings (others are ignored); null when the body is not one.</summary>
    private static async Task<Dictionary<string, string>?> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, HttpLimits.JsonBodyOptions, ct);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var member in document.RootElement.EnumerateObject().Where(m => m.Value.ValueKind == JsonValueKind.String))
            {
                values[member.Name] = member.Value.GetString()!;
            }
            return values;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

internal sealed record AuthenticatorState(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("since")] string? Since);

internal sealed record FactorsBody(
    [property: JsonPropertyName("totp")] AuthenticatorState Totp,
    [property: JsonPropertyName("recovery_codes_left")] long RecoveryCodesLeft,
    [property: JsonPropertyName("passkeys")] IReadOnlyList<PasskeyBody> Passkeys)
{
    public static FactorsBody Of(FactorSummary summary, IReadOnlyList<PasskeyBody> passkeys) => new(
        new AuthenticatorState(summary.AuthenticatorOn ? "on" : summary.AuthenticatorPending ? "pending" : "off",
            WireTime.FromUnixSeconds(summary.AuthenticatorSince)),
        summary.RecoveryCodesLeft,
        passkeys);
}

internal sealed record TotpSetupBody(
    [property: JsonPropertyName("secret")] string Secret,
    [property: JsonPropertyName("otpauth_uri")] string OtpauthUri);

internal sealed record CodeRequest([property: JsonPropertyName("code")] string Code);

internal sealed record RemoveRequest(
    [property: JsonPropertyName("password")] string Password,
    [property: JsonPropertyName("code")] string Code);

internal sealed record RecoveryCodesBody([property: JsonPropertyName("recovery_codes")] IReadOnlyList<string> RecoveryCodes);

internal sealed record RemovedFactorBody([property: JsonPropertyName("removed")] bool Removed);

internal sealed record ResetBody(
    [property: JsonPropertyName("reset")] bool Reset,
    [property: JsonPropertyName("was_on")] bool WasOn);
