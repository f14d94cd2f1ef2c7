using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.MultiNode;

/// <summary>
/// One real API node: <c>dotnet worktime.dll serve --urls http://127.0.0.1:PORT</c> as a child process with its
/// own Kestrel, configured only through environment variables, as an operator would run it.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private static readonly Action<ILogger, string, Exception?> LogLine =
        LoggerMessage.Define<string>(LogLevel.Information, default, "{Line}");
    private readonly ILogger _log;

    private ServerProcess(Process process, int port)
    {
        _process = process;
        Port = port;
        // The node's console goes into the suite's captured logs too, so the secret scan covers real processes.
        _log = new CapturedLogs().CreateLogger($"node:{port}");
        Client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    public HttpClient Client { get; }

    /// <summary>What the node printed so far (for failure messages).</summary>
    public string Output
    {
        get { lock (_output) { return _output.ToString(); } }
    }

    /// <param name="workingDirectory">Where the node runs (default: the test output folder, which has appsettings.json).</param>
    public static ServerProcess Start(IReadOnlyDictionary<string, string> environment, int? port = null, string? workingDirectory = null)
    {
        port ??= FreePort();
        var info = WorktimeCli.StartInfo(["serve", "--urls", $"http://127.0.0.1:{port}"], environment);
        if (workingDirectory is not null)
        {
            info.WorkingDirectory = workingDirectory;
        }
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var server = new ServerProcess(process, port.Value);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>Waits until <c>/health/ready</c> answers 200; fails with the node's output if it exits or times out.</summary>
    public async Task WaitReadyAsync(TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"node on port {Port} exited with {_process.ExitCode}:\n{Output}");
            }
            try
            {
                using var response = await Client.GetAsync("/health/ready");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"node on port {Port} not ready in time:\n{Output}");
    }

    public bool HasExited => _process.HasExited;

    /// <summary>Stops the node as an operator would (SIGTERM) and waits until it exited and its output is read to the end.</summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync();
        }
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
        LogLine(_log, line, null);
    }

    /// <summary>A port nobody listens on now (for a node whose settings must name its own URL).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
