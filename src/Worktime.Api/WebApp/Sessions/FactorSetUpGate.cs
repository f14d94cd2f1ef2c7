using Microsoft.AspNetCore.Authorization;

namespace Worktime.Api.WebApp.Sessions;

/// <summary>Marks the few pages and endpoints a person may use while their partner's policy waits for their second factor: the set-up, logging out.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
internal sealed class AllowedBeforeSecondFactorAttribute : Attribute;

/// <summary>
/// The partner's policy asks the person's level for a second factor and they have none (docs/auth.md, "A policy per
/// company"): the session scheme marks the request (<see cref="MarkWaiting"/>, beside the caller it resolved once),
/// and every page but the set-up refuses them — the policies of <see cref="WebAppRegistration"/> fail, and the
/// session scheme answers that with the set-up page instead of "forbidden". Pages call the API's handlers as the
/// session's user, so this keeps the API out of reach too.
/// </summary>
internal static class FactorSetUpGate
{
    private static readonly object Key = new();

    public static void MarkWaiting(HttpContext http) => http.Items[Key] = true;

    public static bool Waits(HttpContext? http) => http?.Items.ContainsKey(Key) == true;

    /// <summary>The requirement of every web policy: no set-up pending, or an endpoint marked <see cref="AllowedBeforeSecondFactorAttribute"/>.</summary>
    public static bool Passes(AuthorizationHandlerContext context) =>
        context.Resource is not HttpContext http || !Waits(http) || IsAllowedDuringSetUp(http);

    public static bool IsAllowedDuringSetUp(HttpContext? http) =>
        http?.GetEndpoint()?.Metadata.GetMetadata<AllowedBeforeSecondFactorAttribute>() is not null;
}
