namespace Worktime.Api.Auth;

/// <summary>The <c>Auth</c> configuration section (docs/configuration.md); validated at start-up by <see cref="AuthOptionsValidator"/>.</summary>
internal sealed class AuthOptions
{
    public const string Section = "Auth";
    public static readonly string[] DefaultClients = ["openapi", "ember_app"];

    /// <summary>Unset (null): the server's own first listening URL (<see cref="IssuerAddress"/>, docs/deploy.md).</summary>
    public string? Issuer { get; set; }

    /// <summary>Unset (null): the server's own first listening URL, like <see cref="Issuer"/>.</summary>
    public string? Audience { get; set; }
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(1);
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Allowed client ids; null means the defaults (binding an array onto a non-empty default would append).</summary>
    public string[]? Clients { get; set; }

    /// <summary>
    /// Client ids (each also in <see cref="EffectiveClients"/>) whose token responses leave out null members such as
    /// <c>"scope": null</c>, for strict OAuth libraries (openid-client v6). Empty by default: the seed's shape stays.
    /// </summary>
    public string[]? StrictClients { get; set; }

    /// <summary>A trusted edge header (e.g. <c>CloudFront-Viewer-Country</c>) carrying the request's country.</summary>
    public string? CountryHeader { get; set; }

    public Argon2Options Argon2 { get; set; } = new();

    /// <summary>How often each node reloads the signing-key set from the database (rotation by the CLI or another node).</summary>
    public TimeSpan KeyRefreshInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Base64 of 32 bytes; when set, private signing keys are stored AES-256-GCM encrypted.</summary>
    public string? KeyEncryptionKey { get; set; }

    /// <summary>A rotated refresh token presented again within this window returns the same successor.</summary>
    public TimeSpan RefreshGracePeriod { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Concurrent password hashes; 0 = one per core.</summary>
    public int HashConcurrency { get; set; }

    /// <summary>How long a login waits for a hashing slot before it is answered 429 with Retry-After.</summary>
    public TimeSpan HashQueueTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a node trusts its cached "is this user still active" answer for bearer tokens.</summary>
    public TimeSpan UserStateCacheDuration { get; set; } = TimeSpan.FromSeconds(15);

    public ThrottleOptions Throttle { get; set; } = new();

    public IReadOnlyList<string> EffectiveClients => Clients is { Length: > 0 } ? Clients : DefaultClients;
}

/// <summary>OWASP defaults: m = 19 MiB, t = 2, p = 1; which implementation computes it (docs/auth.md).</summary>
internal sealed class Argon2Options
{
    public const int DefaultMemoryKiB = 19456;
    public const int DefaultIterations = 2;

    public int MemoryKiB { get; set; } = DefaultMemoryKiB;
    public int Iterations { get; set; } = DefaultIterations;

    /// <summary><c>auto</c> (libargon2 when the system has it, else libsodium), <c>libargon2</c> or <c>libsodium</c>.</summary>
    public string Implementation { get; set; } = Accounts.Argon2.Argon2idEngine.Auto;
}

/// <summary>Brute-force counters (docs/security.md, requirement 2); see docs/auth.md for why these numbers.</summary>
internal sealed class ThrottleOptions
{
    /// <summary>Failures from one address (any usernames) before it gets 429.</summary>
    public int IpFailures { get; set; } = 20;

    /// <summary>Failures for one username from one address before that pair gets 429.</summary>
    public int UserIpFailures { get; set; } = 5;

    /// <summary>Failures for one username (any address) before its attempts are slowed (never refused).</summary>
    public int UserFailures { get; set; } = 10;

    /// <summary>First 429 delay; doubles with each further failure up to <see cref="MaxDelay"/>.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Cap of the in-response delay a much-attacked username adds to each attempt.</summary>
    public TimeSpan UserMaxDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>A counter without failures for this long starts again from zero.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromHours(1);
}
