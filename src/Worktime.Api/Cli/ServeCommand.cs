using System.CommandLine;
using System.Text.RegularExpressions;

namespace Worktime.Api.Cli;

/// <summary>
/// <c>worktime [serve] [--urls URLS] [--db CS] [--Section:Key=value ...]</c>: runs the API. Configuration overrides
/// (any key of appsettings.json, docs/configuration.md) pass through to the host; any other unknown word is a usage error.
/// </summary>
internal static partial class ServeCommand
{
    /// <summary>Runs the API server with these host arguments until it is stopped; returns the exit code.</summary>
    public delegate Task<int> Server(string[] hostArguments, CancellationToken ct);

    /// <summary>Declares serve's options and action on <paramref name="command"/> (the root, or <c>serve</c> itself).</summary>
    public static Command Configure(Command command, Server server)
    {
        var urls = new Option<string?>("--urls") { Description = "Listen addresses, ';'-separated (default http://127.0.0.1:5080)" };
        var environment = new Option<string?>("--environment") { Description = "Hosting environment (Production, Development)" };
        command.Options.Add(urls);
        command.Options.Add(environment);
        // Configuration overrides have open-ended names, so they arrive as unmatched tokens and are checked below.
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parse, ct) =>
        {
            var host = new List<string>(CliApp.ConfigArguments(parse));
            if (parse.GetValue(urls) is { } u)
            {
                host.Add($"--urls={u}");
            }
            if (parse.GetValue(environment) is { } e)
            {
                host.Add($"--environment={e}");
            }
            var unmatched = parse.UnmatchedTokens;
            for (var i = 0; i < unmatched.Count; i++)
            {
                if (ConfigOverride().IsMatch(unmatched[i]))
                {
                    host.Add(unmatched[i]);
                }
                else if (SpacedOverride().IsMatch(unmatched[i]) && i + 1 < unmatched.Count)
                {
                    host.Add($"{unmatched[i]}={unmatched[++i]}");
                }
                else
                {
                    await Console.Error.WriteLineAsync(
                        $"worktime: unknown command or option '{unmatched[i]}' (see worktime --help; configuration overrides look like --Auth:Issuer=https://…)");
                    return CliApp.UsageError;
                }
            }
            return await server([.. host], ct);
        });
        return command;
    }

    /// <summary><c>--Key=value</c> with a configuration key (letters, digits, <c>:</c>, <c>_</c>, <c>.</c>), as the host reads them.</summary>
    [GeneratedRegex(@"^--[A-Za-z][A-Za-z0-9_.]*(:[A-Za-z0-9_.]+)*=", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, matchTimeoutMilliseconds: 1000)]
    private static partial Regex ConfigOverride();

    /// <summary><c>--Section:Key value</c> (the value in the next word); a colon marks it as configuration.</summary>
    [GeneratedRegex(@"^--[A-Za-z][A-Za-z0-9_.]*(:[A-Za-z0-9_.]+)+$", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, matchTimeoutMilliseconds: 1000)]
    private static partial Regex SpacedOverride();
}
