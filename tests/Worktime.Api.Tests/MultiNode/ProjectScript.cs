using System.Diagnostics;

namespace Worktime.Api.Tests.MultiNode;

/// <summary>Runs one of the repository's <c>scripts/</c> (the throwaway PostgreSQL and PgBouncer) and answers its output.</summary>
public static class ProjectScript
{
    public static async Task<string> RunAsync(string script, params string[] args)
    {
        var info = new ProcessStartInfo(Path.Combine(RepoPaths.Root, "scripts", script))
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{script} {string.Join(' ', args)} failed: {await stderr}");
        }
        return await stdout;
    }
}
