using Microsoft.Extensions.Options;
using Worktime.Api.Accounts.Argon2;

namespace Worktime.Api.Auth;

/// <summary>Fails start-up with messages that name the configuration key and say how to fix it.</summary>
internal sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions o)
    {
        var errors = new List<string>();
        void Require(bool ok, string message)
        {
            if (!ok)
            {
                errors.Add(message);
            }
        }

        // Unset means "the listening URL"; set, they must say something (an empty value is a mistake, not a default).
        Require(o.Issuer is null || !string.IsNullOrWhiteSpace(o.Issuer), "Auth:Issuer must be a non-empty string (e.g. https://api.example.com) or unset.");
        Require(o.Audience is null || !string.IsNullOrWhiteSpace(o.Audience), "Auth:Audience must be a non-empty string (e.g. https://api.example.com) or unset.");
        Require(o.AccessTokenLifetime >= TimeSpan.FromMinutes(1) && o.AccessTokenLifetime <= TimeSpan.FromDays(1),
            "Auth:AccessTokenLifetime must be between 00:01:00 and 1.00:00:00.");
        Require(o.RefreshTokenLifetime >= TimeSpan.FromHours(1) && o.RefreshTokenLifetime <= TimeSpan.FromDays(365),
            "Auth:RefreshTokenLifetime must be between 01:00:00 and 365.00:00:00.");
        Require(o.RefreshTokenLifetime > o.AccessTokenLifetime,
            "Auth:RefreshTokenLifetime must be longer than Auth:AccessTokenLifetime.");
        Require(o.EffectiveClients.All(c => !string.IsNullOrWhiteSpace(c) && c.Length <= 100 && c.All(ch => ch > ' ' && ch < 0x7f)),
            "Auth:Clients must list client ids of 1 to 100 printable ASCII characters.");
        Require(o.StrictClients is null || o.StrictClients.All(c => o.EffectiveClients.Contains(c, StringComparer.Ordinal)),
            "Auth:StrictClients must list only client ids that are also in Auth:Clients.");
        Require(o.CountryHeader is null || (o.CountryHeader.Length is > 0 and <= 100 && o.CountryHeader.All(ch => char.IsAsciiLetterOrDigit(ch) || ch == '-')),
            "Auth:CountryHeader must be an HTTP header name such as CloudFront-Viewer-Country.");
        Require(o.Argon2.MemoryKiB is >= 8 and <= 4 * 1024 * 1024,
            "Auth:Argon2:MemoryKiB must be between 8 and 4194304 (OWASP: 19456).");
        Require(o.Argon2.Iterations is >= 1 and <= 100, "Auth:Argon2:Iterations must be between 1 and 100 (OWASP: 2).");
        Require(Argon2idEngine.Choices.Contains(o.Argon2.Implementation, StringComparer.Ordinal),
            "Auth:Argon2:Implementation must be auto, libargon2 or libsodium.");
        Require(o.Argon2.Implementation != LibArgon2Engine.Id || LibArgon2Engine.TryLoad() is not null,
            "Auth:Argon2:Implementation is libargon2, but libargon2 could not be loaded (install libargon2-1, or choose auto).");
        Require(o.KeyRefreshInterval >= TimeSpan.FromSeconds(1) && o.KeyRefreshInterval <= TimeSpan.FromDays(1),
            "Auth:KeyRefreshInterval must be between 00:00:01 and 1.00:00:00.");
        Require(o.KeyEncryptionKey is null || KeyEncryption.TryParseKey(o.KeyEncryptionKey, out _),
            "Auth:KeyEncryptionKey must be the base64 encoding of exactly 32 random bytes (e.g. `openssl rand -base64 32`).");
        Require(o.RefreshGracePeriod >= TimeSpan.Zero && o.RefreshGracePeriod <= TimeSpan.FromMinutes(5),
            "Auth:RefreshGracePeriod must be between 00:00:00 and 00:05:00.");
        Require(o.HashConcurrency is >= 0 and <= 1024, "Auth:HashConcurrency must be between 0 (one per core) and 1024.");
        Require(o.HashQueueTimeout > TimeSpan.Zero && o.HashQueueTimeout <= TimeSpan.FromMinutes(1),
            "Auth:HashQueueTimeout must be between 00:00:00.001 and 00:01:00.");
        Require(o.UserStateCacheDuration >= TimeSpan.Zero && o.UserStateCacheDuration <= TimeSpan.FromMinutes(5),
            "Auth:UserStateCacheDuration must be between 00:00:00 and 00:05:00.");
        var t = o.Throttle;
        Require(t.IpFailures >= 1 && t.UserIpFailures >= 1 && t.UserFailures >= 1,
            "Auth:Throttle:IpFailures, UserIpFailures and UserFailures must be at least 1.");
        Require(t.BaseDelay > TimeSpan.Zero && t.MaxDelay >= t.BaseDelay && t.MaxDelay <= TimeSpan.FromDays(1),
            "Auth:Throttle:BaseDelay must be positive and Auth:Throttle:MaxDelay between it and 1.00:00:00.");
        Require(t.UserMaxDelay >= TimeSpan.Zero && t.UserMaxDelay <= TimeSpan.FromSeconds(30),
            "Auth:Throttle:UserMaxDelay must be between 00:00:00 and 00:00:30.");
        Require(t.Window >= TimeSpan.FromMinutes(1), "Auth:Throttle:Window must be at least 00:01:00.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
