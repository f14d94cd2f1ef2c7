namespace Worktime.Api.Auth;

/// <summary>
/// Members a feature adds to (or sets in) <c>/.well-known/oauth-authorization-server</c> (RFC 8414): the sign-in for
/// other apps adds its authorization and device authorization endpoints without Auth knowing about them.
/// </summary>
internal interface IServerMetadata
{
    /// <param name="metadata">The members so far, in order; a contributor replaces a member by setting its name.</param>
    /// <param name="baseUrl">The issuer without its trailing slash, the base of every endpoint's address.</param>
    void AddTo(IDictionary<string, object> metadata, string baseUrl);
}
