using System.CommandLine;
using Worktime.Api.Data;

namespace Worktime.Api.Cli;

internal static class PartnerCommands
{
    public static Command Create()
    {
        var partner = new Command("partner", "Tenants.");
        var name = new Option<string>("--name") { Description = "Partner name", Required = true };
        var country = new Option<string>("--country") { Description = "ISO 3166 country code", DefaultValueFactory = _ => "fi" };
        var add = new Command("add", "Create a partner; prints its id as the last line.") { name, country };
        add.SetAction(async (parse, ct) =>
        {
            await using var app = CliApp.BuildServices(parse);
            await app.Services.GetRequiredService<Migrator>().MigrateAsync(ct);
            var id = await app.Services.GetRequiredService<PartnerStore>()
                .AddAsync(parse.GetValue(name)!, parse.GetValue(country)!, ct);
            Console.WriteLine(id);
            return 0;
        });
        partner.Subcommands.Add(add);
        return partner;
    }
}
