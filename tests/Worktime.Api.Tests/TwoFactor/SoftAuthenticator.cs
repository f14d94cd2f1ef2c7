using System.Buffers.Binary;
using System.Buffers.Text;
using System.Formats.Cbor;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Worktime.Api.Tests.TwoFactor;

/// <summary>
/// A WebAuthn authenticator in the test (W3C WebAuthn Level 2, sections 6.1 and 6.5): an ES256 key per credential,
/// "none" attestation, the client data a browser would send — built here from the specification, not from the
/// server's library, so the server's checks (origin, challenge, signature, counter) are tested against an independent
/// implementation. <see cref="Origin"/> can be set to what a phishing site would send.
/// </summary>
public sealed class SoftAuthenticator(string rpId, string origin) : IDisposable
{
    private static readonly string[] Transports = ["internal"];

    private readonly Dictionary<string, (ECDsa Key, byte[] UserHandle, uint Counter)> _credentials = new(StringComparer.Ordinal);

    public string Origin { get; set; } = origin;

    /// <summary>The credentials created so far (base64url ids).</summary>
    public IReadOnlyList<string> CredentialIds => _credentials.Keys.ToList();

    /// <summary>The answer to <c>navigator.credentials.create()</c> for the server's creation options, as the browser's JSON.</summary>
    public string Create(JsonElement options)
    {
        var challenge = options.GetProperty("challenge").GetString()!;
        var userHandle = Base64Url.DecodeFromChars(options.GetProperty("user").GetProperty("id").GetString()!);
        var id = RandomNumberGenerator.GetBytes(16);
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var parameters = key.ExportParameters(false);
        var cose = new CborWriter(CborConformanceMode.Ctap2Canonical);
        cose.WriteStartMap(5);
        cose.WriteInt32(1); cose.WriteInt32(2);   // kty: EC2
        cose.WriteInt32(3); cose.WriteInt32(-7);  // alg: ES256
        cose.WriteInt32(-1); cose.WriteInt32(1);  // crv: P-256
        cose.WriteInt32(-2); cose.WriteByteString(parameters.Q.X!);
        cose.WriteInt32(-3); cose.WriteByteString(parameters.Q.Y!);
        cose.WriteEndMap();
        var attested = new List<byte>();
        attested.AddRange(new byte[16]); // AAGUID: none
        attested.Add((byte)(id.Length >> 8));
        attested.Add((byte)id.Length);
        attested.AddRange(id);
        attested.AddRange(cose.Encode());
        var authData = AuthenticatorData(0x45, 0, attested.ToArray()); // user present, user verified, attested credential data
        var attestation = new CborWriter(CborConformanceMode.Ctap2Canonical);
        attestation.WriteStartMap(3);
        attestation.WriteTextString("fmt"); attestation.WriteTextString("none");
        attestation.WriteTextString("attStmt"); attestation.WriteStartMap(0); attestation.WriteEndMap();
        attestation.WriteTextString("authData"); attestation.WriteByteString(authData);
        attestation.WriteEndMap();
        var credentialId = Base64Url.EncodeToString(id);
        _credentials[credentialId] = (key, userHandle, 0);
        return JsonSerializer.Serialize(new
        {
            id = credentialId,
            rawId = credentialId,
            type = "public-key",
            response = new
            {
                clientDataJSON = Base64Url.EncodeToString(ClientData("webauthn.create", challenge)),
                attestationObject = Base64Url.EncodeToString(attestation.Encode()),
                transports = Transports,
            },
            clientExtensionResults = new { },
        });
    }

    /// <summary>The answer to <c>navigator.credentials.get()</c> with the given (or the first allowed) credential.</summary>
    public string Get(JsonElement options, string? credentialId = null)
    {
        var challenge = options.GetProperty("challenge").GetString()!;
        credentialId ??= options.TryGetProperty("allowCredentials", out var allowed) && allowed.GetArrayLength() > 0
            ? allowed[0].GetProperty("id").GetString()!
            : _credentials.Keys.First();
        var (key, userHandle, counter) = _credentials[credentialId];
        counter++;
        _credentials[credentialId] = (key, userHandle, counter);
        var authData = AuthenticatorData(0x05, counter, []);
        var clientData = ClientData("webauthn.get", challenge);
        var signed = authData.Concat(SHA256.HashData(clientData)).ToArray();
        var signature = key.SignData(signed, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        return JsonSerializer.Serialize(new
        {
            id = credentialId,
            rawId = credentialId,
            type = "public-key",
            response = new
            {
                clientDataJSON = Base64Url.EncodeToString(clientData),
                authenticatorData = Base64Url.EncodeToString(authData),
                signature = Base64Url.EncodeToString(signature),
                userHandle = Base64Url.EncodeToString(userHandle),
            },
            clientExtensionResults = new { },
        });
    }

    /// <summary>Sets a credential's signature counter back, as a clone of the authenticator made earlier would have it.</summary>
    public void RewindCounter(string credentialId, uint counter)
    {
        var (key, userHandle, _) = _credentials[credentialId];
        _credentials[credentialId] = (key, userHandle, counter);
    }

    private byte[] AuthenticatorData(byte flags, uint counter, byte[] attested)
    {
        var data = new byte[37 + attested.Length];
        SHA256.HashData(Encoding.UTF8.GetBytes(rpId)).CopyTo(data, 0);
        data[32] = flags;
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(33), counter);
        attested.CopyTo(data, 37);
        return data;
    }

    private byte[] ClientData(string type, string challenge) =>
        JsonSerializer.SerializeToUtf8Bytes(new { type, challenge, origin = Origin, crossOrigin = false });

    public void Dispose()
    {
        foreach (var (key, _, _) in _credentials.Values)
        {
            key.Dispose();
        }
    }
}
