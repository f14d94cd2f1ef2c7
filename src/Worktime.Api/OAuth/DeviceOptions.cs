using Microsoft.Extensions.Options;

namespace Worktime.Api.OAuth;

/// <summary>Device authorization (RFC 8628), section <c>Auth:Device</c> (docs/configuration.md).</summary>
internal sealed class DeviceOptions
{
    public const string Section = "Auth:Device";

    /// <summary>How long a person has to confirm the code (the answer's <c>expires_in</c>).</summary>
    public TimeSpan CodeLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The answer's <c>interval</c>: the least time between two polls; a poll more than a second early is <c>slow_down</c>.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Device authorization requests from one address, counted like failed logins in <c>Auth:Throttle:Window</c>, before 429.</summary>
    public int RequestsPerAddress { get; set; } = 30;
}

internal sealed class DeviceOptionsValidator : IValidateOptions<DeviceOptions>
{
    public ValidateOptionsResult Validate(string? name, DeviceOptions o)
    {
        var errors = new List<string>();
        if (o.CodeLifetime < TimeSpan.FromMinutes(1) || o.CodeLifetime > TimeSpan.FromHours(1))
        {
            errors.Add("Auth:Device:CodeLifetime must be between 00:01:00 and 01:00:00.");
        }
        if (o.PollInterval < TimeSpan.FromSeconds(1) || o.PollInterval > TimeSpan.FromMinutes(1) || o.PollInterval.Milliseconds != 0)
        {
            errors.Add("Auth:Device:PollInterval must be whole seconds between 00:00:01 and 00:01:00.");
        }
        if (o.RequestsPerAddress is < 1 or > 100_000)
        {
            errors.Add("Auth:Device:RequestsPerAddress must be between 1 and 100000.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
