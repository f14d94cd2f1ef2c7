using System.Globalization;
using System.Security.Cryptography;
using Worktime.Api.Data;

namespace Worktime.Api.Accounts;

/// <summary>
/// First start on an empty database (docs/deploy.md): partner <c>Default</c> and user <c>admin</c> (level 5) with a
/// random password printed once to the console — stdout, not the logger, so it never lands in a log pipeline.
/// </summary>
internal sealed class BootstrapAdmin(UserStore users, PartnerStore partners, UserAccounts accounts) : IStartupStep
{
    public async Task RunAsync(CancellationToken ct)
    {
        if (await users.AnyAsync(ct))
        {
            return;
        }
        var password = RandomPassword();
        var partnerId = (await partners.AddAsync("Default", "fi", ct)).Value;
        if ((await accounts.CreateAsync(partnerId, "admin", 5, password, ct: ct)).Error is not null)
        {
            // Another node won the race to bootstrap; its admin stands, and our partner must not linger empty.
            await partners.RemoveIfEmptyAsync(partnerId, ct);
            return;
        }
        await Console.Out.WriteLineAsync(
            string.Create(CultureInfo.InvariantCulture, $"First start: created partner 'Default' (id {partnerId}) and user 'admin' (level 5).{Environment.NewLine}") +
            $"admin password (shown only this once): {password}");
    }

    /// <summary>20 characters from a 64-symbol alphabet: 120 bits.</summary>
    private static string RandomPassword() =>
        RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", 20);
}
