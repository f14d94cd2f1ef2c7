using System.Text.Json;
using System.Text.Json.Serialization;
using Worktime.Api.Auth;
using Worktime.Api.Http;
using Worktime.Api.Quota;

namespace Worktime.Api.TwoFactor;

/// <summary>
/// Passkeys through the API (docs/auth.md, "Passkeys"), also under <c>/1.1/</c>; the profile page calls the same
/// <see cref="Passkeys"/>:
/// | route                                   | what |
/// |-----------------------------------------|------|
/// | POST   /me/factors/passkeys/options     | a registration ceremony: its id and the options for <c>navigator.credentials.create()</c> |
/// | POST   /me/factors/passkeys             | <c>{"ceremony","name","credential"}</c>: the browser's answer; stores the passkey |
/// | DELETE /me/factors/passkeys/{id}        | removes one of the caller's passkeys |
/// The list is part of <c>GET /me/factors</c>. Assertions (signing in) happen on the web app's sign-in pages.
/// </summary>
internal static class PasskeyEndpoints
{
    public static WebApplication MapPasskeys(this WebApplication app)
    {
        var me = app.MapGroup("/me/factors/passkeys").RequireAuthorization().RequireRequestQuota().WithTags(SecondFactorEndpoints.Tag);
        me.MapPost("/options", BeginAsync)
            .WithName("startPasskeyRegistration")
            .WithSummary("Starts registering a passkey (WebAuthn): the ceremony id and the PublicKeyCredentialCreationOptions (base64url) for navigator.credentials.create(); valid 5 minutes, once")
            .Produces<PasskeyCeremonyBody>(StatusCodes.Status201Created);
        me.MapPost("", FinishAsync)
            .WithName("finishPasskeyRegistration")
            .WithSummary("Stores the passkey the browser created, under a name (1-100 characters). Every earlier token and session of yours ends; ten recovery codes when you had none left")
            .Accepts<PasskeyRegistrationRequest>("application/json")
            .Produces<PasskeyRegisteredBody>(StatusCodes.Status201Created)
            .Produces<ApiError>(StatusCodes.Status400BadRequest)
            .Produces<ApiError>(StatusCodes.Status429TooManyRequests);
        me.MapDelete("/{id}", RemoveAsync)
            .WithName("removePasskey")
            .WithSummary("Removes one of your passkeys")
            .Produces<RemovedFactorBody>()
            .Produces<ApiError>(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> BeginAsync(CurrentUser caller, Passkeys passkeys, CancellationToken ct) =>
        Results.Json(PasskeyCeremonyBody.Of(await passkeys.BeginRegistrationAsync(caller, ct)), statusCode: StatusCodes.Status201Created);

    private static async Task<IResult> FinishAsync(HttpContext http, CurrentUser caller, Passkeys passkeys, CancellationToken ct)
    {
        if (await ReadAsync(http.Request, ct) is not { } body)
        {
            return ApiError.Result(400, "invalid_request",
                "The body must be a JSON object: {\"ceremony\":\"…\",\"name\":\"…\",\"credential\":{…the PublicKeyCredential as JSON…}}.");
        }
        var outcome = await passkeys.FinishRegistrationAsync(http, caller, body.Ceremony, body.Name, body.Credential, ct);
        return outcome.Succeeded
            ? Results.Json(new PasskeyRegisteredBody(PasskeyBody.Of(outcome.Passkey!), outcome.RecoveryCodes), statusCode: StatusCodes.Status201Created)
            : Refused(outcome);
    }

    private static async Task<IResult> RemoveAsync(string id, HttpContext http, CurrentUser caller, Passkeys passkeys, CancellationToken ct)
    {
        var outcome = await passkeys.RemoveAsync(http, caller, id, ct);
        return outcome.Succeeded ? Results.Json(new RemovedFactorBody(true)) : ApiError.NotFound("You have no passkey with that id.").ToResult();
    }

    internal static IResult Refused(PasskeyOutcome outcome)
    {
        if (outcome.Refusal == PasskeyRefusal.Throttled)
        {
            // ApiError writes Retry-After (a header set here by hand was overwritten by its default of 1 second).
            return ApiError.Result(429, "slow_down", "Too many failed attempts: wait for the time in Retry-After.",
                retryAfterSeconds: ApiError.SecondsToWait(outcome.RetryAfter!.Value));
        }
        return ApiError.Result(400, "invalid_passkey",
            "The passkey answer does not verify: it must answer this ceremony (once, within 5 minutes), from this server's origin, and a name of 1-100 characters is needed.");
    }

    private static async Task<(string? Ceremony, string? Name, string? Credential)?> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, HttpLimits.JsonBodyOptions, ct);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }
            static string? Text(JsonElement root, string name) =>
                root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
            var credential = root.TryGetProperty("credential", out var c) && c.ValueKind == JsonValueKind.Object ? c.GetRawText() : null;
            return (Text(root, "ceremony"), Text(root, "name"), credential);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

internal sealed record PasskeyCeremonyBody(
    [property: JsonPropertyName("ceremony")] string Ceremony,
    [property: JsonPropertyName("options")] JsonElement Options)
{
    public static PasskeyCeremonyBody Of(PasskeyCeremony ceremony)
    {
        using var document = JsonDocument.Parse(ceremony.OptionsJson);
        return new(ceremony.Id, document.RootElement.Clone());
    }
}

internal sealed record PasskeyRegistrationRequest(
    [property: JsonPropertyName("ceremony")] string Ceremony,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("credential")] JsonElement Credential);

internal sealed record PasskeyBody(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("created")] string Created,
    [property: JsonPropertyName("last_used")] string? LastUsed)
{
    public static PasskeyBody Of(PasskeySummary p) => new(p.Id, p.Name, WireTime.FromUnixSeconds(p.CreatedAt), WireTime.FromUnixSeconds(p.LastUsedAt));
}

internal sealed record PasskeyRegisteredBody(
    [property: JsonPropertyName("passkey")] PasskeyBody Passkey,
    [property: JsonPropertyName("recovery_codes")] IReadOnlyList<string>? RecoveryCodes);
