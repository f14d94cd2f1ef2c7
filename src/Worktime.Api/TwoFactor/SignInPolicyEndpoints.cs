using System.Text.Json;
using System.Text.Json.Serialization;
using Worktime.Api.Auth;
using Worktime.Api.Http;
using Worktime.Api.Quota;

namespace Worktime.Api.TwoFactor;

/// <summary>
/// A partner's sign-in policy through the API (docs/auth.md, "A policy per company"), also under <c>/1.1/</c>; the
/// admin page <c>/app/admin/security</c> calls the same <see cref="SignInPolicy"/>:
/// | route                  | what |
/// |------------------------|------|
/// | GET /partner/security  | the caller's partner's policy (every level may read it: it says why a set-up is asked) |
/// | PUT /partner/security  | admins (level 5): <c>{"second_factor_levels":[4,5]}</c> |
/// </summary>
internal static class SignInPolicyEndpoints
{
    public static WebApplication MapSignInPolicy(this WebApplication app)
    {
        var group = app.MapGroup("/partner/security").RequireAuthorization().RequireRequestQuota().WithTags(SecondFactorEndpoints.Tag);
        group.MapGet("", ReadAsync)
            .WithName("getSignInPolicy")
            .WithSummary("Your company's sign-in policy: the user levels that must have a second factor")
            .Produces<PartnerSecurityBody>();
        group.MapPut("", WriteAsync)
            .WithName("setSignInPolicy")
            .WithSummary("Admins (level 5): sets the user levels (1-5) that must have a second factor (such a person without one is sent to set one up and can do nothing else first) and/or whether a passkey alone signs in; what is left out stays")
            .Accepts<PartnerSecurityBody>("application/json")
            .Produces<PartnerSecurityBody>()
            .Produces<ApiError>(StatusCodes.Status400BadRequest)
            .Produces<ApiError>(StatusCodes.Status403Forbidden);
        return app;
    }

    private static async Task<IResult> ReadAsync(CurrentUser caller, SignInPolicy policy, CancellationToken ct) =>
        Results.Json(PartnerSecurityBody.Of(await policy.ReadAsync(caller.PartnerId, ct)));

    private static async Task<IResult> WriteAsync(HttpContext http, CurrentUser caller, SignInPolicy policy, CancellationToken ct)
    {
        if (caller.UserLevel < 5)
        {
            return ApiError.Result(403, "forbidden", "Only admins (level 5) set the company's sign-in policy.");
        }
        if (await ReadBodyAsync(http.Request, ct) is not { } body)
        {
            return ApiError.Result(400, "invalid_request",
                "The body must be a JSON object with second_factor_levels (an array of user levels from 1 to 5) and/or passkey_sign_in (true or false), e.g. {\"second_factor_levels\":[4,5],\"passkey_sign_in\":true}.");
        }
        return Results.Json(PartnerSecurityBody.Of(await policy.WriteAsync(caller, body.Levels, body.PasskeySignIn, ct)));
    }

    /// <summary>
    /// What the body changes, or null when it is not an object with <c>second_factor_levels</c> (an array of 1–5) and/or
    /// <c>passkey_sign_in</c> (a boolean), each well-formed.
    /// </summary>
    private static async Task<(List<long>? Levels, bool? PasskeySignIn)?> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, HttpLimits.JsonBodyOptions, ct);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }
            bool? passkeys = null;
            if (root.TryGetProperty("passkey_sign_in", out var flag))
            {
                if (flag.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                {
                    return null;
                }
                passkeys = flag.GetBoolean();
            }
            if (!root.TryGetProperty("second_factor_levels", out var array))
            {
                return passkeys is null ? null : ((List<long>?)null, passkeys);
            }
            if (array.ValueKind != JsonValueKind.Array)
            {
                return null;
            }
            var levels = new List<long>();
            foreach (var item in array.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out var level)
                    || level is < Accounts.SecondFactorLevels.Lowest or > Accounts.SecondFactorLevels.Highest)
                {
                    return null;
                }
                levels.Add(level);
            }
            return (levels, passkeys);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

internal sealed record PartnerSecurityBody(
    [property: JsonPropertyName("second_factor_levels")] IReadOnlyList<long> SecondFactorLevels,
    [property: JsonPropertyName("passkey_sign_in")] bool PasskeySignIn)
{
    public static PartnerSecurityBody Of(PartnerSecurity policy) => new(policy.SecondFactorLevels, policy.PasskeySignIn);
}
