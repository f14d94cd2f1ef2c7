namespace Worktime.Api.Tests.Infrastructure;

/// <summary>
/// How a <see cref="WorktimeApplication"/> differs from the suite's default app, given when it is built:
/// <c>new WorktimeApplication(o => { o.FakeClock = true; o.Settings["RateLimit:RequestsPerWindow"] = "5"; })</c>.
/// </summary>
public sealed class WorktimeApplicationOptions
{
    /// <summary>Run on <see cref="WorktimeApplication.Clock"/> (moves only when a test advances it) instead of the system clock.</summary>
    public bool FakeClock { get; set; }

    /// <summary>
    /// Run on this existing database (a "restart", a second node, or a database on a test's own server) instead of
    /// a new one made for this app.
    /// </summary>
    public string? Database { get; set; }

    /// <summary>Leave the database behind on dispose (for a restarted instance to pick up, or because it is the caller's).</summary>
    public bool KeepDatabase { get; set; }

    /// <summary>
    /// Generate each new signing key as the server does (an RSA-2048 key pair) instead of taking one from the test
    /// run's pool (<see cref="PremadeSigningKeys"/>): for tests of key generation itself. Apps on an existing
    /// <see cref="Database"/> always generate.
    /// </summary>
    public bool GeneratedSigningKeys { get; set; }

    /// <summary>
    /// Services added after the app's own (e.g. the plan test's statement observer): what a test watches, not what
    /// the app does.
    /// </summary>
    public Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? Services { get; set; }

    /// <summary>Configuration, applied over appsettings: the test defaults below plus whatever a test sets or removes.</summary>
    public Dictionary<string, string?> Settings { get; } = new()
    {
        // Cheap Argon2 for speed; a dedicated test checks the production defaults.
        ["Auth:Argon2:MemoryKiB"] = "8192",
        ["Auth:Argon2:Iterations"] = "1",
        // The hashing queue gives up after this long (default 5 s). Tests that are not about a full queue
        // must not depend on how fast a shared, loaded machine drains it, so they wait as long as allowed;
        // the full-queue test sets its own short timeout.
        ["Auth:HashQueueTimeout"] = "00:01:00",
        ["Auth:Issuer"] = "http://worktime.test",
        ["Auth:Audience"] = "http://worktime.test",
    };
}
