using System.Security.Cryptography;
using System.Text;
using Geralt;
using Microsoft.Extensions.Options;

namespace Worktime.Api.Accounts;

/// <summary>
/// Argon2id through libsodium (security.md requirement 1). The encoded hash records its parameters, so
/// <see cref="NeedsRehash"/> spots hashes made with older settings or imported PBKDF2 hashes.
/// Logins go through <see cref="RunGatedAsync{T}"/>: at most one hash per core, so a login storm queues
/// instead of allocating 19 MiB per request.
/// </summary>
internal sealed class PasswordHasher : IDisposable
{
    private readonly int _iterations;
    private readonly int _memoryBytes;
    private readonly SemaphoreSlim _gate;
    private readonly TimeSpan _queueTimeout;
    private readonly TimeProvider _time;
    private readonly Lazy<string> _dummyHash;
    private long _hashCount;
    private int _running;
    private int _peak;

    public PasswordHasher(IOptions<PasswordHashingOptions> options, TimeProvider time)
    {
        var o = options.Value;
        _iterations = o.Iterations;
        _memoryBytes = o.MemoryKiB * 1024;
        Concurrency = o.HashConcurrency > 0 ? o.HashConcurrency : Environment.ProcessorCount;
        _gate = new SemaphoreSlim(Concurrency, Concurrency);
        _queueTimeout = o.HashQueueTimeout;
        _time = time;
        // Verified against for unknown users, so they cost the same as known ones.
        _dummyHash = new(() => Hash(Convert.ToBase64String(RandomNumberGenerator.GetBytes(24))));
    }

    public int Concurrency { get; }

    /// <summary>Hashes and verifications computed since start (tests check that refused requests cost none).</summary>
    public long HashCount => Interlocked.Read(ref _hashCount);

    /// <summary>The most hashes that ever ran at once (tests check the bound holds under load).</summary>
    public int PeakConcurrency => Volatile.Read(ref _peak);

    public string DummyHash => _dummyHash.Value;

    public string Hash(string password)
    {
        Interlocked.Increment(ref _hashCount);
        var buffer = new char[Argon2id.HashSize];
        Argon2id.ComputeHash(buffer, Encoding.UTF8.GetBytes(password), _iterations, _memoryBytes);
        var end = Array.IndexOf(buffer, '\0');
        return new string(buffer, 0, end < 0 ? buffer.Length : end);
    }

    public bool Verify(string? hash, string password)
    {
        Interlocked.Increment(ref _hashCount);
        var bytes = Encoding.UTF8.GetBytes(password);
        if (hash is null)
        {
            return false;
        }
        if (hash.StartsWith(LegacyPbkdf2.Prefix, StringComparison.Ordinal))
        {
            return LegacyPbkdf2.Verify(hash, bytes);
        }
        return hash.StartsWith("$argon2id$", StringComparison.Ordinal)
            && hash.Length is >= 45 and <= 128
            && Argon2id.VerifyHash(hash, bytes);
    }

    /// <summary>True when the stored hash was made with other parameters or another algorithm.</summary>
    public bool NeedsRehash(string hash) =>
        !hash.StartsWith("$argon2id$", StringComparison.Ordinal)
        || hash.Length is < 45 or > 128
        || Argon2id.NeedsRehash(hash, _iterations, _memoryBytes);

    /// <summary>Runs hashing work in a slot; returns <c>(false, default)</c> when no slot frees up in time.</summary>
    public async Task<(bool Ran, T Result)> RunGatedAsync<T>(Func<T> work, CancellationToken ct)
    {
        using var timeout = new CancellationTokenSource(_queueTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        try
        {
            await _gate.WaitAsync(linked.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return (false, default!);
        }
        try
        {
            var now = Interlocked.Increment(ref _running);
            InterlockedMax(ref _peak, now);
            return (true, work());
        }
        finally
        {
            Interlocked.Decrement(ref _running);
            _gate.Release();
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value &&
               Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    public void Dispose() => _gate.Dispose();
}

/// <summary>
/// Argon2id cost and the hashing slots. Filled from the <c>Auth</c> configuration section (Auth:Argon2:*,
/// Auth:HashConcurrency, Auth:HashQueueTimeout, validated there) by the Auth feature's registration.
/// </summary>
internal sealed class PasswordHashingOptions
{
    /// <summary>OWASP defaults: m = 19 MiB, t = 2, p = 1 (libsodium always uses p = 1).</summary>
    public int MemoryKiB { get; set; } = 19456;
    public int Iterations { get; set; } = 2;

    /// <summary>Concurrent password hashes; 0 = one per core.</summary>
    public int HashConcurrency { get; set; }

    /// <summary>How long a hash waits for a slot before the request is answered 503.</summary>
    public TimeSpan HashQueueTimeout { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>Computes the dummy hash before the first request, so the first unknown-user login costs one hash like any other.</summary>
internal sealed class PasswordHasherWarmup(PasswordHasher hasher) : Data.IStartupStep
{
    public Task RunAsync(CancellationToken ct) => Task.FromResult(hasher.DummyHash);
}
