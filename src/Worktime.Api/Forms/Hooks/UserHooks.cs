using Dapper;
using Worktime.Api.Accounts;
using Worktime.Api.Auth;
using Worktime.Api.Data;
using Worktime.Api.Forms.Storage;
using Worktime.Api.Http;

namespace Worktime.Api.Forms.Hooks;

/// <summary>
/// The user form over the login's own <c>users</c> table. The rules are the accounts' (<see cref="Credentials"/>,
/// <see cref="UserAccounts"/>); this class applies them at the engine's hook points: login names by RFC 8265 and
/// unique across all partners (/login has no partner field), a write-only password hashed in the login's bounded
/// slots before the transaction and stored in the same statement as the row, the current password to change one's
/// own, no level above the caller's own, the last active level-5 user kept, and every change of credentials or
/// access ending the user's sessions after commit.
/// </summary>
internal sealed class UserHooks(UserAccounts accounts, Database database, AuditLog audit, PasswordCheck passwords,
    IHttpContextAccessor http) : FormHooks
{
    private const string PasswordHash = "password_hash";

    public override string FormName => "user";

    public override async Task<ApiError?> BeforeTransactionAsync(FormWriteRequest request, CancellationToken ct)
    {
        if (!request.WriteOnly.TryGetValue("password", out var password))
        {
            return null;
        }
        if (Credentials.CheckPassword(password) is { } invalid)
        {
            return ApiError.Validation(new Dictionary<string, string> { ["password"] = invalid.Description });
        }
        var own = request.TargetIds.Contains(request.Caller.UserId);
        if (!own && request.Caller.UserLevel < request.Form.Access.WriteLevel)
        {
            return null; // the engine refuses this write (403) before it needs a hash: refused requests cost no hashing
        }
        if (own)
        {
            // An admin setting someone else's password needs only their own session; changing one's own needs proof.
            if (!request.WriteOnly.TryGetValue("current_password", out var current) || current.Length == 0)
            {
                return ApiError.Validation(new Dictionary<string, string>
                {
                    ["current_password"] = "is required to change your own password",
                });
            }
            // Counted as a login attempt (throttle and audit): a stolen token must not guess the password freely.
            var ip = http.HttpContext is { } context ? ClientAddress.Of(context) : "unknown";
            var verified = await passwords.CheckCurrentPasswordAsync(request.Caller.UserId, current, ip, ct);
            if (verified.ThrottledFor is { } wait)
            {
                return new ApiError(429, "slow_down", "Too many failed attempts; wait before trying again.")
                {
                    RetryAfterSeconds = (int)Math.Min(int.MaxValue, Math.Ceiling(wait.TotalSeconds)),
                };
            }
            if (verified.Busy)
            {
                return AsFormError(UserAccounts.Busy());
            }
            if (!verified.Succeeded)
            {
                return ApiError.Forbidden("The current_password is not your current password.");
            }
        }
        var hash = await accounts.HashPasswordAsync(password, ct);
        if (hash.Error is { } error)
        {
            return AsFormError(error);
        }
        request.Prepared[PasswordHash] = hash.Value;
        return null;
    }

    public override ApiError? Authorize(FormWrite write)
    {
        var self = write.Existing?.Id == write.Caller.UserId;
        if (write.Row.GetValueOrDefault("userlevel") is long level && level > write.Caller.UserLevel && write.Sets("userlevel"))
        {
            return ApiError.Forbidden("You cannot give a user a level above your own.");
        }
        if (self && write.Sets("status") && write.Row["status"] as string == "inactive")
        {
            return ApiError.Forbidden("You cannot deactivate yourself."); // removing yourself: AccessRules.OwnRowRemovable
        }
        return null;
    }

    /// <summary>A partner keeps at least one active level-5 user: the last one cannot demote itself.</summary>
    public override async Task<ApiError?> AuthorizeAsync(FormWrite write, CancellationToken ct)
    {
        if (write.Existing?.Id != write.Caller.UserId || !write.Sets("userlevel")
            || write.Existing["userlevel"] is not 5L || write.Row["userlevel"] is 5L)
        {
            return null;
        }
        // Locks the other admins' rows (PostgreSQL), so two admins demoting each other cannot both succeed.
        var others = await write.Connection.QueryAsync<long>(
            "SELECT id FROM users WHERE partner_id = @partner AND id <> @self AND userlevel = 5 AND status = 'active' AND row_status = 'normal'"
            + database.Dialect.ForUpdate(),
            new { partner = write.Caller.PartnerId, self = write.Caller.UserId }, write.Transaction);
        return others.Any()
            ? null
            : ApiError.Forbidden("You are the last active level-5 user of your partner; give another user level 5 first.");
    }

    public override void Complete(FormWrite write, Dictionary<string, string> errors)
    {
        if (write.Existing is null || write.Sets("username"))
        {
            // Not a soft rule: validation=off cannot create a user nobody can log in as.
            var parsed = Credentials.ParseUsername(write.Row.GetValueOrDefault("username") as string);
            if (parsed.Error is { } invalid)
            {
                errors["username"] = invalid.Description;
            }
            else
            {
                write.Row["username"] = parsed.Value.Display;
            }
        }
        if (write.WriteOnly.ContainsKey("password") && !write.Prepared.ContainsKey(PasswordHash))
        {
            errors["password"] = "could not be set"; // unreachable: BeforeTransactionAsync hashed it or refused
        }
    }

    public override async Task CheckAsync(FormWrite write, Dictionary<string, string> errors, CancellationToken ct)
    {
        if (errors.ContainsKey("username") || (write.Existing is not null && !write.Sets("username")))
        {
            return;
        }
        if (await UserAccounts.IsTakenAsync(write.Connection, write.Transaction, Key(write), write.Id))
        {
            errors["username"] = "is already taken";
        }
    }

    public override IReadOnlyDictionary<string, string> UniqueViolation() =>
        new Dictionary<string, string> { ["username"] = "is already taken" };

    public override void AddHiddenColumns(FormWrite write, IDictionary<string, object?> columns)
    {
        foreach (var (column, value) in accounts.CredentialColumns(Change(write, columns.ContainsKey("username"))))
        {
            columns[column] = value;
        }
    }

    public override async Task AfterCommitAsync(FormWrite write, CancellationToken ct)
    {
        if (write.Sets("saldo_start") || write.Sets("saldo_initial"))
        {
            // The balance's start and carried-over minutes are balance inputs: audited like corrections.
            await BalanceInputs.AuditAsync(audit, write, ["saldo_start", "saldo_initial"], ct);
        }
        var restored = write.Existing is not null && (write.NewStatus != write.Existing.Status
            || write.Row["status"] as string != write.Existing["status"] as string);
        await accounts.AfterFormWriteAsync(write.Caller.PartnerId, write.Id, Key(write), write.Row["userlevel"] as long? ?? 0,
            write.Caller.UserId, Change(write, false), restored, ct);
    }

    /// <summary>What this write does to the user's credentials and access (the same answer before and after commit).</summary>
    private static CredentialChange Change(FormWrite write, bool nameWritten)
    {
        var created = write.Existing is null;
        var accessLost = !created && (
            (write.NewStatus == StoredRow.Removed && !write.Existing!.IsRemoved)
            || (write.Row["status"] as string == "inactive" && write.Existing!["status"] as string != "inactive")
            || !Equals(write.Row["userlevel"], write.Existing!["userlevel"]));
        var name = nameWritten ? Credentials.ParseUsername(write.Row["username"] as string).Value : (Username?)null;
        return new CredentialChange(created, name, write.Prepared.GetValueOrDefault(PasswordHash) as string, accessLost);
    }

    private static string Key(FormWrite write) =>
        Credentials.KeyOf(write.Row["username"] as string) ?? write.Row["username"] as string ?? "";

    /// <summary>
    /// An account rule's error as the users form answers it: a busy hashing slot as it is (429, as a busy login),
    /// any other as this form's <c>validation_failed</c> naming the field.
    /// </summary>
    private static ApiError AsFormError(ApiError error) =>
        error.Status == StatusCodes.Status429TooManyRequests || error.Fields is null ? error : ApiError.Validation(error.Fields);
}
