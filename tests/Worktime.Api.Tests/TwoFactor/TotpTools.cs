using System.Globalization;
using Worktime.Api.Tests.ApiReference;

namespace Worktime.Api.Tests.TwoFactor;

/// <summary>
/// Authenticator codes computed by implementations that are not ours (RFC 6238 with SHA-1, 6 digits, 30 s): Debian's
/// <c>oathtool</c> and <c>pyotp</c> in Debian's Python (scripts/test installs both).
/// </summary>
public static class TotpTools
{
    public static async Task<string> OathtoolAsync(string base32Secret, DateTimeOffset at)
    {
        var result = await ExternalTools.RunAsync(ExternalTools.Require("/usr/bin/oathtool"),
            ["--totp", "--digits=6", "--time-step-size=30s", "-b", base32Secret,
             "--now", at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)],
            Path.GetTempPath());
        result.ExitCode.ShouldBe(0, result.Output);
        return result.Output.Trim();
    }

    public static async Task<string> PyotpAsync(string base32Secret, DateTimeOffset at)
    {
        var result = await ExternalTools.RunAsync(ExternalTools.Require("/usr/bin/python3"),
            ["-c", "import pyotp, sys; print(pyotp.TOTP(sys.argv[1]).at(int(sys.argv[2])))", base32Secret,
             at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)],
            Path.GetTempPath());
        result.ExitCode.ShouldBe(0, result.Output);
        return result.Output.Trim();
    }
}
