namespace Worktime.Api.Forms.Quota;

/// <summary>The <c>RateLimit</c> section: per-user request quota of contract §2.7.</summary>
internal sealed class RequestQuotaOptions
{
    public const string Section = "RateLimit";

    public int RequestsPerWindow { get; set; } = 1000;

    public TimeSpan Window { get; set; } = TimeSpan.FromHours(1);
}
