using System.Security.Cryptography;

namespace Worktime.Api.Auth;

/// <summary>
/// Where <see cref="SigningKeyStore"/> gets the RSA key of a new signing key (first start, rotation). The server
/// generates one (<see cref="SigningKeyGenerator"/>); the test suite, which starts hundreds of apps on new
/// databases, gives its apps keys generated once per test run instead (an RSA-2048 key costs about a tenth of a
/// CPU second to generate). Everything the store does with the key is the same either way.
/// </summary>
internal interface ISigningKeySource
{
    /// <summary>A new RSA key pair with its private part, owned (and disposed) by the caller.</summary>
    RSA NewKey();
}

/// <summary>A new <see cref="SigningKeyStore.KeySizeBits"/>-bit key for every signing key.</summary>
internal sealed class SigningKeyGenerator : ISigningKeySource
{
    public RSA NewKey() => RSA.Create(SigningKeyStore.KeySizeBits);
}
