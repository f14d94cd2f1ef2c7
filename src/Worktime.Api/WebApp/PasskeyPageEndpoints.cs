using Microsoft.AspNetCore.Antiforgery;
using Worktime.Api.Auth;
using Worktime.Api.Http;
using Worktime.Api.TwoFactor;
using Worktime.Api.WebApp.Sessions;

namespace Worktime.Api.WebApp;

/// <summary>
/// The ceremonies the pages' script starts (docs/auth.md, "Passkeys"): it posts the page's form (with its antiforgery
/// token) here, gets the options for the browser's WebAuthn API, and posts the browser's answer back with the form.
/// Registration needs a session (also while the company's policy waits for a factor); the sign-in's second step
/// needs the password step of this browser (<see cref="SecondStep"/>); without one the options are for a sign-in
/// with a passkey alone, which only a company that allows it accepts.
/// </summary>
internal static class PasskeyPageEndpoints
{
    public const string RegistrationOptions = "/app/passkeys/registration-options";

    public const string SignInOptions = "/app/login/passkey-options";

    public static WebApplication MapPasskeyPages(this WebApplication app)
    {
        app.MapPost(RegistrationOptions, RegistrationAsync).RequireAuthorization(WebAppRegistration.SignedIn)
            .WithMetadata(new RequireAntiforgeryTokenAttribute(), new AllowedBeforeSecondFactorAttribute()).ExcludeFromDescription();
        app.MapPost(SignInOptions, SignInAsync).WithMetadata(new RequireAntiforgeryTokenAttribute()).ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> RegistrationAsync(HttpContext http, Passkeys passkeys) =>
        Answer(await passkeys.BeginRegistrationAsync(CurrentUser.Of(http)!, http.RequestAborted));

    /// <summary>The login page's button posts <c>mode=alone</c>: any discoverable passkey; the code step's: this browser's person's passkeys.</summary>
    private static async Task<IResult> SignInAsync(HttpContext http, Passkeys passkeys, SecondStep secondStep)
    {
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var alone = string.Equals(form["mode"], "alone", StringComparison.Ordinal);
        if (!alone && secondStep.Read(http)?.UserId is { } userId)
        {
            return Answer(await passkeys.BeginAssertionAsync(userId, http.RequestAborted));
        }
        // Without a password step anyone may ask, so each start counts on the address's throttle counter (a stored row each).
        var (ceremony, wait) = await passkeys.BeginAnonymousAssertionAsync(http, http.RequestAborted);
        return ceremony is not null
            ? Answer(ceremony)
            : ApiError.Result(429, "slow_down", "Too many passkey sign-ins started from this address: wait for the time in Retry-After.",
                retryAfterSeconds: ApiError.SecondsToWait(wait!.Value));
    }

    private static IResult Answer(PasskeyCeremony ceremony) =>
        Results.Content("{\"ceremony\":\"" + ceremony.Id + "\",\"options\":" + ceremony.OptionsJson + "}", "application/json");
}
