namespace Worktime.Api.WebApp;

/// <summary>The web app's fixed addresses.</summary>
internal static class WebPaths
{
    public const string Root = "/app";

    public const string Login = "/app/login";

    public const string Logout = "/app/logout";

    /// <summary>The second step of a login (docs/auth.md, "Second factors").</summary>
    public const string LoginCode = "/app/login/code";

    public const string Profile = "/app/profile";

    public const string Language = "/app/language";

    public const string Week = "/app/week";

    public const string Forbidden = "/app/forbidden";

    /// <summary>Where a login goes when it was not sent from somewhere else.</summary>
    public const string Home = Week;

    /// <summary>
    /// The "return to" of a login, only if it is a path of this server (<c>/…</c>, never <c>//host</c>, <c>/\host</c>,
    /// a scheme, or a control character): anything else goes <see cref="Home"/>, so a link to the login page can
    /// never send a person to another site afterwards (no open redirect).
    /// </summary>
    public static string SafeReturn(string? candidate)
    {
        if (string.IsNullOrEmpty(candidate) || candidate.Length > 2048 || candidate[0] != '/'
            || (candidate.Length > 1 && candidate[1] is '/' or '\\')
            || candidate.Any(c => char.IsControl(c) || c == '\\' || char.IsWhiteSpace(c)))
        {
            return Home;
        }
        return candidate.StartsWith(Login, StringComparison.Ordinal) || candidate.StartsWith(Logout, StringComparison.Ordinal) ? Home : candidate;
    }
}
