using System.CommandLine;
using System.Globalization;
using Worktime.Api.Accounts;
using Worktime.Api.Backups;
using Worktime.Api.Data;

namespace Worktime.Api.Cli;

/// <summary><c>db migrate | backup | restore | check | copy</c> (docs/deploy.md, "Backups", "Upgrades", "Moving to PostgreSQL").</summary>
internal static class DbCommands
{
    public static Command Create()
    {
        var db = new Command("db", "Database administration.");
        db.Subcommands.Add(Migrate());
        db.Subcommands.Add(Backup());
        db.Subcommands.Add(Restore());
        db.Subcommands.Add(Check());
        db.Subcommands.Add(Copy());
        return db;
    }

    private static Command Migrate()
    {
        var migrate = new Command("migrate", "Apply pending schema migrations and exit.");
        migrate.SetAction(async (parse, ct) =>
        {
            await using var app = CliApp.BuildServices(parse);
            var applied = await app.Services.GetRequiredService<Migrator>().MigrateAsync(ct);
            Console.WriteLine(applied.Count == 0 ? "Schema is up to date." : $"Applied: {string.Join(", ", applied)}");
            // Login names made by older rules get their RFC 8265 key (migration 006); collisions are listed, not fixed.
            var conflicts = await app.Services.GetRequiredService<UsernameRenormalization>().ApplyAsync(ct);
            foreach (var c in conflicts)
            {
                Console.WriteLine(CliFormat.Escape(
                    string.Create(CultureInfo.InvariantCulture, $"Username conflict: user {c.UserId} (partner {c.PartnerId}) '{c.Username}': {c.Problem}")));
            }
            return conflicts.Count == 0 ? 0 : CliApp.Failed;
        });
        return migrate;
    }

    private static Command Backup()
    {
        var file = new Argument<string>("FILE") { Description = "The backup file to write (must not exist yet)" };
        var backup = new Command("backup",
            "Write a consistent copy of the database to FILE while the server runs (SQLite: VACUUM INTO; PostgreSQL: pg_dump), checked before it is called done.")
        { file };
        backup.SetAction(async (parse, ct) =>
            Report(await DatabaseBackups.BackupAsync(ConnectionString(parse), parse.GetValue(file)!, ct)));
        return backup;
    }

    private static Command Restore()
    {
        var file = new Argument<string>("FILE") { Description = "A backup written by worktime db backup" };
        var restore = new Command("restore",
            "Replace the database with a checked copy of the backup in FILE (stop the server first: refused while it runs).")
        { file };
        restore.SetAction(async (parse, ct) =>
            Report(await DatabaseBackups.RestoreAsync(ConnectionString(parse), parse.GetValue(file)!, ct)));
        return restore;
    }

    private static Command Check()
    {
        var check = new Command("check",
            "Check integrity, foreign keys, the id allocator and the migrations; exit 0, or 1 with the list of what is wrong.");
        check.SetAction(async (parse, ct) =>
        {
            var outcome = await DatabaseBackups.CheckAsync(ConnectionString(parse), ct);
            if (outcome.Ok)
            {
                Console.WriteLine(outcome.Summary);
                return 0;
            }
            // The list is the command's answer (stdout, one problem a line); stderr says that it failed.
            foreach (var problem in outcome.Problems)
            {
                Console.WriteLine(CliFormat.Escape(problem));
            }
            await Console.Error.WriteLineAsync($"worktime: the database has {outcome.Problems.Count} problem(s)");
            return CliApp.Failed;
        });
        return check;
    }

    private static Command Copy()
    {
        var to = new Option<string>("--to")
        {
            Description = "Connection string of an empty database to copy into (SQLite Data Source=... or PostgreSQL Host=...)",
            Required = true,
        };
        var copy = new Command("copy",
            "Copy the whole database (users, passwords, signing keys, sessions, ids, audit trail) into an empty one of either kind.")
        { to };
        copy.SetAction(async (parse, ct) =>
            Report(await DatabaseCopy.CopyAsync(ConnectionString(parse), parse.GetValue(to)!, ct)));
        return copy;
    }

    /// <summary>The summary on stdout (exit 0), or every problem as a line on stderr (exit 1).</summary>
    private static int Report(BackupOutcome outcome)
    {
        if (outcome.Ok)
        {
            Console.WriteLine(outcome.Summary);
            return 0;
        }
        foreach (var problem in outcome.Problems)
        {
            Console.Error.WriteLine($"worktime: {CliFormat.Escape(problem)}");
        }
        return CliApp.Failed;
    }

    /// <summary>The configured connection string (<c>--db</c> or ConnectionStrings:Worktime), without opening anything.</summary>
    internal static string ConnectionString(ParseResult parse)
    {
        using var app = CliApp.BuildServices(parse);
        return DatabaseRegistration.ConnectionString(app.Configuration);
    }
}
