using Worktime.Api.Auth;

namespace Worktime.Api.OAuth;

/// <summary>What sign-in for other apps adds to the server metadata (RFC 8414, RFC 9207, RFC 8628).</summary>
internal sealed class OAuthMetadata : IServerMetadata
{
    private static readonly string[] Code = ["code"];
    private static readonly string[] Query = ["query"];
    private static readonly string[] S256 = [Pkce.S256];

    public void AddTo(IDictionary<string, object> metadata, string baseUrl)
    {
        metadata["authorization_endpoint"] = baseUrl + OAuthPaths.Authorize;
        metadata["device_authorization_endpoint"] = baseUrl + OAuthPaths.DeviceAuthorization;
        metadata["response_types_supported"] = Code;
        metadata["response_modes_supported"] = Query;
        metadata["code_challenge_methods_supported"] = S256;
        metadata["authorization_response_iss_parameter_supported"] = true;
        metadata["scopes_supported"] = Scopes.Supported;
    }
}
