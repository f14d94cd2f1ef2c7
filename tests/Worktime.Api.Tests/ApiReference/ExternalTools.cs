using System.Diagnostics;
using System.Text;
using Worktime.Api.Tests.Infrastructure;
using Worktime.Api.Tests.MultiNode;

namespace Worktime.Api.Tests.ApiReference;

public sealed record ToolResult(int ExitCode, string Output)
{
    public void ShouldSucceed(string what) =>
        ExitCode.ShouldBe(0, $"{what} failed (exit {ExitCode}):\n{Output}");
}

/// <summary>
/// The programs these tests run: installed by scripts/test when missing (into <see cref="ToolsDir"/> or by apt),
/// so a missing tool is a failure naming the install step, never a silent skip.
/// </summary>
public static class ExternalTools
{
    /// <summary>Where scripts/test puts npm tools: <c>$WORKTIME_TOOLS_DIR</c>, default <c>~/.cache/worktime-tools</c>.</summary>
    public static string ToolsDir { get; } = Environment.GetEnvironmentVariable("WORKTIME_TOOLS_DIR") is { Length: > 0 } dir
        ? dir
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "worktime-tools");

    public static string Redocly => Require(Path.Combine(ToolsDir, "redocly", "node_modules", ".bin", "redocly"));

    public static string Chromium => Require("/usr/bin/chromium");

    public static string Require(string path) =>
        File.Exists(path) ? path : throw new FileNotFoundException($"{path} is missing: scripts/test installs it (see the tool section there).");

    public static async Task<ToolResult> RunAsync(string fileName, IEnumerable<string> args, string workingDirectory,
        IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null, string? stdin = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }
        using var process = Process.Start(info)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }
        process.StandardInput.Close();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(cts.Token); // also waits for the output readers to reach the end
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            lock (output)
            {
                return new ToolResult(-1, $"{fileName} did not finish in time:\n{output}");
            }
        }
        lock (output)
        {
            return new ToolResult(process.ExitCode, output.ToString());
        }
    }

    /// <summary>A fresh folder under the test run's temp directory.</summary>
    public static string TempDir(string purpose)
    {
        var dir = Path.Combine(Path.GetTempPath(), "worktime-tests", $"{purpose}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    public static string RepoRoot => RepoPaths.Root;
}
