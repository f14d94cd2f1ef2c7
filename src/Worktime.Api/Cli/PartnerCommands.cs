using System.CommandLine;
using Worktime.Api.Accounts;

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
            await using var app = await CliApp.StartAsync(parse, ct);
            var id = await app.Services.GetRequiredService<PartnerStore>()
                .AddAsync(parse.GetValue(name)!, parse.GetValue(country)!, ct);
            Console.WriteLine(CliFormat.OrFail(id));
            return 0;
        });
        partner.Subcommands.Add(add);
        return partner;
    }
}
