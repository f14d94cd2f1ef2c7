namespace Worktime.Api.Accounts.Argon2;

/// <summary>
/// Argon2id (RFC 9106) in the PHC string form <c>$argon2id$v=19$m=…,t=…,p=…$salt$hash</c>, which libsodium and the
/// reference implementation both write and read, so either verifies the other's hashes. docs/auth.md says which
/// one a server uses and why the reference implementation is the default.
/// </summary>
internal abstract class Argon2idEngine
{
    public const string Auto = "auto";

    /// <summary>The names <c>Auth:Argon2:Implementation</c> accepts.</summary>
    public static readonly IReadOnlyList<string> Choices = [Auto, LibArgon2Engine.Id, SodiumEngine.Id];

    /// <summary><c>libargon2</c> or <c>libsodium</c>.</summary>
    public abstract string Name { get; }

    /// <summary>Hashes with a fresh 16-byte salt; returns the PHC string.</summary>
    public abstract string Hash(ReadOnlySpan<byte> password, int iterations, int memoryKiB);

    /// <summary>False for a wrong password and for anything that is not a well-formed Argon2id PHC string.</summary>
    public abstract bool Verify(string encoded, ReadOnlySpan<byte> password);

    /// <summary>
    /// <c>auto</c>: the reference implementation when the system has it (Debian's libargon2-1), else libsodium.
    /// Throws when <c>libargon2</c> is asked for and cannot be loaded.
    /// </summary>
    public static Argon2idEngine Select(string choice) => choice switch
    {
        SodiumEngine.Id => new SodiumEngine(),
        LibArgon2Engine.Id => LibArgon2Engine.TryLoad()
            ?? throw new InvalidOperationException("Auth:Argon2:Implementation is libargon2, but libargon2 could not be loaded (install libargon2-1)."),
        _ => (Argon2idEngine?)LibArgon2Engine.TryLoad() ?? new SodiumEngine(),
    };
}
