using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Worktime.Api.Auth;
using Worktime.Api.Http;

namespace Worktime.Api.OAuth;

/// <summary>A checked authorization request (RFC 6749 section 4.1.1 with RFC 7636's challenge): everything a code is bound to.</summary>
internal sealed record AuthorizationRequest(RegisteredClient Client, string RedirectUri, string? State, string CodeChallenge);

/// <summary>
/// Why an authorization request gets an error page instead of a redirect (the redirect URI cannot be trusted): the
/// server's one error type, whose code the page words in the person's language.
/// </summary>
internal static class AuthorizationPageErrors
{
    /// <summary>Not decodable, or client_id / redirect_uri given twice.</summary>
    public static readonly ApiError Malformed = ApiError.InvalidRequest("The request is malformed.");

    public static readonly ApiError UnknownClient = new(400, "invalid_client", "The app that sent you here is not registered with this Worktime.");

    /// <summary>A registered client without redirect URIs (device authorization only).</summary>
    public static readonly ApiError NoBrowserSignIn = new(400, "unauthorized_client", "This app signs in with a code shown on its device, not here.");

    public static readonly ApiError UnregisteredRedirectUri = new(400, "invalid_redirect_uri", "The address the app wants you sent back to is not one registered for it.");
}

/// <summary>The verdict on an authorization request: an error page, an error sent back to the app, or a valid request.</summary>
internal abstract record AuthorizationCheck
{
    public sealed record Page(ApiError Error) : AuthorizationCheck;

    /// <summary>An error the app gets at its redirect URI (RFC 6749 section 4.1.2.1).</summary>
    public sealed record Redirect(string Location) : AuthorizationCheck;

    public sealed record Valid(AuthorizationRequest Request) : AuthorizationCheck;
}

/// <summary>
/// Checks <c>GET /authorize</c>'s query (docs/auth.md, "Authorization code with PKCE"). First the two parameters that
/// say where the browser may be sent — <c>client_id</c> and <c>redirect_uri</c>, an exact string match with one of the
/// client's registered URIs — whose failure shows an error page and never redirects (RFC 6749 section 4.1.2.1, so the
/// endpoint cannot be used as an open redirect); then everything else, whose failure goes back to the app with
/// <c>error</c>, <c>state</c> and <c>iss</c>. Parameter names are case-sensitive and none may appear twice (RFC 6749
/// section 3.1); unknown parameters are ignored.
/// </summary>
internal sealed class AuthorizationRequests(RegisteredClients clients, IssuerAddress issuer)
{
    /// <param name="query">The raw query string, with or without its leading '?'.</param>
    public async Task<AuthorizationCheck> CheckAsync(string query, CancellationToken ct)
    {
        var pairs = FormUrlEncoding.Parse(Encoding.UTF8.GetBytes(query.TrimStart('?')));
        if (pairs is null)
        {
            return new AuthorizationCheck.Page(AuthorizationPageErrors.Malformed);
        }
        var values = pairs.GroupBy(p => p.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(p => p.Value).ToList(), StringComparer.Ordinal);
        string? One(string name) => values.TryGetValue(name, out var list) && list.Count == 1 && list[0].Length > 0 ? list[0] : null;
        bool Twice(string name) => values.TryGetValue(name, out var list) && list.Count > 1;

        if (Twice("client_id") || Twice("redirect_uri"))
        {
            return new AuthorizationCheck.Page(AuthorizationPageErrors.Malformed);
        }
        if (One("client_id") is not { } clientId || await clients.FindAsync(clientId, ct) is not { } client)
        {
            return new AuthorizationCheck.Page(AuthorizationPageErrors.UnknownClient);
        }
        if (!client.UsesRedirects)
        {
            return new AuthorizationCheck.Page(AuthorizationPageErrors.NoBrowserSignIn);
        }
        if (One("redirect_uri") is not { } redirectUri || !client.RedirectUris.Contains(redirectUri, StringComparer.Ordinal))
        {
            return new AuthorizationCheck.Page(AuthorizationPageErrors.UnregisteredRedirectUri);
        }

        // From here on the redirect URI is the client's own: errors go back there.
        var state = One("state");
        if (state is not null && (state.Length > 1024 || state.Any(c => c is < ' ' or > '~')))
        {
            return Error(redirectUri, null, "invalid_request", "The state must be at most 1024 printable ASCII characters.");
        }
        var repeated = values.Where(v => v.Value.Count > 1).Select(v => v.Key).FirstOrDefault();
        if (repeated is not null)
        {
            return Error(redirectUri, Twice("state") ? null : state, "invalid_request", $"The parameter {Printable(repeated)} is given more than once.");
        }
        var responseType = One("response_type");
        if (responseType is null)
        {
            return Error(redirectUri, state, "invalid_request", "The response_type parameter is missing.");
        }
        if (responseType != "code")
        {
            return Error(redirectUri, state, "unsupported_response_type", "Only response_type=code is supported.");
        }
        var method = One("code_challenge_method");
        var challenge = One("code_challenge");
        if (challenge is null)
        {
            return Error(redirectUri, state, "invalid_request", "PKCE is required: send code_challenge with code_challenge_method=S256.");
        }
        if (method != Pkce.S256)
        {
            return Error(redirectUri, state, "invalid_request", method == "plain"
                ? "code_challenge_method=plain is not allowed; use S256."
                : "code_challenge_method must be S256.");
        }
        if (!Pkce.IsChallenge(challenge))
        {
            return Error(redirectUri, state, "invalid_request", "The code_challenge must be 43 base64url characters (BASE64URL(SHA-256(code_verifier))).");
        }
        if (!Scopes.IsValid(One("scope"))) // an empty scope is no scope
        {
            return Error(redirectUri, state, "invalid_scope", $"The only scope is {Scopes.Api}.");
        }
        return new AuthorizationCheck.Valid(new AuthorizationRequest(client, redirectUri, state, challenge));
    }

    /// <summary>The redirect URI with the response's parameters and <c>iss</c> (RFC 9207) added to its own query.</summary>
    public string Response(string redirectUri, string? state, params (string Name, string Value)[] parameters)
    {
        var all = parameters.Select(p => new KeyValuePair<string, string?>(p.Name, p.Value)).ToList();
        if (state is not null)
        {
            all.Add(new("state", state));
        }
        all.Add(new("iss", issuer.Issuer));
        return QueryHelpers.AddQueryString(redirectUri, all);
    }

    private AuthorizationCheck.Redirect Error(string redirectUri, string? state, string error, string description) =>
        new(Response(redirectUri, state, ("error", error), ("error_description", description)));

    private static string Printable(string name) =>
        name.Length <= 40 && name.All(c => c is > ' ' and < (char)0x7f) ? name : "(unprintable)";
}
