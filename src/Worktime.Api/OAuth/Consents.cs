using System.Globalization;
using Dapper;
using Worktime.Api.Accounts;
using Worktime.Api.Auth;
using Worktime.Api.Data;

namespace Worktime.Api.OAuth;

/// <summary>An app that can use Worktime as a person: allowed by them (a consent) and/or holding live refresh tokens.</summary>
internal sealed record ConnectedApp(string ClientId, string Name, bool FirstParty, long? AllowedAt, bool HasTokens);

/// <summary>
/// A person's remembered decisions (docs/auth.md, "Consent"): "allow" for a client that is not first-party, asked once
/// and remembered per user and client until withdrawn. Withdrawing also revokes that client's refresh-token families
/// for the person, so the app is out as soon as its access token ends (at most <c>Auth:AccessTokenLifetime</c>).
/// </summary>
internal sealed class Consents(Database database, RegisteredClients clients, RefreshTokenStore refreshTokens, AuditLog audit, TimeProvider time)
{
    public async Task<bool> HasAsync(long userId, string clientId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT 1 FROM oauth_consents WHERE user_id = @userId AND client_id = @clientId", new { userId, clientId }, cancellationToken: ct)) is not null;
    }

    /// <summary>Remembers "allow" (a repeated allow keeps the first date).</summary>
    public async Task GrantAsync(LoginUser user, string clientId, string ip, CancellationToken ct)
    {
        await using (var writer = await database.OpenWriterAsync(ct))
        {
            await writer.Connection.ExecuteAsync(
                "INSERT INTO oauth_consents (user_id, client_id, granted_at) VALUES (@userId, @clientId, @now) ON CONFLICT (user_id, client_id) DO NOTHING",
                new { userId = user.Id, clientId, now = time.GetUtcNow().ToUnixTimeSeconds() }, writer.Transaction);
            await writer.CommitAsync(ct);
        }
        await audit.WriteAsync(AuditEvents.ConsentGranted, user.PartnerId, user.Id, user.Username, ip, $"client={clientId}", ct);
    }

    /// <summary>
    /// Forgets the decision and revokes the client's token families for the person. False when the client had
    /// neither (nothing to withdraw).
    /// </summary>
    public async Task<bool> WithdrawAsync(long userId, long partnerId, string username, string clientId, string ip, CancellationToken ct)
    {
        int forgotten;
        await using (var writer = await database.OpenWriterAsync(ct))
        {
            forgotten = await writer.Connection.ExecuteAsync(
                "DELETE FROM oauth_consents WHERE user_id = @userId AND client_id = @clientId", new { userId, clientId }, writer.Transaction);
            await writer.CommitAsync(ct);
        }
        var revoked = await clients.FindAsync(clientId, ct) is null
            ? 0 // a seed client (Auth:Clients) is not an app: its logins end with POST /logout
            : await refreshTokens.RevokeUserClientFamiliesAsync(userId, clientId, "consent withdrawn", ct);
        if (forgotten + revoked == 0)
        {
            return false;
        }
        await audit.WriteAsync(AuditEvents.ConsentWithdrawn, partnerId, userId, username, ip, string.Create(CultureInfo.InvariantCulture, $"client={clientId} families={revoked}"), ct);
        return true;
    }

    /// <summary>The registered apps a person allowed or that still hold a live refresh token of theirs, by name.</summary>
    public async Task<IReadOnlyList<ConnectedApp>> ConnectedAsync(long userId, CancellationToken ct)
    {
        Dictionary<string, long> allowed;
        await using (var connection = await database.OpenAsync(ct))
        {
            allowed = (await connection.QueryAsync<ConsentRow>(new CommandDefinition(
                "SELECT client_id AS ClientId, granted_at AS GrantedAt FROM oauth_consents WHERE user_id = @userId", new { userId }, cancellationToken: ct)))
                .ToDictionary(r => r.ClientId, r => r.GrantedAt, StringComparer.Ordinal);
        }
        var live = (await refreshTokens.LiveClientsOfAsync(userId, ct)).ToHashSet(StringComparer.Ordinal);
        var apps = new List<ConnectedApp>();
        foreach (var clientId in allowed.Keys.Union(live, StringComparer.Ordinal))
        {
            if (await clients.FindAsync(clientId, ct) is { } client)
            {
                apps.Add(new ConnectedApp(client.Id, client.Name, client.FirstParty,
                    allowed.TryGetValue(clientId, out var at) ? at : null, live.Contains(clientId)));
            }
        }
        return apps.OrderBy(a => a.Name, StringComparer.CurrentCultureIgnoreCase).ThenBy(a => a.ClientId, StringComparer.Ordinal).ToList();
    }

    private sealed record ConsentRow(string ClientId, long GrantedAt);
}
