using System.CommandLine;
using System.Data.Common;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Worktime.Api.Hosting;

namespace Worktime.Api.Cli;

/// <summary>
/// The whole command line of the one executable (README.md, docs/configuration.md), parsed by System.CommandLine: <c>serve</c> (also
/// the root's own action, so a bare <c>worktime</c> serves) and the admin commands, which share the server's service
/// container, so they read the same configuration and talk to the same database. Help and version print and exit 0
/// before anything starts. Exit codes: 0 done, 1 the operation failed (one line on stderr), 2 the command line is wrong.
/// </summary>
internal static class CliApp
{
    public const int Failed = 1;
    public const int UsageError = 2;

    /// <summary><c>--db</c> on every command: the connection string (overrides ConnectionStrings:Worktime).</summary>
    internal static readonly Option<string?> DbOption = new("--db")
    {
        Description = "Database connection string (overrides ConnectionStrings:Worktime)",
        Recursive = true,
    };

    private static readonly Func<Command>[] AdminCommands =
    [
        DbCommands.Create,
        PartnerCommands.Create,
        UserCommands.Create,
        KeysCommands.Create,
        ClientCommands.Create,
        AuditCommands.Create,
        DemoCommand.Create,
    ];

    /// <summary>Parses <paramref name="args"/> and runs what they name; <paramref name="serve"/> runs the API server.</summary>
    public static async Task<int> RunAsync(string[] args, ServeCommand.Server serve)
    {
        var root = new RootCommand("Worktime: a Movenium REST API 1.1 server and its administration commands.");
        root.Options.Add(DbOption);
        ServeCommand.Configure(root, serve); // no command: serve
        root.Subcommands.Add(ServeCommand.Configure(new Command("serve", "Run the API (the default with no command)."), serve));
        foreach (var create in AdminCommands)
        {
            root.Subcommands.Add(create());
        }
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0 && parse.Action is not { ClearsParseErrors: true }) // help and version clear them
        {
            // One line, not the usage dump: the operator's typo is easier to spot, and scripts get exit code 2.
            var problem = parse.UnmatchedTokens.Count > 0
                ? $"unknown command or option '{parse.UnmatchedTokens[0]}'"
                : parse.Errors[0].Message;
            await Console.Error.WriteLineAsync($"worktime: {problem} (see worktime --help)");
            return UsageError;
        }
        try
        {
            // Our handlers below turn an expected failure into one line; the default would print a stack trace.
            return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (CliUsageException e)
        {
            await Console.Error.WriteLineAsync($"worktime: {e.Message} (see worktime --help)");
            return UsageError;
        }
        catch (CliUserException e)
        {
            await Console.Error.WriteLineAsync($"worktime: {e.Message}");
            return Failed;
        }
        catch (Exception e) when (Explain(e) is { } line)
        {
            await Console.Error.WriteLineAsync($"worktime: {line}");
            return Failed;
        }
    }

    /// <summary>
    /// The host logs a failed start with its whole stack trace; <see cref="RunAsync"/> prints one line for the
    /// failures an operator can fix (and rethrows the others), so the host's own report is off until it has started.
    /// </summary>
    public static WebApplicationBuilder ReportStartFailureAsOneLine(this WebApplicationBuilder builder)
    {
        var started = false;
        const string category = "Microsoft.Extensions.Hosting.Internal.Host";
        // A filter replaces the configured level of its category, so it applies that level itself: otherwise the
        // host's Debug lines ("Hosting starting") would be written whatever Logging:LogLevel says (docs/deploy.md).
        var configured = ConfiguredLevel(builder.Configuration, category);
        builder.Logging.AddFilter(category, level => level >= configured && (started || level < LogLevel.Error));
        builder.Services.AddHostedService(services =>
            new StartedFlag(services.GetRequiredService<IHostApplicationLifetime>(), () => started = true));
        return builder;
    }

    /// <summary>The level Logging:LogLevel gives a category: its longest configured prefix, else Default.</summary>
    private static LogLevel ConfiguredLevel(ConfigurationManager configuration, string category)
    {
        for (var name = category; name.Length > 0; name = name.LastIndexOf('.') is var dot and > 0 ? name[..dot] : "")
        {
            if (Enum.TryParse<LogLevel>(configuration[$"Logging:LogLevel:{name}"], ignoreCase: true, out var level))
            {
                return level;
            }
        }
        return Enum.TryParse<LogLevel>(configuration["Logging:LogLevel:Default"], ignoreCase: true, out var fallback) ? fallback : LogLevel.Information;
    }

    /// <summary>Flips the flag once every hosted service (the web server included) has started.</summary>
    private sealed class StartedFlag(IHostApplicationLifetime lifetime, Action onStarted) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            lifetime.ApplicationStarted.Register(onStarted);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>Builds the shared service container for one admin command, honouring <c>--db</c>.</summary>
    public static WebApplication BuildServices(ParseResult parse)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [.. ConfigArguments(parse)] });
        builder.Logging.ClearProviders();
        builder.AddWorktimeServices();
        return builder.Build();
    }

    /// <summary>The shared container on a migrated database.</summary>
    public static async Task<WebApplication> StartAsync(ParseResult parse, CancellationToken ct)
    {
        var app = BuildServices(parse);
        await app.Services.GetRequiredService<Data.Migrator>().MigrateAsync(ct);
        return app;
    }

    /// <summary>Configuration arguments for a host: <c>--db</c> as the connection string.</summary>
    internal static IEnumerable<string> ConfigArguments(ParseResult parse)
    {
        if (parse.GetValue(DbOption) is { } db && !string.IsNullOrWhiteSpace(db))
        {
            yield return $"--ConnectionStrings:Worktime={db}";
        }
    }

    /// <summary>The one line for a failure an operator can fix (no trace, no connection string); null: a bug, let it crash.</summary>
    private static string? Explain(Exception e) => e switch
    {
        IOException { InnerException: Microsoft.AspNetCore.Connections.AddressInUseException } or Microsoft.AspNetCore.Connections.AddressInUseException =>
            $"cannot listen: {FirstLine(e.Message)} (another process uses the address; choose one with --urls)",
        OptionsValidationException o => $"invalid configuration: {string.Join(" ", o.Failures)}",
        Data.SchemaTooNewException => e.Message,
        DbException or SocketException or TimeoutException =>
            $"cannot use the database: {FirstLine(e.Message)} (check --db or ConnectionStrings:Worktime)",
        IOException or UnauthorizedAccessException => $"cannot start: {FirstLine(e.Message)}",
        AggregateException { InnerExceptions.Count: 1 } a => Explain(a.InnerExceptions[0]),
        InvalidOperationException { InnerException: { } inner } => Explain(inner),
        _ when e.InnerException is DbException or SocketException => Explain(e.InnerException),
        _ => null,
    };

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}

/// <summary>A mistake of the operator (duplicate name, unknown partner): one line on stderr, exit 1. Thrown and caught only in Cli/.</summary>
internal sealed class CliUserException(string message) : Exception(message);

/// <summary>A command line that parses but cannot be run as given (exit 2, like a parse error), found before any database is opened.</summary>
internal sealed class CliUsageException(string message) : Exception(message);
