using System.Net;

namespace Worktime.Api.OAuth;

/// <summary>
/// What a registered client may look like, checked by <c>worktime client add</c> before anything is stored. Each
/// method answers null when the value is fine, else the reason in one sentence.
/// </summary>
internal static class ClientRules
{
    public const int MaxRedirectUriLength = 2000;

    /// <summary>1-100 unreserved URL characters (RFC 3986): a client id travels in URLs, forms and HTTP Basic unescaped.</summary>
    public static string? IdProblem(string? id) =>
        id is { Length: >= 1 and <= 100 } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~')
            ? null
            : "the client id must be 1 to 100 letters, digits, '-', '.', '_' or '~'";

    /// <summary>What the consent page shows: 1-100 characters, none of them control or format characters.</summary>
    public static string? NameProblem(string? name) =>
        name is { Length: >= 1 and <= 100 } && name.Trim().Length == name.Length
            && !name.Any(c => char.IsControl(c) || char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.Format
                or System.Globalization.UnicodeCategory.LineSeparator or System.Globalization.UnicodeCategory.ParagraphSeparator)
            ? null
            : "the name must be 1 to 100 characters without surrounding spaces or control characters";

    /// <summary>
    /// A redirect URI (RFC 6749 section 3.1.2, RFC 8252, RFC 9700 section 2.1): absolute, without a fragment or user
    /// information; <c>https</c>, or <c>http</c> only on the loopback interface (a native app's local listener), or a
    /// private-use scheme named after a domain the app owns (<c>com.example.app:/callback</c>). It is stored exactly
    /// as given and later compared as a string.
    /// </summary>
    public static string? RedirectUriProblem(string? uri)
    {
        if (string.IsNullOrEmpty(uri) || uri.Length > MaxRedirectUriLength || uri.Any(c => c <= ' ' || c >= 0x7f))
        {
            return $"a redirect URI must be 1 to {MaxRedirectUriLength} printable ASCII characters without spaces";
        }
        // The scheme must be written out: on Unix "/cb" parses as an absolute file URI.
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || !uri.StartsWith(parsed.Scheme + ":", StringComparison.OrdinalIgnoreCase))
        {
            return $"'{uri}' is not an absolute URI";
        }
        if (uri.Contains('#', StringComparison.Ordinal))
        {
            return $"'{uri}' has a fragment, which a redirect URI must not have (RFC 6749 section 3.1.2)";
        }
        if (parsed.Scheme is "https" or "http")
        {
            if (parsed.UserInfo.Length > 0)
            {
                return $"'{uri}' carries user information, which a redirect URI must not have";
            }
            if (parsed.Scheme == "http" && !IsLoopback(parsed.Host))
            {
                return $"'{uri}' uses plain http on another host than the loopback interface; use https (RFC 9700 section 2.1)";
            }
            return null;
        }
        // RFC 8252 section 7.1: a private-use scheme is a reverse domain name (com.example.app), never a short word that
        // another app could claim as well, nor one of the schemes a browser runs itself.
        return parsed.Scheme.Contains('.', StringComparison.Ordinal) && !parsed.Scheme.StartsWith('.') && !parsed.Scheme.EndsWith('.')
            ? null
            : $"'{uri}' must use https, http on the loopback interface, or a private-use scheme such as com.example.app:/callback";
    }

    private static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
}
