namespace Worktime.Api.Auth;

/// <summary>
/// A client the token endpoint will answer, with the grants it may use. The seed's clients (<c>Auth:Clients</c>) use
/// the password and refresh grants; registered clients (<c>worktime client add</c>, docs/auth.md "Registered clients")
/// come from <see cref="IClientRegistry"/>.
/// </summary>
/// <param name="OmitNulls">Token responses leave out null members (<c>Auth:StrictClients</c>, and every registered client).</param>
internal sealed record TokenClient(string Id, bool OmitNulls, IReadOnlySet<string> GrantTypes)
{
    public const string Password = "password";
    public const string RefreshToken = "refresh_token";

    public static readonly IReadOnlySet<string> SeedGrants = new HashSet<string>(StringComparer.Ordinal) { Password, RefreshToken };
}

/// <summary>Clients beyond <c>Auth:Clients</c>: the registered apps, looked up by the token endpoint on each request.</summary>
internal interface IClientRegistry
{
    Task<TokenClient?> FindAsync(string clientId, CancellationToken ct);
}

/// <summary>
/// A grant of <c>POST /login</c> beyond the password and refresh grants (authorization code, device code). The token
/// endpoint reads the body, checks the parameters every grant shares and that <paramref name="client"/> may use
/// <see cref="GrantType"/>, then hands over.
/// </summary>
internal interface ITokenGrant
{
    string GrantType { get; }

    /// <summary>Parameters of this grant that, when present, must not be empty (checked before the grant runs).</summary>
    IReadOnlyList<string> Parameters { get; }

    Task<IResult> HandleAsync(HttpContext http, TokenRequest request, TokenClient client, CancellationToken ct);
}
