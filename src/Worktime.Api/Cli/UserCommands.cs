using System.CommandLine;
using Worktime.Api.Accounts;
using Worktime.Api.Erasure;
using Worktime.Api.TwoFactor;

namespace Worktime.Api.Cli;

/// <summary><c>user add | passwd | disable | erase | reset-2fa</c> (docs/deploy.md). Passwords only ever come from stdin, never argv.</summary>
internal static class UserCommands
{
    public static Command Create()
    {
        var user = new Command("user", "People who log in.");
        user.Subcommands.Add(Add());
        user.Subcommands.Add(Passwd());
        user.Subcommands.Add(Disable());
        user.Subcommands.Add(Erase());
        user.Subcommands.Add(ResetSecondFactors());
        return user;
    }

    private static Command Add()
    {
        var partner = new Option<long>("--partner") { Description = "Partner id", Required = true };
        var username = new Option<string>("--username") { Description = "Login name (unique)", Required = true };
        var level = new Option<int>("--level") { Description = "User level 1-5", Required = true };
        var firstname = new Option<string?>("--firstname") { Description = "First name" };
        var lastname = new Option<string?>("--lastname") { Description = "Last name" };
        var stdin = PasswordStdin();
        var add = new Command("add", "Create a user; prints its id as the last line.") { partner, username, level, firstname, lastname, stdin };
        add.SetAction(async (parse, ct) =>
        {
            var password = await ReadPasswordAsync(parse.GetValue(stdin));
            await using var app = await CliApp.StartAsync(parse, ct);
            var id = await app.Services.GetRequiredService<UserAccounts>().CreateAsync(parse.GetValue(partner), parse.GetValue(username)!,
                parse.GetValue(level), password, parse.GetValue(firstname), parse.GetValue(lastname), ct: ct);
            Console.WriteLine(CliFormat.OrFail(id));
            return 0;
        });
        return add;
    }

    private static Command Passwd()
    {
        var username = new Option<string>("--username") { Description = "Login name", Required = true };
        var stdin = PasswordStdin();
        var passwd = new Command("passwd", "Set a user's password (revokes their refresh tokens).") { username, stdin };
        passwd.SetAction(async (parse, ct) =>
        {
            var password = await ReadPasswordAsync(parse.GetValue(stdin));
            await using var app = await CliApp.StartAsync(parse, ct);
            var accounts = app.Services.GetRequiredService<UserAccounts>();
            var id = CliFormat.OrFail(await accounts.FindIdAsync(parse.GetValue(username)!, ct));
            CliFormat.OrFail(await accounts.SetPasswordAsync(id, password, ct));
            Console.WriteLine("Password changed; the user's refresh tokens are revoked.");
            return 0;
        });
        return passwd;
    }

    private static Command Disable()
    {
        var username = new Option<string>("--username") { Description = "Login name", Required = true };
        var disable = new Command("disable", "Disable a user (logins fail, refresh tokens revoked).") { username };
        disable.SetAction(async (parse, ct) =>
        {
            await using var app = await CliApp.StartAsync(parse, ct);
            var accounts = app.Services.GetRequiredService<UserAccounts>();
            var id = CliFormat.OrFail(await accounts.FindIdAsync(parse.GetValue(username)!, ct));
            CliFormat.OrFail(await accounts.DisableAsync(id, ct));
            Console.WriteLine("User disabled; the user's refresh tokens are revoked.");
            return 0;
        });
        return disable;
    }

    private static Command Erase()
    {
        var username = new Option<string>("--username") { Description = "Login name of the person to erase", Required = true };
        var descriptions = new Option<bool>("--descriptions")
        {
            Description = "Also overwrite the free text of their rows and rows they created, and their name in other free text",
        };
        var erase = new Command("erase",
            "Erase a person who left: personal data overwritten, sessions ended, worktimes and balance kept under an anonymous name.")
        {
            username, descriptions,
        };
        erase.SetAction(async (parse, ct) =>
        {
            await using var app = await CliApp.StartAsync(parse, ct);
            var erased = CliFormat.OrFail(await app.Services.GetRequiredService<UserErasure>()
                .EraseAsync(parse.GetValue(username)!, parse.GetValue(descriptions), ct));
            // Never the erased name: the terminal's scrollback and CI logs would keep it.
            Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"User {erased.Id} erased; now '{erased.AnonymousName}'. Sessions ended; worktimes and balance kept."));
            return 0;
        });
        return erase;
    }

    private static Command ResetSecondFactors()
    {
        var username = new Option<string>("--username") { Description = "Login name of the person who lost their second factor", Required = true };
        var reset = new Command("reset-2fa",
            "Remove a person's authenticator app and recovery codes (they lost them): the next sign-in asks for the password only.") { username };
        reset.SetAction(async (parse, ct) =>
        {
            await using var app = await CliApp.StartAsync(parse, ct);
            var accounts = app.Services.GetRequiredService<UserAccounts>();
            var id = CliFormat.OrFail(await accounts.FindIdAsync(parse.GetValue(username)!, ct));
            var user = (await app.Services.GetRequiredService<UserStore>().FindByIdAsync(id, ct))!;
            var wasOn = await app.Services.GetRequiredService<SecondFactors>()
                .ResetAsync(user.PartnerId, user.Id, Accounts.Credentials.KeyOf(user.Username) ?? user.Username, "cli", ct);
            var invariant = System.Globalization.CultureInfo.InvariantCulture;
            Console.WriteLine(wasOn
                ? string.Create(invariant, $"User {id}: second factors removed; the next sign-in asks for the password only.")
                : string.Create(invariant, $"User {id} had no second factor on; any set-up in progress was removed."));
            return 0;
        });
        return reset;
    }

    private static Option<bool> PasswordStdin() => new("--password-stdin") { Description = "Read the password from the first line of stdin" };

    /// <summary>
    /// The first line of stdin, without its line ending; refused when the line is empty. A missing
    /// <c>--password-stdin</c> is a wrong command line (exit 2, before any database is opened), not a failed operation:
    /// the password never goes on the command line, where other users of the machine could read it.
    /// </summary>
    private static async Task<string> ReadPasswordAsync(bool fromStdin)
    {
        if (!fromStdin)
        {
            throw new CliUsageException("Give the password on stdin and pass --password-stdin (never on the command line).");
        }
        var line = await Console.In.ReadLineAsync();
        return string.IsNullOrEmpty(line) ? throw new CliUserException("No password on stdin.") : line;
    }
}
