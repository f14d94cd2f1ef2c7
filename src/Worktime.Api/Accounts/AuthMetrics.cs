using System.Diagnostics.Metrics;

namespace Worktime.Api.Accounts;

/// <summary>
/// What the token service does, as .NET metrics (exported at <c>/metrics</c>): an operator sees the hashing load
/// and key reloads, and the tests read the same instruments to prove that refused logins cost no hash, that the
/// hashing bound holds and that a token's <c>kid</c> never causes a key lookup.
/// </summary>
internal sealed class AuthMetrics
{
    public const string MeterName = "Worktime.Auth";
    public const string PasswordHashesName = "worktime.auth.password_hashes";
    public const string ConcurrentHashesName = "worktime.auth.password_hashes.concurrent";
    public const string SigningKeyLoadsName = "worktime.auth.signing_key_loads";

    public AuthMetrics(IMeterFactory meters)
    {
#pragma warning disable CA2000 // the meter factory owns the meters it creates and disposes them with the app
        var meter = meters.Create(MeterName);
#pragma warning restore CA2000
        PasswordHashes = meter.CreateCounter<long>(PasswordHashesName, "{hash}",
            "Argon2id hashes and verifications computed; each login that reaches the password check costs one.");
        ConcurrentHashes = meter.CreateHistogram<int>(ConcurrentHashesName, "{hash}",
            "Hashes running at once when one starts; never above Auth:HashConcurrency.");
        SigningKeyLoads = meter.CreateCounter<long>(SigningKeyLoadsName, "{load}",
            "Reads of the signing-key set from the database (start, refresh interval, rotation).");
    }

    public Counter<long> PasswordHashes { get; }

    public Histogram<int> ConcurrentHashes { get; }

    public Counter<long> SigningKeyLoads { get; }
}
