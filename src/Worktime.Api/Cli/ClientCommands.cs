using System.CommandLine;
using Worktime.Api.OAuth;

namespace Worktime.Api.Cli;

/// <summary>
/// <c>client add | list | remove</c>: the apps that sign people in through Worktime (docs/auth.md, "Registered clients").
/// The seed's password-grant clients stay in <c>Auth:Clients</c>.
/// </summary>
internal static class ClientCommands
{
    public static Command Create()
    {
        var client = new Command("client", "Apps that sign people in through Worktime (authorization code with PKCE, device authorization).");
        client.Subcommands.Add(Add());
        client.Subcommands.Add(List());
        client.Subcommands.Add(Remove());
        return client;
    }

    private static Command Add()
    {
        var id = new Option<string>("--id") { Description = "The client_id the app sends (letters, digits, '-', '.', '_', '~')", Required = true };
        var name = new Option<string>("--name") { Description = "The app's name, as the consent page shows it", Required = true };
        var redirectUris = new Option<string[]>("--redirect-uri")
        {
            Description = "An exact address the authorization may return to (repeat for several): https, http on the loopback interface, or a private-use scheme",
            AllowMultipleArgumentsPerToken = false,
        };
        var firstParty = new Option<bool>("--first-party") { Description = "The operator's own app: no consent page" };
        var device = new Option<bool>("--device") { Description = "May use device authorization (command-line tools, devices without a browser)" };
        var add = new Command("add", "Register a public client (no secret); prints its id as the last line.") { id, name, redirectUris, firstParty, device };
        add.SetAction(async (parse, ct) =>
        {
            await using var app = await CliApp.StartAsync(parse, ct);
            var problem = await app.Services.GetRequiredService<RegisteredClients>().AddAsync(parse.GetValue(id)!, parse.GetValue(name)!,
                parse.GetValue(redirectUris) ?? [], parse.GetValue(firstParty), parse.GetValue(device), ct);
            if (problem is not null)
            {
                throw new CliUserException(problem);
            }
            Console.WriteLine(parse.GetValue(id));
            return 0;
        });
        return add;
    }

    private static Command List()
    {
        var list = new Command("list", "List the registered clients: id, kind, added, name, redirect URIs (two spaces between fields).");
        list.SetAction(async (parse, ct) =>
        {
            await using var app = await CliApp.StartAsync(parse, ct);
            var clients = await app.Services.GetRequiredService<RegisteredClients>().ListAsync(ct);
            foreach (var c in clients)
            {
                var kind = string.Join(',', new[] { c.FirstParty ? "first-party" : "third-party", c.Device ? "device" : null }.OfType<string>());
                Console.WriteLine(string.Join("  ", new[] { CliFormat.Escape(c.Id), kind, CliFormat.Time(c.CreatedAt), CliFormat.Escape(c.Name) }
                    .Concat(c.RedirectUris.Select(CliFormat.Escape))));
            }
            if (clients.Count == 0)
            {
                Console.WriteLine("(no registered clients: add one with worktime client add)");
            }
            return 0;
        });
        return list;
    }

    private static Command Remove()
    {
        var id = new Argument<string>("id") { Description = "The client's id" };
        var remove = new Command("remove", "Remove a client: its consents and codes go, its refresh tokens are revoked.") { id };
        remove.SetAction(async (parse, ct) =>
        {
            await using var app = await CliApp.StartAsync(parse, ct);
            var clientId = parse.GetValue(id)!;
            if (!await app.Services.GetRequiredService<RegisteredClients>().RemoveAsync(clientId, ct))
            {
                throw new CliUserException($"no registered client '{CliFormat.Escape(clientId)}'");
            }
            Console.WriteLine("Client removed: its consents and codes are gone, its refresh tokens revoked (access tokens end within Auth:AccessTokenLifetime).");
            return 0;
        });
        return remove;
    }
}
