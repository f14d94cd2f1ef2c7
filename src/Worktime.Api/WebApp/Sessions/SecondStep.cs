using System.Globalization;
using Microsoft.AspNetCore.DataProtection;
using Worktime.Api.Accounts;

namespace Worktime.Api.WebApp.Sessions;

/// <summary>Who passed the password step: the user, their <c>security_version</c> then, and until when the code may follow.</summary>
internal sealed record PendingSignIn(long UserId, long SecurityVersion, long ExpiresAt);

/// <summary>
/// The state between the password and the code of a login (docs/webapp.md, "Sessions"): a short-lived cookie whose
/// value is sealed with the data-protection keys every node shares, so the code may be posted to any node. It proves
/// only "this browser gave the right password a moment ago"; the session starts after the code.
/// </summary>
internal sealed class SecondStep(IDataProtectionProvider protection, WebCookies cookies, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    private readonly IDataProtector _protector = protection.CreateProtector("Worktime.WebApp.SecondStep.v1");

    public void Begin(HttpContext http, LoginUser user)
    {
        var expires = time.GetUtcNow().Add(Lifetime).ToUnixTimeSeconds();
        var value = _protector.Protect(string.Create(CultureInfo.InvariantCulture, $"{user.Id}|{user.SecurityVersion}|{expires}"));
        http.Response.Cookies.Append(cookies.SecondStep, value, cookies.Options(Lifetime));
    }

    /// <summary>The pending sign-in of this browser, or null (none, tampered with, or expired).</summary>
    public PendingSignIn? Read(HttpContext http)
    {
        if (!http.Request.Cookies.TryGetValue(cookies.SecondStep, out var value) || string.IsNullOrEmpty(value))
        {
            return null;
        }
        string text;
        try
        {
            text = _protector.Unprotect(value);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
        var parts = text.Split('|');
        return parts.Length == 3
            && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var userId)
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
            && expires > time.GetUtcNow().ToUnixTimeSeconds()
            ? new PendingSignIn(userId, version, expires)
            : null;
    }

    public void End(HttpContext http) => http.Response.Cookies.Delete(cookies.SecondStep, cookies.Options(null));
}
