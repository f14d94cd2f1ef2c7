using System.Text;
using Worktime.Api.Http;

namespace Worktime.Api.Accounts;

/// <summary>A login name as typed (for display) and its comparison key (RFC 8265, see <see cref="UsernameProfile"/>).</summary>
internal readonly record struct Username(string Display, string Key);

/// <summary>
/// The username and password rules, in one place for login, the CLI and the users form (docs/auth.md).
/// Rules answer with an <see cref="ApiError"/> whose message reads as "username …" / "password …".
/// </summary>
internal static class Credentials
{
    /// <summary>Longest comparison key, in UTF-16 code units.</summary>
    public const int MaxUsernameLength = 200;

    /// <summary>Refused before hashing: hashing cost must not be chosen by the caller.</summary>
    public const int MaxPasswordBytes = 1024;

    public static Outcome<Username> ParseUsername(string? input)
    {
        if (UsernameProfile.Enforce(input ?? "", out var problem) is not { } key)
        {
            return ApiError.Invalid("username", $"The username {problem}.");
        }
        if (key.Length > MaxUsernameLength)
        {
            return ApiError.Invalid("username", $"The username must be at most {MaxUsernameLength} characters.");
        }
        return new Username(UsernameProfile.Display(input!), key);
    }

    /// <summary>The comparison key of what a login or the CLI names, or null when no user can have that name.</summary>
    public static string? KeyOf(string? input)
    {
        var parsed = ParseUsername(input);
        return parsed.Error is null ? parsed.Value.Key : null;
    }

    public static ApiError? CheckPassword(string? password, string field = "password") =>
        string.IsNullOrEmpty(password) || Encoding.UTF8.GetByteCount(password) > MaxPasswordBytes
            ? ApiError.Invalid(field, $"The {field.Replace('_', ' ')} must be 1 to {MaxPasswordBytes} bytes.")
            : null;

    public static ApiError? CheckLevel(long level) =>
        level is < 1 or > 5 ? ApiError.Invalid("userlevel", "The user level must be between 1 and 5.") : null;
}
