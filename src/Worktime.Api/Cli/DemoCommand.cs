using System.CommandLine;
using System.Globalization;
using Worktime.Api.Demo;

namespace Worktime.Api.Cli;

/// <summary><c>worktime demo</c>: a new partner full of demo data, and its logins printed once.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var name = new Option<string>("--name") { Description = "Partner name", DefaultValueFactory = _ => "Demo" };
        var months = new Option<int>("--months") { Description = "Months of worktimes, this one included (1-24)", DefaultValueFactory = _ => 6 };
        var workers = new Option<int>("--workers") { Description = "Users at level 1 (1-50)", DefaultValueFactory = _ => 10 };
        var seed = new Option<int>("--seed") { Description = "Random seed (same seed, same data)", DefaultValueFactory = _ => 42 };
        var demo = new Command("demo", "Create a partner with demo users, projects, tasks, worktimes and absences; print its logins.")
        {
            name, months, workers, seed,
        };
        demo.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(months) is < 1 or > 24 || parse.GetValue(workers) is < 1 or > 50)
            {
                throw new CliUserException("--months must be 1 to 24 and --workers 1 to 50.");
            }
            await using var app = await CliApp.StartAsync(parse, ct);
            var data = ActivatorUtilities.CreateInstance<DemoData>(app.Services);
            var result = CliFormat.OrFail(
                await data.CreateAsync(parse.GetValue(name)!, parse.GetValue(months), parse.GetValue(workers), parse.GetValue(seed), ct));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Demo partner '{result.PartnerName}' (id {result.PartnerId}): ")
                + string.Join(", ", result.Rows.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Value} {r.Key}s"))) + ".");
            Console.WriteLine("Logins (passwords are shown only now):");
            Console.WriteLine($"{"username",-28} {"level",-5} password");
            foreach (var login in result.Logins)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{login.Username,-28} {login.Level,-5} {login.Password}"));
            }
            return 0;
        });
        return demo;
    }
}
