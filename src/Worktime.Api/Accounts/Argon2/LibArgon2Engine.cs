using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Worktime.Api.Accounts.Argon2;

/// <summary>
/// Argon2id through libargon2, the reference implementation by Argon2's authors (Debian: libargon2-1), with its
/// memory from <see cref="HashMemory"/> instead of a fresh mapping per hash: on a virtual machine, faulting in 19 MiB
/// for every hash cost more than the hash itself (docs/benchmarks.md, fifth pass).
/// </summary>
internal sealed unsafe class LibArgon2Engine : Argon2idEngine
{
    public const string Id = "libargon2";
    private const int Ok = 0;
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    // Names the runtime library goes by: Debian/Ubuntu and Fedora ship only the versioned file, macOS a dylib.
    private static readonly string[] LibraryNames = ["libargon2.so.1", "libargon2.so", "libargon2.1.dylib", "argon2"];
    private static readonly Lazy<LibArgon2Engine?> Loaded = new(Load);

    private readonly delegate* unmanaged<Context*, int> _hash;
    private readonly delegate* unmanaged<Context*, byte*, int> _verify;

    private LibArgon2Engine(nint hash, nint verify)
    {
        _hash = (delegate* unmanaged<Context*, int>)hash;
        _verify = (delegate* unmanaged<Context*, byte*, int>)verify;
    }

    public override string Name => Id;

    /// <summary>The library, or null when this system does not have it.</summary>
    public static LibArgon2Engine? TryLoad() => Loaded.Value;

    private static LibArgon2Engine? Load()
    {
        foreach (var name in LibraryNames)
        {
            if (NativeLibrary.TryLoad(name, typeof(LibArgon2Engine).Assembly, null, out var library)
                && NativeLibrary.TryGetExport(library, "argon2id_ctx", out var hash)
                && NativeLibrary.TryGetExport(library, "argon2id_verify_ctx", out var verify))
            {
                return new LibArgon2Engine(hash, verify);
            }
        }
        return null;
    }

    public override string Hash(ReadOnlySpan<byte> password, int iterations, int memoryKiB)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = new byte[HashBytes];
        var phc = new PhcString((uint)memoryKiB, (uint)iterations, 1, salt, hash);
        var rc = Run(phc, password, hash, verifyAgainst: null);
        if (rc != Ok)
        {
            throw new CryptographicException(string.Create(CultureInfo.InvariantCulture, $"libargon2 could not hash (error {rc})."));
        }
        return phc.ToString();
    }

    public override bool Verify(string encoded, ReadOnlySpan<byte> password)
    {
        if (!PhcString.TryParse(encoded, out var phc))
        {
            return false;
        }
        var computed = new byte[phc!.Hash.Length];
        return Run(phc, password, computed, verifyAgainst: phc.Hash) == Ok; // the library compares in constant time
    }

    private int Run(PhcString phc, ReadOnlySpan<byte> password, byte[] output, byte[]? verifyAgainst)
    {
        fixed (byte* pwd = password)
        fixed (byte* salt = phc.Salt)
        fixed (byte* outp = output)
        fixed (byte* expected = verifyAgainst)
        {
            var context = new Context
            {
                Out = outp,
                OutLength = (uint)output.Length,
                Password = pwd,
                PasswordLength = (uint)password.Length,
                Salt = salt,
                SaltLength = (uint)phc.Salt.Length,
                Passes = phc.Iterations,
                MemoryKiB = phc.MemoryKiB,
                Lanes = phc.Lanes,
                Threads = 1, // one core per hash: the hasher runs one hash per core already
                Version = PhcString.Version,
                Allocate = &HashMemory.Allocate,
                Free = &HashMemory.Free,
            };
            return verifyAgainst is null ? _hash(&context) : _verify(&context, expected);
        }
    }

    /// <summary><c>argon2_context</c> of argon2.h (version 20171227, the current release), field for field.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Context
    {
        public byte* Out;
        public uint OutLength;
        public byte* Password;
        public uint PasswordLength;
        public byte* Salt;
        public uint SaltLength;
        public byte* Secret;
        public uint SecretLength;
        public byte* AssociatedData;
        public uint AssociatedDataLength;
        public uint Passes;
        public uint MemoryKiB;
        public uint Lanes;
        public uint Threads;
        public uint Version;
        public delegate* unmanaged<byte**, nuint, int> Allocate;
        public delegate* unmanaged<byte*, nuint, void> Free;
        public uint Flags;
    }
}
