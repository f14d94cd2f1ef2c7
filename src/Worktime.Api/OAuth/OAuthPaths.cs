namespace Worktime.Api.OAuth;

/// <summary>The fixed addresses and names of sign-in for other apps (docs/auth.md).</summary>
internal static class OAuthPaths
{
    /// <summary>The authorization endpoint (RFC 6749 section 3.1): a page of the web app, it shares its login.</summary>
    public const string Authorize = "/authorize";

    /// <summary>The device authorization endpoint (RFC 8628 section 3.1).</summary>
    public const string DeviceAuthorization = "/device_authorization";

    /// <summary>Where a person confirms a device's user code (RFC 8628 section 3.3), a page of the web app.</summary>
    public const string DeviceVerification = "/app/device";

    /// <summary>The web app's page of the apps that can use Worktime as you.</summary>
    public const string ConnectedApps = "/app/apps";

    public const string AuthorizationCodeGrant = "authorization_code";

    public const string DeviceCodeGrant = "urn:ietf:params:oauth:grant-type:device_code";
}
