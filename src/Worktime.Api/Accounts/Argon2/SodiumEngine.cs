namespace Worktime.Api.Accounts.Argon2;

/// <summary>Argon2id through libsodium (Geralt); libsodium maps fresh memory for every hash.</summary>
internal sealed class SodiumEngine : Argon2idEngine
{
    public const string Id = "libsodium";

    public override string Name => Id;

    public override string Hash(ReadOnlySpan<byte> password, int iterations, int memoryKiB)
    {
        var buffer = new char[Geralt.Argon2id.HashSize];
        Geralt.Argon2id.ComputeHash(buffer, password, iterations, memoryKiB * 1024);
        var end = Array.IndexOf(buffer, '\0');
        return new string(buffer, 0, end < 0 ? buffer.Length : end);
    }

    public override bool Verify(string encoded, ReadOnlySpan<byte> password) =>
        encoded.StartsWith("$argon2id$", StringComparison.Ordinal)
        && encoded.Length is >= 45 and <= 128
        && Geralt.Argon2id.VerifyHash(encoded, password);
}
