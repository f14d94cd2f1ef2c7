using System.Globalization;
using Dapper;
using Worktime.Api.Data;
using Worktime.Api.Http;

namespace Worktime.Api.Accounts;

internal sealed record Partner(long Id, string Name, string Country, string Created);

/// <summary>Tenants: created by the CLI and the first start, read by login (country) and <c>/me</c>. Part of accounts: a partner is the owner of its users.</summary>
internal sealed class PartnerStore(Database database, TimeProvider time)
{
    public async Task<Outcome<long>> AddAsync(string name, string country, CancellationToken ct = default)
    {
        name = name.Trim();
        country = country.Trim().ToLowerInvariant();
        if (name.Length is 0 or > 200 || name.Any(char.IsControl))
        {
            return ApiError.Invalid("name", "The partner name must be 1 to 200 characters without control characters.");
        }
        if (country.Length != 2 || !country.All(char.IsAsciiLetterLower))
        {
            return ApiError.Invalid("country", "The country must be a two-letter ISO 3166 code, e.g. fi.");
        }
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(
            "INSERT INTO partners (name, country, created) VALUES (@name, @country, @created) RETURNING id",
            new { name, country, created = time.GetUtcNow().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) });
    }

    public async Task<Partner?> FindAsync(long id, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<Partner>(
            "SELECT id AS Id, name AS Name, country AS Country, created AS Created FROM partners WHERE id = @id", new { id });
    }

    /// <summary>Deletes a partner that has no users yet (the loser of a first-start race); true when deleted.</summary>
    public async Task<bool> RemoveIfEmptyAsync(long id, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync(
            "DELETE FROM partners WHERE id = @id AND NOT EXISTS (SELECT 1 FROM users WHERE partner_id = @id)", new { id }) == 1;
    }
}
