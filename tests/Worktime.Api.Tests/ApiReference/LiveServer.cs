using System.Text.RegularExpressions;
using Worktime.Api.Tests.Infrastructure;
using Worktime.Api.Tests.MultiNode;

namespace Worktime.Api.Tests.ApiReference;

/// <summary>
/// One real server process (its own Kestrel port) for the tools that need a URL: the generated client, the
/// browser and the documentation examples. Its admin is the one the first start creates, logged in with the
/// password it prints once — exactly what a newcomer following the README has.
/// </summary>
public sealed partial class LiveServer : IAsyncLifetime
{
    private string _connectionString = "";

    public ServerProcess Server { get; private set; } = null!;

    public string Url => Server.BaseAddress.ToString().TrimEnd('/');

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822:Mark members as static",
        Justification = "Read beside the instance's Url and Password.")]
    public string Username => "admin";

    public string Password { get; private set; } = "";

    public async Task InitializeAsync()
    {
        _connectionString = await TestBackend.CreateDatabaseAsync();
        var port = ServerProcess.FreePort();
        Server = ServerProcess.Start(new Dictionary<string, string>
        {
            // The public URL: the document's server, which the /docs page's "try it" calls.
            ["Auth__Issuer"] = $"http://127.0.0.1:{port}",
            ["Auth__Audience"] = $"http://127.0.0.1:{port}",
            ["ConnectionStrings__Worktime"] = _connectionString,
            ["Auth__Argon2__MemoryKiB"] = "8192",
            ["Auth__Argon2__Iterations"] = "1",
        }, port);
        await Server.WaitReadyAsync();
        Password = AdminPassword().Match(Server.Output) is { Success: true } match
            ? match.Groups[1].Value
            : throw new InvalidOperationException("The first start printed no admin password:\n" + Server.Output);
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await TestBackend.DropDatabaseAsync(_connectionString);
    }

    /// <summary>Environment of the documentation's runnable examples (docs/clients.md).</summary>
    public Dictionary<string, string> ExampleEnvironment() => new()
    {
        ["WORKTIME_URL"] = Url,
        ["WORKTIME_USERNAME"] = Username,
        ["WORKTIME_PASSWORD"] = Password,
    };

    [GeneratedRegex(@"admin password \(shown only this once\): (\S+)")]
    private static partial Regex AdminPassword();
}

[CollectionDefinition(Name)]
public sealed class LiveServerCollection : ICollectionFixture<LiveServer>
{
    public const string Name = "Live server for external tools";
}
