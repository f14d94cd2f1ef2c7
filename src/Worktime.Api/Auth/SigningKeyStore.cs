using System.Globalization;
using System.Security.Cryptography;
using Dapper;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Worktime.Api.Accounts;
using Worktime.Api.Data;

namespace Worktime.Api.Auth;

/// <summary>One signing key as loaded from the database. <see cref="ValidUntil"/> is null while it is current.</summary>
internal sealed record SigningKey(string Kid, long CreatedAt, long? RetiredAt, long? ValidUntil, RsaSecurityKey Key);

internal sealed record SigningKeyRow(string Kid, long CreatedAt, long? RetiredAt, string PublicKey, string PrivateKey);

/// <summary>
/// RSA signing keys in the database (docs/security.md, requirement 4), so every node signs and validates with the
/// same set. Private keys are AES-GCM encrypted at rest when <c>Auth:KeyEncryptionKey</c> is set.
/// </summary>
internal sealed class SigningKeyStore(Database database, IOptions<AuthOptions> options, TimeProvider time, AuditLog audit, ISigningKeySource keys)
{
    public const int KeySizeBits = 2048;

    public async Task<IReadOnlyList<SigningKeyRow>> LoadRowsAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<SigningKeyRow>(
            """
            SELECT kid AS Kid, created_at AS CreatedAt, retired_at AS RetiredAt, public_key AS PublicKey, private_key AS PrivateKey
            FROM signing_keys ORDER BY created_at, kid
            """);
        return rows.ToList();
    }

    /// <summary>
    /// Creates the first key unless a current one exists (start-up on an empty database). Check and insert are one
    /// step across nodes: nodes started together on an empty database would otherwise each insert a key, and one that
    /// loaded its ring before the other's insert would refuse the other's tokens until its next key refresh. SQLite's
    /// write transaction takes the file's one write lock at BEGIN; PostgreSQL takes a transaction-level advisory
    /// lock (a session lock would outlive its transaction on a pooler's connection, docs/deploy.md).
    /// </summary>
    public async Task<bool> EnsureCurrentAsync(CancellationToken ct)
    {
        string kid;
        await using (var connection = await database.OpenAsync(ct))
        {
            await using var transaction = await connection.BeginWriteAsync(ct);
            if (database.Dialect == DbDialect.Postgres)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "SELECT 1 FROM pg_advisory_xact_lock(hashtextextended('worktime.signingkeys', 0))", transaction: transaction, cancellationToken: ct));
            }
            var current = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COUNT(*) FROM signing_keys WHERE retired_at IS NULL", transaction: transaction, cancellationToken: ct));
            if (current > 0)
            {
                return false;
            }
            kid = await InsertNewAsync(connection, transaction, ct);
            await transaction.CommitAsync(ct);
        }
        // After the commit: the audit log writes on a connection of its own, which SQLite's write lock would keep waiting.
        await audit.WriteAsync(AuditEvents.KeyCreated, detail: $"kid={kid}", ct: ct);
        return true;
    }

    /// <summary>Makes a new current key and retires every other one; returns the new kid.</summary>
    public async Task<string> RotateAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var kid = await InsertNewAsync(connection, null, ct);
        var retired = await connection.ExecuteAsync(
            "UPDATE signing_keys SET retired_at = @now WHERE retired_at IS NULL AND kid <> @kid",
            new { now = time.GetUtcNow().ToUnixTimeSeconds(), kid });
        await audit.WriteAsync(AuditEvents.KeyRotated, detail: string.Create(CultureInfo.InvariantCulture, $"kid={kid} retired={retired}"), ct: ct);
        return kid;
    }

    /// <summary>How long a retired key keeps validating: until every token it signed has expired.</summary>
    public long ValidUntil(long retiredAt)
    {
        var o = options.Value;
        var longest = o.RefreshTokenLifetime > o.AccessTokenLifetime ? o.RefreshTokenLifetime : o.AccessTokenLifetime;
        return retiredAt + (long)longest.TotalSeconds;
    }

    public SigningKey Materialize(SigningKeyRow row)
    {
        byte[] der;
        if (row.PrivateKey.StartsWith(KeyEncryption.Prefix, StringComparison.Ordinal))
        {
            var kek = EncryptionKey() ?? throw new InvalidOperationException(
                $"Signing key {row.Kid} is stored encrypted; set Auth:KeyEncryptionKey to the key it was stored with.");
            try
            {
                der = KeyEncryption.Unprotect(row.PrivateKey, kek, row.Kid);
            }
            catch (CryptographicException e)
            {
                throw new InvalidOperationException(
                    $"Signing key {row.Kid} cannot be decrypted with the configured Auth:KeyEncryptionKey; configure the key it was stored with.", e);
            }
        }
        else
        {
            der = Convert.FromBase64String(row.PrivateKey);
        }
        // The RSA object lives as long as the ring holds the key; it is disposed here only when the import fails.
#pragma warning disable CA2000 // ownership passes to the RsaSecurityKey below, which the ring keeps while the key is valid
        var rsa = RSA.Create();
#pragma warning restore CA2000
        try
        {
            rsa.ImportPkcs8PrivateKey(der, out _);
        }
        catch
        {
            rsa.Dispose();
            throw;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(der);
        }
        var key = new RsaSecurityKey(rsa) { KeyId = row.Kid };
        return new SigningKey(row.Kid, row.CreatedAt, row.RetiredAt, row.RetiredAt is { } r ? ValidUntil(r) : null, key);
    }

    private async Task<string> InsertNewAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction? transaction, CancellationToken ct)
    {
        using var rsa = keys.NewKey();
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(rsa.ExportParameters(false)));
        var kid = Base64UrlEncoder.Encode(jwk.ComputeJwkThumbprint()); // RFC 7638: stable, derived from the key
        var pkcs8 = rsa.ExportPkcs8PrivateKey();
        var key = EncryptionKey();
        var stored = key is null ? Convert.ToBase64String(pkcs8) : KeyEncryption.Protect(pkcs8, key, kid);
        CryptographicOperations.ZeroMemory(pkcs8);
        await connection.ExecuteAsync(
            "INSERT INTO signing_keys (kid, created_at, public_key, private_key) VALUES (@kid, @now, @pub, @stored)",
            new { kid, now = time.GetUtcNow().ToUnixTimeSeconds(), pub = Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo()), stored }, transaction);
        ct.ThrowIfCancellationRequested();
        return kid;
    }

    private byte[]? EncryptionKey() =>
        options.Value.KeyEncryptionKey is { } text && KeyEncryption.TryParseKey(text, out var key) ? key : null;
}
