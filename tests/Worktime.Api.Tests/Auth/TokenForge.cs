using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Worktime.Api.Auth;
using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.Auth;

/// <summary>Hand-made JWTs for adversarial tests: any header, any payload, signed (or not) with any key.</summary>
internal static class TokenForge
{
    public static string B64(string text) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));

    public static string B64(byte[] bytes) => Base64Url.EncodeToString(bytes);

    public static string Decode(string segment) => Encoding.UTF8.GetString(Base64Url.DecodeFromChars(segment));

    public static JsonElement Header(string token) => JsonDocument.Parse(Decode(token.Split('.')[0])).RootElement;

    public static JsonElement Payload(string token) => JsonDocument.Parse(Decode(token.Split('.')[1])).RootElement;

    public static string SignRs256(string headerJson, string payloadJson, RSA key)
    {
        var input = B64(headerJson) + "." + B64(payloadJson);
        return input + "." + B64(key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    public static string SignHs256(string headerJson, string payloadJson, byte[] secret)
    {
        var input = B64(headerJson) + "." + B64(payloadJson);
        return input + "." + B64(HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(input)));
    }

    /// <summary>The app's current signing key (private half) and kid, to forge tokens that pass the signature check.</summary>
    public static async Task<(RSA Key, string Kid)> CurrentKeyAsync(this WorktimeApplication app)
    {
        var key = await app.Services.GetRequiredService<SigningKeyRing>().CurrentAsync();
        return (key.Key.Rsa, key.Kid);
    }

    /// <summary>An access-token payload like the app's, with overrides (null value = drop the claim).</summary>
    public static string AccessPayload(long iat, IDictionary<string, object?>? overrides = null, string issuer = "http://worktime.test")
    {
        var claims = new Dictionary<string, object?>
        {
            ["iss"] = issuer,
            ["aud"] = issuer,
            ["exp"] = iat + 3600,
            ["iat"] = iat,
            ["username"] = "admin",
            ["userid"] = "1",
            ["partnerid"] = "1",
            ["client_id"] = "openapi",
            ["userlevel"] = "5",
            ["country"] = "fi",
            ["jti"] = "forged",
            // BearerTests' admin after its one password change (UserAccounts raises the version with every change).
            ["security_version"] = 1,
        };
        foreach (var (name, value) in overrides ?? new Dictionary<string, object?>())
        {
            if (value is null)
            {
                claims.Remove(name);
            }
            else
            {
                claims[name] = value;
            }
        }
        return JsonSerializer.Serialize(claims);
    }
}
