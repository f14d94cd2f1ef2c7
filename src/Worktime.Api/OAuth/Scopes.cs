namespace Worktime.Api.OAuth;

/// <summary>
/// Scopes (RFC 6749 section 3.3). An app gets what its person can do — the whole API at the person's user level, as
/// a password login does — so there is one scope, <c>api</c>, which a request may name or leave out. Anything else is
/// <c>invalid_scope</c> rather than silently granted as something it did not ask for.
/// </summary>
internal static class Scopes
{
    public const string Api = "api";

    public static readonly string[] Supported = [Api];

    /// <summary>True when the scope parameter is absent or lists only supported scopes (space-separated).</summary>
    public static bool IsValid(string? scope) =>
        scope is null || (scope.Length is > 0 and <= 200
            && scope.Split(' ').All(s => Supported.Contains(s, StringComparer.Ordinal)));
}
