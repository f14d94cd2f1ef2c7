using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using Worktime.Api.Http;

namespace Worktime.Api.Auth;

/// <summary>
/// The token issuer and audience in use: <c>Auth:Issuer</c> / <c>Auth:Audience</c> when set, otherwise the server's own
/// first listening URL — never a request's Host header, which any caller can choose (docs/deploy.md). Token signing,
/// token validation and RFC 8414 discovery all read it here, so they always agree. The listening URL is known once
/// Kestrel has bound (a port of 0 becomes the real port); before that, and on a test server without addresses, it
/// is the first of the configured <c>urls</c>.
/// </summary>
internal sealed class IssuerAddress(IOptions<AuthOptions> options, IServiceProvider services, IConfiguration configuration)
{
    private string? _bound;

    public string Issuer => options.Value.Issuer ?? ListeningUrl;

    public string Audience => options.Value.Audience ?? ListeningUrl;

    /// <summary>True when neither setting is given and the value comes from the listening address.</summary>
    public bool IsDerived => options.Value.Issuer is null || options.Value.Audience is null;

    private string ListeningUrl => _bound ??= BoundUrl() ?? ConfiguredUrl();

    /// <summary>Kestrel's first bound address (fixed once it exists).</summary>
    private string? BoundUrl() =>
        // The CLI builds the same services without a web server: then there is no address to read.
        services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() is { } address
            ? Normalize(address) : null;

    private string ConfiguredUrl()
    {
        var urls = configuration["urls"] ?? configuration["ASPNETCORE_URLS"];
        var first = urls?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        return Normalize(first ?? HttpLimits.DefaultUrls);
    }

    /// <summary>
    /// <c>scheme://host:port</c> without a trailing slash. A wildcard host (<c>+</c>, <c>*</c>, <c>0.0.0.0</c>, <c>[::]</c>)
    /// names no reachable host, so it becomes <c>localhost</c>; deployments behind a proxy set Auth:Issuer instead.
    /// </summary>
    internal static string Normalize(string address)
    {
        var binding = Microsoft.AspNetCore.Http.BindingAddress.Parse(address);
        var host = binding.Host is "+" or "*" or "0.0.0.0" or "[::]" or "::" ? "localhost" : binding.Host;
        var defaultPort = binding.Scheme.Equals("https", StringComparison.OrdinalIgnoreCase) ? 443 : 80;
        var port = binding.Port == defaultPort ? "" : ":" + binding.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return $"{binding.Scheme.ToLowerInvariant()}://{host}{port}";
    }
}

/// <summary>Names the issuer in use in the start-up log, once the server listens (its port is known then).</summary>
internal sealed partial class IssuerAnnouncement(IssuerAddress issuer, ILogger<IssuerAnnouncement> log) : IHostedLifecycleService
{
    public Task StartedAsync(CancellationToken cancellationToken)
    {
        if (issuer.IsDerived)
        {
            Derived(log, issuer.Issuer, issuer.Audience);
        }
        else
        {
            Configured(log, issuer.Issuer, issuer.Audience);
        }
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Token issuer {Issuer}, audience {Audience} (from the listening address: set Auth:Issuer and Auth:Audience behind a proxy or with several nodes)")]
    private static partial void Derived(ILogger logger, string issuer, string audience);

    [LoggerMessage(Level = LogLevel.Information, Message = "Token issuer {Issuer}, audience {Audience} (configured)")]
    private static partial void Configured(ILogger logger, string issuer, string audience);

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
