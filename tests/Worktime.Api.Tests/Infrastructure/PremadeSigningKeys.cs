using System.Security.Cryptography;
using Worktime.Api.Auth;

namespace Worktime.Api.Tests.Infrastructure;

/// <summary>
/// Signing keys for a test app from a pool generated once per test run, instead of a new RSA-2048 key at every
/// app's first start (about a tenth of a CPU second each, for hundreds of apps). The store still computes the kid,
/// encrypts, stores, audits and rotates as it does with a generated key; only the key pair comes from here.
/// Each app starts at the next place in the pool and never gets the same key twice (after the pool's size it
/// generates), so the keys of one database are distinct, and apps started one after the other have different keys.
/// Apps on an existing database (a restart, a second node) and apps with
/// <see cref="WorktimeApplicationOptions.GeneratedSigningKeys"/> generate theirs, as the server does.
/// </summary>
internal sealed class PremadeSigningKeys : ISigningKeySource
{
    private const int PoolSize = 32;

    private static readonly Lazy<byte[]>[] Pool = [.. Enumerable.Range(0, PoolSize).Select(_ => new Lazy<byte[]>(Generate))];
    private static int _apps = -1;

    private readonly int _first = Interlocked.Increment(ref _apps);
    private int _taken = -1;

    public RSA NewKey()
    {
        var n = Interlocked.Increment(ref _taken);
        if (n >= PoolSize)
        {
            return RSA.Create(SigningKeyStore.KeySizeBits);
        }
#pragma warning disable CA2000 // returned to the caller, who owns it
        var rsa = RSA.Create();
#pragma warning restore CA2000
        rsa.ImportPkcs8PrivateKey(Pool[(_first + n) % PoolSize].Value, out _);
        return rsa;
    }

    private static byte[] Generate()
    {
        using var rsa = RSA.Create(SigningKeyStore.KeySizeBits);
        return rsa.ExportPkcs8PrivateKey();
    }
}
