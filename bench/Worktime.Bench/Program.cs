// The bench runner's helper (bench/run, bench/seed): one executable, five commands.
//   ceilings [--seconds S] [--memory-kib M] [--iterations T] [--only argon2id|rs256]   machine ceilings, "name value" lines
//   seed --db CS --rows N --partners M [--users U] [--analyze true]   bulk-loads a PostgreSQL database (COPY)
//   fill --url URL --token T --rows N --first-user ID --users U --first-project ID --projects P [--concurrency C]
//                                                              creates a partner's worktimes through POST /worktimes
//   fixtures --db CS [--count C]                               one line per seeded partner for the wrk scripts
//   hash                                                       the Argon2id hash of the bench password (SQLite seeding)
using Worktime.Bench;

var command = args.Length > 0 ? args[0] : "";
var options = Options.Parse(args.Skip(1).ToArray());
switch (command)
{
    case "ceilings":
        Ceilings.Print(options.Double("seconds", 5), options.Int("memory-kib", 19456), options.Int("iterations", 2), options.Text("only", "all"));
        return 0;
    case "seed":
        await Seeder.RunAsync(options.Required("db"), options.Long("rows", 100_000), options.Int("partners", 100), options.Int("users", 5),
            options.Text("analyze", "false") == "true");
        return 0;
    case "fill":
        return await ApiFiller.RunAsync(options.Required("url"), options.Required("token"), options.Long("rows", 100_000),
            options.Long("first-user", 0), options.Int("users", 1), options.Long("first-project", 0), options.Int("projects", 1),
            options.Int("concurrency", 16));
    case "fixtures":
        await BenchFixtures.PrintAsync(options.Required("db"), options.Int("count", 16));
        return 0;
    case "hash":
        Console.WriteLine(Seeder.HashPassword());
        return 0;
    default:
        await Console.Error.WriteLineAsync("usage: Worktime.Bench ceilings|seed|fill|fixtures|hash [--option value ...]");
        return 2;
}
