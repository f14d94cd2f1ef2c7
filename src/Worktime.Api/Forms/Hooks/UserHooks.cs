namespace Worktime.Api.Forms.Hooks;

/// <summary>The user form over the login's own <c>users</c> table.</summary>
internal sealed class UserHooks : FormHooks
{
    public static readonly UserHooks Instance = new();
}
