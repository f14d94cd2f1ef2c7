using System.CommandLine;
using Worktime.Api.Hosting;

namespace Worktime.Api.Cli;

/// <summary>
/// The admin CLI of the one executable (docs/deploy.md). Commands share the server's service container,
/// so they read the same configuration and talk to the same database.
/// </summary>
internal static class CliApp
{
    private static readonly Option<string?> DbOption = new("--db")
    {
        Description = "Database connection string (overrides ConnectionStrings:Worktime)",
        Recursive = true,
    };

    private static readonly Func<Command>[] Commands =
    [
        DbCommands.Create,
        PartnerCommands.Create,
        UserCommands.Create,
        KeysCommands.Create,
        AuditCommands.Create,
        DemoCommand.Create,
    ];

    /// <summary>True when the first argument names a CLI command rather than serving.</summary>
    public static bool IsCommand(string[] args) =>
        args.Length > 0 && !args[0].StartsWith('-') && args[0] != "serve";

    /// <summary>Arguments for the web host: `serve` itself is dropped, the rest (e.g. --urls) are configuration.</summary>
    public static string[] ServeArguments(string[] args)
    {
        var rest = args.Length > 0 && args[0] == "serve" ? args[1..] : args;
        return rest.Select(a => a == "--db" ? "--ConnectionStrings:Worktime" : a).ToArray();
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("Worktime: a Movenium REST API 1.1 server and its administration commands.");
        root.Options.Add(DbOption);
        var serve = new Command("serve", "Run the API (the default with no command).");
        serve.Options.Add(new Option<string?>("--urls") { Description = "Listen addresses (default http://127.0.0.1:5080)" });
        root.Subcommands.Add(serve);
        foreach (var create in Commands)
        {
            root.Subcommands.Add(create());
        }
        var parse = root.Parse(args);
        try
        {
            // Our own handler below turns an operator's mistake into one line; the default would print a stack trace.
            return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (CliUserException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 1;
        }
    }

    /// <summary>Builds the shared service container for one command, honouring <c>--db</c>.</summary>
    public static WebApplication BuildServices(ParseResult parse)
    {
        var configArgs = new List<string>();
        var db = parse.GetValue(DbOption);
        if (!string.IsNullOrWhiteSpace(db))
        {
            configArgs.Add($"--ConnectionStrings:Worktime={db}");
        }
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [.. configArgs] });
        builder.Logging.ClearProviders();
        builder.AddWorktimeServices();
        return builder.Build();
    }
}

/// <summary>A mistake of the operator (duplicate name, unknown partner): one line on stderr, exit 1.</summary>
internal sealed class CliUserException(string message) : Exception(message);
