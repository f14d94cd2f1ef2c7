using System.CommandLine;
using Worktime.Api.Accounts;
using Worktime.Api.Data;

namespace Worktime.Api.Cli;

internal static class DbCommands
{
    public static Command Create()
    {
        var db = new Command("db", "Database administration.");
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
                    $"Username conflict: user {c.UserId} (partner {c.PartnerId}) '{c.Username}': {c.Problem}"));
            }
            return conflicts.Count == 0 ? 0 : CliApp.Failed;
        });
        db.Subcommands.Add(migrate);
        return db;
    }
}
