using System.CommandLine;
using Worktime.Api.Auth;

namespace Worktime.Api.Cli;

/// <summary><c>keys list | rotate</c> (operations.md, security.md requirement 4).</summary>
internal static class KeysCommands
{
    public static Command Create()
    {
        var keys = new Command("keys", "Token signing keys.");
        var list = new Command("list", "List signing keys with state and dates.");
        list.SetAction(async (parse, ct) =>
        {
            await using var app = await CliApp.StartAsync(parse, ct);
            var store = app.Services.GetRequiredService<SigningKeyStore>();
            var now = app.Services.GetRequiredService<TimeProvider>().GetUtcNow().ToUnixTimeSeconds();
            var rows = await store.LoadRowsAsync(ct);
            Console.WriteLine($"{"kid",-44}  {"state",-8}  {"created",-19}  {"retired",-19}  valid until");
            foreach (var row in rows.OrderByDescending(r => r.CreatedAt))
            {
                long? until = row.RetiredAt is { } r ? store.ValidUntil(r) : null;
                var state = row.RetiredAt is null ? "current" : until > now ? "retired" : "expired";
                Console.WriteLine($"{row.Kid,-44}  {state,-8}  {CliFormat.Time(row.CreatedAt),-19}  {CliFormat.Time(row.RetiredAt),-19}  {CliFormat.Time(until)}");
            }
            if (rows.Count == 0)
            {
                Console.WriteLine("(no keys yet: the first start of the server creates one)");
            }
            return 0;
        });
        var rotate = new Command("rotate", "Create a new current key and retire the old one; prints the new kid as the last line.");
        rotate.SetAction(async (parse, ct) =>
        {
            await using var app = await CliApp.StartAsync(parse, ct);
            var kid = await app.Services.GetRequiredService<SigningKeyStore>().RotateAsync(ct);
            Console.WriteLine("New current key; the previous one keeps validating until its tokens have expired.");
            Console.WriteLine(kid);
            return 0;
        });
        keys.Subcommands.Add(list);
        keys.Subcommands.Add(rotate);
        return keys;
    }
}
