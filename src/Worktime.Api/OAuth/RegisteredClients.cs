using System.Globalization;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Options;
using Worktime.Api.Accounts;
using Worktime.Api.Auth;
using Worktime.Api.Data;

namespace Worktime.Api.OAuth;

/// <summary>
/// The registered clients in <c>oauth_clients</c> (docs/auth.md, "Registered clients"), managed by
/// <c>worktime client add|list|remove</c>, and the token endpoint's view of them (<see cref="IClientRegistry"/>): every
/// node reads the same table, so a client added or removed on one is known to all at their next request.
/// </summary>
internal sealed class RegisteredClients(Database database, RefreshTokenStore refreshTokens, AuditLog audit, IOptions<AuthOptions> options,
    TimeProvider time)
    : IClientRegistry
{
    private const string Columns =
        "SELECT id AS Id, name AS Name, redirect_uris AS RedirectUris, first_party AS FirstParty, device AS Device, created_at AS CreatedAt FROM oauth_clients";

    /// <summary>Registers a client; answers the reason when it cannot be (a rule broken, the id taken).</summary>
    public async Task<string?> AddAsync(string id, string name, IReadOnlyList<string> redirectUris, bool firstParty, bool device,
        CancellationToken ct)
    {
        var problem = ClientRules.IdProblem(id) ?? ClientRules.NameProblem(name)
            ?? redirectUris.Select(ClientRules.RedirectUriProblem).FirstOrDefault(p => p is not null);
        if (problem is not null)
        {
            return problem;
        }
        if (redirectUris.Count == 0 && !device)
        {
            return "give the client at least one --redirect-uri (sign-in in a browser) or --device (device authorization)";
        }
        if (redirectUris.Distinct(StringComparer.Ordinal).Count() != redirectUris.Count)
        {
            return "a redirect URI is given twice";
        }
        if (options.Value.EffectiveClients.Contains(id, StringComparer.Ordinal))
        {
            return $"'{id}' is one of Auth:Clients (the password-grant clients); choose another id";
        }
        await using var writer = await database.OpenWriterAsync(ct);
        var added = await writer.Connection.ExecuteAsync(
            """
            INSERT INTO oauth_clients (id, name, redirect_uris, first_party, device, created_at)
            VALUES (@id, @name, @uris, @firstParty, @device, @now)
            ON CONFLICT (id) DO NOTHING
            """,
            new
            {
                id, name, uris = JsonSerializer.Serialize(redirectUris), firstParty = firstParty ? 1 : 0, device = device ? 1 : 0,
                now = time.GetUtcNow().ToUnixTimeSeconds(),
            }, writer.Transaction);
        await writer.CommitAsync(ct);
        if (added != 1)
        {
            return $"a client with the id '{id}' exists already";
        }
        await audit.WriteAsync(AuditEvents.ClientRegistered, detail: $"client={id}", ct: ct);
        return null;
    }

    public async Task<IReadOnlyList<RegisteredClient>> ListAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(Columns + " ORDER BY id", cancellationToken: ct));
        return rows.Select(r => r.ToClient()).ToList();
    }

    public async Task<RegisteredClient?> FindAsync(string id, CancellationToken ct)
    {
        if (ClientRules.IdProblem(id) is not null)
        {
            return null; // no such id can be registered: no query
        }
        await using var connection = await database.OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(Columns + " WHERE id = @id", new { id }, cancellationToken: ct));
        return row?.ToClient();
    }

    async Task<TokenClient?> IClientRegistry.FindAsync(string clientId, CancellationToken ct) =>
        await FindAsync(clientId, ct) is { } client ? new TokenClient(client.Id, OmitNulls: true, client.GrantTypes) : null;

    /// <summary>
    /// Removes a client and everything it holds, in one transaction: its consents, its pending and used codes, and its
    /// refresh-token families (revoked, so its tokens stop refreshing at once; access tokens end within their hour).
    /// False when there is no such client.
    /// </summary>
    public async Task<bool> RemoveAsync(string id, CancellationToken ct)
    {
        await using var writer = await database.OpenWriterAsync(ct);
        var (connection, tx) = (writer.Connection, writer.Transaction);
        // The client row first: an id that is not registered (a seed client of Auth:Clients, a typo) touches nothing else.
        if (await connection.ExecuteAsync("DELETE FROM oauth_clients WHERE id = @id", new { id }, tx) != 1)
        {
            return false;
        }
        foreach (var table in (string[])["oauth_consents", "authorization_codes", "device_codes"])
        {
            await connection.ExecuteAsync($"DELETE FROM {table} WHERE client_id = @id", new { id }, tx);
        }
        var revoked = await refreshTokens.RevokeClientFamiliesAsync(writer, id, "client removed");
        await writer.CommitAsync(ct);
        await audit.WriteAsync(AuditEvents.ClientRemoved, detail: string.Create(CultureInfo.InvariantCulture, $"client={id} families={revoked}"), ct: ct);
        return true;
    }

    private sealed record Row(string Id, string Name, string RedirectUris, long FirstParty, long Device, long CreatedAt)
    {
        public RegisteredClient ToClient() =>
            new(Id, Name, JsonSerializer.Deserialize<string[]>(RedirectUris) ?? [], FirstParty != 0, Device != 0, CreatedAt);
    }
}
