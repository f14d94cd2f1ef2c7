using System.Security.Cryptography;
using System.Text;
using Geralt;
using Microsoft.Extensions.Options;

namespace Worktime.Api.Auth;

/// <summary>
/// Argon2id through libsodium (docs/security.md, requirement 1). The encoded hash records its parameters, so
/// <see cref="NeedsRehash"/> spots hashes made with older settings or imported PBKDF2 hashes.
/// Logins go through <see cref="RunGatedAsync{T}"/>: at most one hash per core, so a login storm queues
/// instead of allocating 19 MiB per request.
/// </summary>
internal sealed class PasswordHasher : IDisposable
{
    /// <summary>Refused before hashing: hashing cost must not be chosen by the caller.</summary>
    public const int MaxPasswordBytes = 1024;

    private readonly int _iterations;
    private readonly int _memoryBytes;
    private readonly SemaphoreSlim _gate;
    private readonly TimeSpan _queueTimeout;
    private readonly TimeProvider _time;
    private readonly Lazy<string> _dummyHash;
    private readonly AuthMetrics _metrics;
    private int _running;

    public PasswordHasher(IOptions<AuthOptions> options, TimeProvider time, AuthMetrics metrics)
    {
        _metrics = metrics;
        var o = options.Value;
        _iterations = o.Argon2.Iterations;
        _memoryBytes = o.Argon2.MemoryKiB * 1024;
        Concurrency = o.HashConcurrency > 0 ? o.HashConcurrency : Environment.ProcessorCount;
        _gate = new SemaphoreSlim(Concurrency, Concurrency);
        _queueTimeout = o.HashQueueTimeout;
        _time = time;
        // Verified against for unknown users, so they cost the same as known ones.
        _dummyHash = new(() => Hash(Convert.ToBase64String(RandomNumberGenerator.GetBytes(24))));
    }

    public int Concurrency { get; }

    public string DummyHash => _dummyHash.Value;

    public string Hash(string password)
    {
        _metrics.PasswordHashes.Add(1);
        var buffer = new char[Argon2id.HashSize];
        Argon2id.ComputeHash(buffer, Encoding.UTF8.GetBytes(password), _iterations, _memoryBytes);
        var end = Array.IndexOf(buffer, '\0');
        return new string(buffer, 0, end < 0 ? buffer.Length : end);
    }

    public bool Verify(string? hash, string password)
    {
        _metrics.PasswordHashes.Add(1);
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
            _metrics.ConcurrentHashes.Record(Interlocked.Increment(ref _running));
            return (true, work());
        }
        finally
        {
            Interlocked.Decrement(ref _running);
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}
