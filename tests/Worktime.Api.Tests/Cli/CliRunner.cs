using Worktime.Api.Cli;

namespace Worktime.Api.Tests.Cli;

/// <summary>Runs the CLI in-process with captured stdin/stdout/stderr (process-global: only inside <see cref="SerialCollection"/>).</summary>
internal static class CliRunner
{
    private static readonly SemaphoreSlim Gate = new(1, 1);

    public static async Task<(int Exit, string Out, string Err)> RunAsync(string database, string? stdin, params string[] args)
    {
        await Gate.WaitAsync();
        var (oldOut, oldErr, oldIn) = (Console.Out, Console.Error, Console.In);
        using var output = new StringWriter();
        using var error = new StringWriter();
        Console.SetOut(output);
        Console.SetError(error);
        Console.SetIn(new StringReader(stdin ?? ""));
        try
        {
            var exit = await CliApp.RunAsync([.. args, "--db", database], NoServer);
            return (exit, output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldErr);
            Console.SetIn(oldIn);
            Gate.Release();
        }
    }

    /// <summary>Captures what the action writes to stdout (for the first-start banner of a test app).</summary>
    public static async Task<string> CaptureOutAsync(Func<Task> action)
    {
        await Gate.WaitAsync();
        var oldOut = Console.Out;
        using var output = new StringWriter();
        Console.SetOut(output);
        try
        {
            await action();
            return output.ToString();
        }
        finally
        {
            Console.SetOut(oldOut);
            Gate.Release();
        }
    }

    /// <summary>In-process runs test the admin commands; serving is tested through the real binary (CommandLineTests).</summary>
    internal static Task<int> NoServer(string[] hostArguments, CancellationToken ct) =>
        throw new InvalidOperationException("This in-process CLI run does not serve.");

    public static string LastLine(string text) => text.TrimEnd().Split('\n')[^1].Trim();
}
