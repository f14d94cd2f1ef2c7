using System.Diagnostics;

namespace Worktime.Api.Tests.MultiNode;

public sealed record CliResult(int ExitCode, string Stdout, string Stderr);

/// <summary>Runs the built <c>worktime</c> executable as a separate process (the CLI as an operator runs it).</summary>
public static class WorktimeCli
{
    public static async Task<CliResult> RunAsync(IEnumerable<string> args, string? stdin = null, TimeSpan? timeout = null)
    {
        using var process = Process.Start(StartInfo(args, new Dictionary<string, string>()))!;
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException e)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"worktime {string.Join(' ', args)} did not finish: {await stderr}", e);
        }
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary><c>dotnet worktime.dll ARGS</c> with a clean ASP.NET environment plus <paramref name="environment"/>.</summary>
    public static ProcessStartInfo StartInfo(IEnumerable<string> args, IReadOnlyDictionary<string, string> environment)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        info.ArgumentList.Add(RepoPaths.WorktimeDll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        // The test host's own settings must not leak into the child (e.g. a Development environment).
        info.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        info.Environment.Remove("DOTNET_ENVIRONMENT");
        info.Environment.Remove("ASPNETCORE_URLS");
        info.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }
        return info;
    }
}
