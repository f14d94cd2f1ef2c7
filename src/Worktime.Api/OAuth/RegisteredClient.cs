namespace Worktime.Api.OAuth;

/// <summary>
/// An app registered with <c>worktime client add</c> (docs/auth.md, "Registered clients"). Public: it has no secret, so
/// PKCE binds its authorization codes and the device code its device authorization.
/// </summary>
/// <param name="RedirectUris">Exact strings an authorization may return to; none for a device-only client.</param>
/// <param name="FirstParty">Ours (the operator's own app): no consent page, the person's login is enough.</param>
/// <param name="Device">May use device authorization (RFC 8628), for command-line tools and devices without a browser.</param>
internal sealed record RegisteredClient(string Id, string Name, IReadOnlyList<string> RedirectUris, bool FirstParty, bool Device, long CreatedAt)
{
    public bool UsesRedirects => RedirectUris.Count > 0;

    /// <summary>The grants of <c>POST /login</c> this client may use.</summary>
    public IReadOnlySet<string> GrantTypes
    {
        get
        {
            var grants = new HashSet<string>(StringComparer.Ordinal) { Auth.TokenClient.RefreshToken };
            if (UsesRedirects)
            {
                grants.Add(OAuthPaths.AuthorizationCodeGrant);
            }
            if (Device)
            {
                grants.Add(OAuthPaths.DeviceCodeGrant);
            }
            return grants;
        }
    }
}
