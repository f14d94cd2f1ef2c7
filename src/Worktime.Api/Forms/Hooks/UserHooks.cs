using System.Security.Cryptography;
using System.Text;
using Dapper;
using Worktime.Api.Audit;
using Worktime.Api.Auth;
using Worktime.Api.Forms.Rows;
using Worktime.Api.Users;

namespace Worktime.Api.Forms.Hooks;

/// <summary>
/// The user form over the login's own <c>users</c> table: unique login names (compared normalised, across all
/// partners, because /login has no partner field), a write-only password, no level above the caller's own, and
/// every loss of access (removed, inactive, level changed) revoking the user's tokens through <see cref="UserAccounts"/>.
/// </summary>
internal sealed class UserHooks : FormHooks
{
    public static readonly UserHooks Instance = new();

    public override FormError? Authorize(FormWrite write)
    {
        var self = write.Existing?.Id == write.Caller.UserId;
        if (write.Row.GetValueOrDefault("userlevel") is long level && level > write.Caller.UserLevel && write.Sets("userlevel"))
        {
            return FormError.Forbidden("You cannot give a user a level above your own.");
        }
        if (self && write.Sets("status") && write.Row["status"] as string == "inactive")
        {
            return FormError.Forbidden("You cannot deactivate yourself."); // removing yourself: AccessRules.OwnRowRemovable
        }
        return null;
    }

    public override void Complete(FormWrite write, Dictionary<string, string> errors)
    {
        if (write.Existing is null || write.Sets("username"))
        {
            // Not a soft rule: validation=off cannot create a user nobody can log in as.
            var username = write.Row.GetValueOrDefault("username") as string ?? "";
            var normalized = Normalize(username);
            if (normalized is null || normalized.Length is 0 or > UserAccounts.MaxUsernameLength || normalized.Any(char.IsControl))
            {
                errors["username"] = $"must be 1 to {UserAccounts.MaxUsernameLength} characters without control characters";
            }
            else
            {
                write.Row["username"] = username.Trim().Normalize(NormalizationForm.FormC);
            }
        }
        if (write.WriteOnly.TryGetValue("password", out var password)
            && (password.Length == 0 || Encoding.UTF8.GetByteCount(password) > PasswordHasher.MaxPasswordBytes))
        {
            errors["password"] = $"must be 1 to {PasswordHasher.MaxPasswordBytes} bytes";
        }
    }

    public override async Task CheckAsync(FormWrite write, Dictionary<string, string> errors, CancellationToken ct)
    {
        if (errors.ContainsKey("username") || (write.Existing is not null && !write.Sets("username")))
        {
            return;
        }
        var taken = await write.Connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM users WHERE username_norm = @normalized AND id <> @id",
            new { normalized = Normalize((string)write.Row["username"]!), id = write.Id }, write.Transaction);
        if (taken > 0)
        {
            errors["username"] = "is already taken";
        }
    }

    public override IReadOnlyDictionary<string, string> UniqueViolation() =>
        new Dictionary<string, string> { ["username"] = "is already taken" };

    public override void AddHiddenColumns(FormWrite write, IDictionary<string, object?> columns)
    {
        if (columns.ContainsKey("username"))
        {
            columns["username_norm"] = Normalize((string)write.Row["username"]!);
        }
        if (write.Existing is null)
        {
            columns["security_stamp"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            // Hashed inside the insert, so a new user and its password appear together or not at all.
            columns["password_hash"] = write.WriteOnly.TryGetValue("password", out var password)
                ? write.Services.GetRequiredService<UserAccounts>().HashPassword(password)
                : null;
        }
    }

    public override async Task AfterCommitAsync(FormWrite write, CancellationToken ct)
    {
        var accounts = write.Services.GetRequiredService<UserAccounts>();
        if (write.Existing is null)
        {
            await write.Services.GetRequiredService<AuditLog>().WriteAsync(AuditEvents.UserCreated, write.Caller.PartnerId, write.Id,
                Normalize((string)write.Row["username"]!), detail: $"level={write.Row["userlevel"]} by={write.Caller.UserId}", ct: ct);
            return;
        }
        var removed = write.NewStatus == StoredRow.Removed && !write.Existing.IsRemoved;
        var deactivated = write.Row["status"] as string == "inactive" && write.Existing["status"] as string != "inactive";
        var levelChanged = !Equals(write.Row["userlevel"], write.Existing["userlevel"]);
        if (write.WriteOnly.TryGetValue("password", out var password))
        {
            await accounts.SetPasswordAsync(write.Id, password, ct); // hashes, revokes refresh tokens, audits
        }
        if (removed || deactivated || levelChanged)
        {
            // A token carries the userlevel, and access must end now: every token of the user stops working.
            await accounts.RevokeAccessAsync(write.Id, ct);
        }
        else if (write.NewStatus != write.Existing.Status || write.Row["status"] as string != write.Existing["status"] as string)
        {
            write.Services.GetRequiredService<UserAccessCache>().Invalidate(write.Id); // restored or reactivated: let them in now
        }
    }

    private static string? Normalize(string username)
    {
        try
        {
            return UserAccounts.NormalizeUsername(username);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
