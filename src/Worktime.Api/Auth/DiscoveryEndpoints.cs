using Microsoft.IdentityModel.Tokens;

namespace Worktime.Api.Auth;

/// <summary>
/// Discovery (docs/auth.md).
/// | route                                       | handler |
/// |---------------------------------------------|---------|
/// | GET /.well-known/jwks.json                  | <see cref="JwksAsync"/> |
/// | GET /.well-known/oauth-authorization-server | <see cref="Metadata"/> (RFC 8414) |
/// </summary>
internal static class DiscoveryEndpoints
{
    public static IEndpointRouteBuilder MapDiscovery(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/.well-known").AllowAnonymous().WithTags("Discovery");
        group.MapGet("/jwks.json", JwksAsync).WithName("getJwks")
            .WithSummary("Public signing keys").WithDescription("The JWK set that verifies access tokens (RFC 7517).");
        group.MapGet("/oauth-authorization-server", Metadata).WithName("getAuthorizationServerMetadata")
            .WithSummary("OAuth server metadata").WithDescription("RFC 8414 metadata: the token, revocation, JWKS, authorization and device authorization endpoints, the grants and PKCE methods.");
        return app;
    }

    /// <summary>Public halves of the current key and of retired keys whose tokens may still be alive.</summary>
    private static async Task<IResult> JwksAsync(SigningKeyRing ring, CancellationToken ct)
    {
        var keys = (await ring.ValidKeysAsync(ct)).Select(k =>
        {
            var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(k.Key.Rsa.ExportParameters(false)));
            return new Dictionary<string, string>
            {
                ["kty"] = "RSA",
                ["use"] = "sig",
                ["alg"] = SecurityAlgorithms.RsaSha256,
                ["kid"] = k.Kid,
                ["n"] = jwk.N,
                ["e"] = jwk.E,
            };
        });
        return Results.Json(new { keys });
    }

    private static readonly string[] SeedGrantTypes = [TokenClient.Password, TokenClient.RefreshToken];
    private static readonly string[] NoClientAuthentication = ["none"]; // public clients (RFC 6749 section 2.1)

    private static IResult Metadata(IssuerAddress address, IEnumerable<ITokenGrant> grants, IEnumerable<IServerMetadata> contributors)
    {
        var issuer = address.Issuer;
        var baseUrl = issuer.TrimEnd('/');
        var metadata = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["issuer"] = issuer,
            ["token_endpoint"] = baseUrl + "/login",
            ["jwks_uri"] = baseUrl + "/.well-known/jwks.json",
            ["revocation_endpoint"] = baseUrl + "/logout",
            ["grant_types_supported"] = SeedGrantTypes.Concat(grants.Select(g => g.GrantType)).ToArray(),
            ["response_types_supported"] = Array.Empty<string>(), // no authorization endpoint unless a contributor adds one
            ["token_endpoint_auth_methods_supported"] = NoClientAuthentication,
            ["revocation_endpoint_auth_methods_supported"] = NoClientAuthentication,
        };
        foreach (var contributor in contributors)
        {
            contributor.AddTo(metadata, baseUrl);
        }
        return Results.Json(metadata);
    }
}
