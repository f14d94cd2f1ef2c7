namespace Worktime.Api.Accounts;

/// <summary>
/// Why an account operation was refused, as a value: <see cref="Field"/> names the input at fault (the users form
/// answers it as a field error, the CLI prints <see cref="Message"/> as one line).
/// </summary>
internal sealed record AccountError(string Field, string Message, AccountErrorKind Kind = AccountErrorKind.Invalid)
{
    public static AccountError NoSuchUser(string what) => new("username", $"No user is called '{what}'.", AccountErrorKind.NotFound);
}

internal enum AccountErrorKind
{
    /// <summary>The input breaks a rule (400).</summary>
    Invalid,

    /// <summary>The user or partner does not exist (404).</summary>
    NotFound,

    /// <summary>The caller may not do this (403), e.g. a wrong current password.</summary>
    Forbidden,

    /// <summary>
    /// All hashing slots stayed busy: the API answers 429 <c>temporarily_unavailable</c> with <c>Retry-After: 1</c>, as a
    /// busy login does (never a 5xx, docs/security.md); the command line says so and exits non-zero.
    /// </summary>
    Busy,
}

/// <summary>A value or the <see cref="AccountError"/> that prevented it.</summary>
internal readonly record struct AccountOutcome<T>(T? Value, AccountError? Error)
{
    public static implicit operator AccountOutcome<T>(T value) => new(value, null);

    public static implicit operator AccountOutcome<T>(AccountError error) => new(default, error);
}
