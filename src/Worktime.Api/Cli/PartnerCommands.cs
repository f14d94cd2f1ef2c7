using System.CommandLine;
using Worktime.Api.Accounts;
using Worktime.Api.Backups;
using Worktime.Api.Forms.Definitions;

namespace Worktime.Api.Cli;

/// <summary><c>partner add | export | import</c> (docs/deploy.md, "A tenant's data in and out").</summary>
internal static class PartnerCommands
{
    public static Command Create()
    {
        var partner = new Command("partner", "Tenants.");
        partner.Subcommands.Add(Add());
        partner.Subcommands.Add(Export());
        partner.Subcommands.Add(Import());
        return partner;
    }

    private static Command Add()
    {
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
        return add;
    }

    private static Command Export()
    {
        var id = new Option<long>("--partner") { Description = "The partner's id", Required = true };
        var credentials = new Option<bool>("--with-credentials")
        {
            Description = "Include the users' password hashes (so they log in with the same passwords after an import)",
        };
        var export = new Command("export",
            "Write every row of one partner (users, every form, links, the audit trail) to standard output as NDJSON; messages go to standard error.")
        { id, credentials };
        export.SetAction(async (parse, ct) =>
        {
            var connection = DbCommands.ConnectionString(parse);
            await using var output = Console.OpenStandardOutput();
            var outcome = await TenantExport.ExportAsync(connection, parse.GetValue(id), parse.GetValue(credentials), output, TimeProvider.System, ct);
            // Standard output is the file: the summary, like every problem, goes to standard error.
            await Console.Error.WriteLineAsync(outcome.Ok ? outcome.Summary : $"worktime: {CliFormat.Escape(outcome.Problems[0])}");
            return outcome.Ok ? 0 : CliApp.Failed;
        });
        return export;
    }

    private static Command Import()
    {
        var file = new Argument<string>("FILE") { Description = "A file written by worktime partner export" };
        var name = new Option<string?>("--name") { Description = "A new name for the partner (default: the exported one)" };
        var import = new Command("import",
            "Load a partner's export into this database (which may hold other partners): new ids, every reference remapped, all or nothing.")
        { file, name };
        import.SetAction(async (parse, ct) =>
        {
            var outcome = await TenantImport.ImportAsync(DbCommands.ConnectionString(parse), parse.GetValue(file)!, parse.GetValue(name),
                FormReferences(), ct);
            if (outcome.Ok)
            {
                Console.WriteLine(outcome.Summary);
                return 0;
            }
            await Console.Error.WriteLineAsync($"worktime: {CliFormat.Escape(outcome.Problems[0])}");
            return CliApp.Failed;
        });
        return import;
    }

    /// <summary>The columns of each form's table that hold ids of other form rows: its reference fields (docs/forms.md).</summary>
    private static Dictionary<string, IReadOnlyList<string>> FormReferences() =>
        FormRegistry.BuiltIn.All
            .GroupBy(f => f.Table, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)[.. g.SelectMany(f => f.Fields)
                .Where(f => f.Type == FieldType.Database && f.Column is not null)
                .Select(f => f.Column!)
                .Distinct(StringComparer.Ordinal)], StringComparer.Ordinal);
}
