using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Worktime.Api.Tests.MultiNode;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.LoadBalancing;

namespace Worktime.Api.Tests.WebApp;

/// <summary>
/// A reverse proxy in front of several nodes, as docs/deploy.md puts nodes behind one: each request goes to the next
/// node in turn (round robin), with no sticky sessions, so a page may come from node A and its form's post land on B.
/// YARP in the test process; the original <c>Host</c> is passed on, so the nodes' redirects and cookies name the proxy.
/// </summary>
public sealed class RoundRobinProxy : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RoundRobinProxy(WebApplication app, Uri address)
    {
        _app = app;
        BaseAddress = address;
    }

    public Uri BaseAddress { get; }

    public static async Task<RoundRobinProxy> StartAsync(int port, IReadOnlyList<Uri> nodes)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        builder.Services.AddReverseProxy().LoadFromMemory(
            [
                new RouteConfig
                {
                    RouteId = "everything", ClusterId = "nodes", Match = new RouteMatch { Path = "{**rest}" },
                    Transforms = [new Dictionary<string, string>(StringComparer.Ordinal) { ["RequestHeaderOriginalHost"] = "true" }],
                },
            ],
            [
                new ClusterConfig
                {
                    ClusterId = "nodes", LoadBalancingPolicy = LoadBalancingPolicies.RoundRobin,
                    Destinations = nodes.Select((node, i) => (node, i)).ToDictionary(
                        d => "node" + d.i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        d => new DestinationConfig { Address = d.node.ToString() }, StringComparer.Ordinal),
                },
            ]);
        var app = builder.Build();
        app.MapReverseProxy();
        await app.StartAsync();
        return new RoundRobinProxy(app, new Uri($"http://127.0.0.1:{port}"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>A free port for the proxy (it must be known before the nodes start: they name it as their issuer).</summary>
    public static int FreePort() => ServerProcess.FreePort();
}
