using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Worktime.Api.Accounts.Argon2;

namespace Worktime.Api.Accounts;

/// <summary>
/// Argon2id (docs/security.md, requirement 1) through the <see cref="Argon2idEngine"/> configured (docs/auth.md).
/// The encoded hash records its parameters, so <see cref="NeedsRehash"/> spots hashes made with older settings or
/// imported PBKDF2 hashes. Logins go through <see cref="RunGatedAsync{T}"/>: at most one hash per core, so a login
/// storm queues instead of allocating 19 MiB per request. The hashes run on the hasher's own threads, one per slot: a hash
/// holds its thread for tens of milliseconds, and on the thread pool a few of them would leave no thread for the
/// requests themselves (including the logins' own database work) until the pool grows. Each of these threads keeps
/// its hash memory while logins keep coming and gives it back after <see cref="IdleRelease"/> without one.
/// </summary>
internal sealed class PasswordHasher : IDisposable
{
    /// <summary>How long a hashing thread keeps its memory (19 MiB at the defaults) without work.</summary>
    public static readonly TimeSpan IdleRelease = TimeSpan.FromSeconds(30);

    private readonly int _iterations;
    private readonly int _memoryKiB;
    private readonly Argon2idEngine _engine;
    private readonly SemaphoreSlim _gate;
    private readonly TimeSpan _queueTimeout;
    private readonly TimeProvider _time;
    private readonly Lazy<string> _dummyHash;
    private readonly AuthMetrics _metrics;
    private readonly System.Collections.Concurrent.BlockingCollection<Action> _work = [];
    private int _running;

    public PasswordHasher(IOptions<PasswordHashingOptions> options, TimeProvider time, AuthMetrics metrics)
    {
        _metrics = metrics;
        var o = options.Value;
        _iterations = o.Iterations;
        _memoryKiB = o.MemoryKiB;
        _engine = Argon2idEngine.Select(o.Implementation);
        Concurrency = o.HashConcurrency > 0 ? o.HashConcurrency : Environment.ProcessorCount;
        _gate = new SemaphoreSlim(Concurrency, Concurrency);
        for (var i = 0; i < Concurrency; i++)
        {
            // As many threads as slots: a slot's holder always finds a thread waiting for its work.
            new Thread(RunWork) { IsBackground = true, Name = string.Create(CultureInfo.InvariantCulture, $"argon2id-{i + 1}") }.Start();
        }
        _queueTimeout = o.HashQueueTimeout;
        _time = time;
        // Verified against for unknown users, so they cost the same as known ones.
        _dummyHash = new(() => Hash(Convert.ToBase64String(RandomNumberGenerator.GetBytes(24))));
    }

    public int Concurrency { get; }

    /// <summary><c>libargon2</c> or <c>libsodium</c>: the implementation chosen at start.</summary>
    public string Implementation => _engine.Name;

    public string DummyHash => _dummyHash.Value;

    public string Hash(string password)
    {
        _metrics.PasswordHashes.Add(1);
        return _engine.Hash(Encoding.UTF8.GetBytes(password), _iterations, _memoryKiB);
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
        return _engine.Verify(hash, bytes); // false for anything that is not an Argon2id PHC string
    }

    /// <summary>
    /// True when the stored hash was made with other parameters (or p &gt; 1) or another algorithm. Read by the same
    /// parser the libargon2 path verifies with, so a hash that verified can always be checked here.
    /// </summary>
    public bool NeedsRehash(string hash) =>
        !PhcString.TryParse(hash, out var phc)
        || phc!.MemoryKiB != (uint)_memoryKiB || phc.Iterations != (uint)_iterations || phc.Lanes != 1;

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
            var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
            _work.Add(() =>
            {
                try
                {
                    done.SetResult(work());
                }
#pragma warning disable CA1031 // not swallowed: handed to the awaiting request, which rethrows it
                catch (Exception e)
#pragma warning restore CA1031
                {
                    done.SetException(e);
                }
            }, CancellationToken.None);
            return (true, await done.Task);
        }
        finally
        {
            Interlocked.Decrement(ref _running);
            _gate.Release();
        }
    }

    private void RunWork()
    {
        HashMemory.KeepOnThisThread();
        while (!_work.IsCompleted)
        {
            if (_work.TryTake(out var item, IdleRelease))
            {
                item();
            }
            else
            {
                HashMemory.ReleaseThisThread();
            }
        }
        HashMemory.ReleaseThisThread();
    }

    public void Dispose()
    {
        _work.CompleteAdding(); // the hashing threads finish what they hold and end
        _gate.Dispose();
    }
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

    /// <summary>One of <see cref="Argon2idEngine.Choices"/>.</summary>
    public string Implementation { get; set; } = Argon2idEngine.Auto;
}

/// <summary>
/// Computes the dummy hash before the first request, so the first unknown-user login costs one hash like any other,
/// and says which Argon2id implementation this node uses: an operator who expected libargon2 sees the fallback at once.
/// </summary>
internal sealed partial class PasswordHasherWarmup(PasswordHasher hasher, ILogger<Argon2idEngine> logger) : Data.IStartupStep
{
    public Task RunAsync(CancellationToken ct)
    {
        _ = hasher.DummyHash;
        // Logged as the engine's category: a start-up console that mentions "password" reads like a credential banner.
        LogImplementation(logger, hasher.Implementation);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Argon2id through {Implementation}")]
    private static partial void LogImplementation(ILogger logger, string implementation);
}
