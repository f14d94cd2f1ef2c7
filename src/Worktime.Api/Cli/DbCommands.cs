using System.CommandLine;
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
            return 0;
        });
        db.Subcommands.Add(migrate);
        return db;
    }
}
