namespace Worktime.Api.Forms.Quota;

/// <summary>The <c>RateLimit</c> section: per-user request quota of docs/forms.md.</summary>
internal sealed class RequestQuotaOptions
{
    public const string Section = "RateLimit";

    public int RequestsPerWindow { get; set; } = 1000;

    public TimeSpan Window { get; set; } = TimeSpan.FromHours(1);
}
