namespace Worktime.Api.Quota;

/// <summary>The <c>RateLimit</c> section: the per-user request quota (docs/forms.md, "Request quota").</summary>
internal sealed class RequestQuotaOptions
{
    public const string Section = "RateLimit";

    public int RequestsPerWindow { get; set; } = 1000;

    public TimeSpan Window { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How often each node writes its counted requests to the shared table and reads the other nodes' totals.
    /// Several nodes together may let through at most one interval's traffic more than the limit.
    /// </summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(1);
}
