using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using IPNetwork = System.Net.IPNetwork;
using Microsoft.Extensions.Options;

namespace Worktime.Api.Hosting;

/// <summary><c>Http:TrustedProxies</c>: the proxies whose forwarding headers are believed (docs/deploy.md, "Behind a proxy").</summary>
internal sealed class HttpOptions
{
    public const string Section = "Http";

    /// <summary>Addresses (<c>10.0.0.5</c>, <c>::1</c>) or networks in CIDR form (<c>10.0.0.0/8</c>); empty: none.</summary>
    public List<string> TrustedProxies { get; init; } = [];

    /// <summary>The entries parsed, or the first one that is neither an address nor a network.</summary>
    public (List<IPAddress> Proxies, List<IPNetwork> Networks, string? Invalid) Parse()
    {
        var proxies = new List<IPAddress>();
        var networks = new List<IPNetwork>();
        foreach (var entry in TrustedProxies)
        {
            var text = entry.Trim();
            if (IPAddress.TryParse(text, out var address) && !text.Contains('/', StringComparison.Ordinal))
            {
                proxies.Add(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);
            }
            else if (IPNetwork.TryParse(text, out var network))
            {
                networks.Add(network);
            }
            else
            {
                return (proxies, networks, entry);
            }
        }
        return (proxies, networks, null);
    }
}

internal sealed class HttpOptionsValidator : IValidateOptions<HttpOptions>
{
    public ValidateOptionsResult Validate(string? name, HttpOptions options) =>
        options.Parse().Invalid is { } invalid
            ? ValidateOptionsResult.Fail($"Http:TrustedProxies '{invalid}' is neither an IP address nor a network in CIDR form (e.g. 10.0.0.5 or 10.0.0.0/8).")
            : ValidateOptionsResult.Success;
}

/// <summary>
/// The client's address and scheme behind a reverse proxy. A request's <c>X-Forwarded-For</c> and
/// <c>X-Forwarded-Proto</c> are believed only when the connection comes from a configured trusted proxy, and then
/// only back to the first address that is not one (RFC 7239 §5.2: the rightmost entries are the ones our proxies
/// wrote; anything left of them is what the client claimed). With none configured — the default — the headers
/// are ignored: anyone could send them, and the login throttle, the audit records and the logs would believe a
/// forged address. Everything that names the client reads <c>HttpContext.Connection.RemoteIpAddress</c>, which
/// this sets.
/// </summary>
internal static class TrustedProxies
{
    public static void AddTrustedProxies(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<HttpOptions>().Bind(builder.Configuration.GetSection(HttpOptions.Section)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<HttpOptions>, HttpOptionsValidator>();
        // PostConfigure: it wins over ASP.NET Core's defaults (loopback trusted) and over
        // ASPNETCORE_FORWARDEDHEADERS_ENABLED (which trusts every sender), so only this list decides.
        builder.Services.AddOptions<ForwardedHeadersOptions>().PostConfigure<IOptions<HttpOptions>>((forwarded, http) =>
        {
            var (proxies, networks, _) = http.Value.Parse();
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var proxy in proxies)
            {
                forwarded.KnownProxies.Add(proxy);
            }
            foreach (var network in networks)
            {
                forwarded.KnownIPNetworks.Add(network);
            }
            // No list means "believe nobody": the middleware would otherwise take an empty list as "believe everybody".
            forwarded.ForwardedHeaders = proxies.Count + networks.Count == 0
                ? ForwardedHeaders.None
                : ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            forwarded.ForwardLimit = null; // a chain of trusted proxies (CDN, load balancer) is walked to its first untrusted hop
        });
    }

    public static void UseTrustedProxies(this WebApplication app)
    {
        // A connection without a peer address (a Unix socket) would let the middleware take the first forwarded
        // entry unchecked: such a request keeps no forwarded address at all.
        app.UseWhen(context => context.Connection.RemoteIpAddress is not null, trusted => trusted.UseForwardedHeaders());
    }
}
