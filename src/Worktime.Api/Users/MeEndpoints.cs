using System.Text.Json.Serialization;
using Dapper;
using Worktime.Api.Auth;
using Worktime.Api.Data;
using Worktime.Api.Http;

namespace Worktime.Api.Users;

/// <summary>
/// | route   | handler |
/// |---------|---------|
/// | GET /me | <see cref="MeAsync"/>: the caller's own user row (no password material) and partner |
/// </summary>
internal static class MeEndpoints
{
    public static IEndpointRouteBuilder MapMe(this IEndpointRouteBuilder app)
    {
        app.MapGroup("").RequireAuthorization().MapGet("/me", MeAsync);
        return app;
    }

    private static async Task<IResult> MeAsync(CurrentUser caller, Database database, PartnerStore partners, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        // The partner predicate too: the row must be the caller's in the caller's tenant.
        var row = await connection.QuerySingleOrDefaultAsync<MeRow>(
            """
            SELECT id AS Id, partner_id AS PartnerId, created AS Created, modified AS Modified, creator_id AS CreatorId,
                   row_status AS RowStatus, firstname AS Firstname, lastname AS Lastname, username AS Username, email AS Email,
                   phone AS Phone, CAST(userlevel AS BIGINT) AS Userlevel, worktimegroup AS Worktimegroup, status AS Status
            FROM users WHERE id = @userId AND partner_id = @partnerId
            """, new { userId = caller.UserId, partnerId = caller.PartnerId });
        var partner = await partners.FindAsync(caller.PartnerId, ct);
        if (row is null || partner is null)
        {
            return ApiError.NotFound("Your user row does not exist.");
        }
        var admin = caller.UserLevel >= 5;
        var user = new MeUser(
            new RowInfo(row.Created, row.Modified, row.PartnerId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                row.CreatorId?.ToString(System.Globalization.CultureInfo.InvariantCulture), row.RowStatus, admin, admin),
            row.Id, row.Firstname, row.Lastname, row.Username, row.Email, row.Phone, row.Userlevel, row.Worktimegroup, row.Status);
        return Results.Json(new { user, partner = new { id = partner.Id, name = partner.Name, country = partner.Country, created = partner.Created } });
    }

    private sealed record MeRow(long Id, long PartnerId, string Created, string? Modified, long? CreatorId, string RowStatus,
        string? Firstname, string? Lastname, string Username, string? Email, string? Phone, long Userlevel, long? Worktimegroup, string Status);
}

/// <summary>The user row in the forms API's shape (contract §2.2): row_info first, then id, then the fields.</summary>
internal sealed record MeUser(
    [property: JsonPropertyName("row_info")] RowInfo RowInfo,
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("firstname")] string? Firstname,
    [property: JsonPropertyName("lastname")] string? Lastname,
    [property: JsonPropertyName("username")] string Username,
    [property: JsonPropertyName("email")] string? Email,
    [property: JsonPropertyName("phone")] string? Phone,
    [property: JsonPropertyName("userlevel")] long Userlevel,
    [property: JsonPropertyName("worktimegroup")] long? Worktimegroup,
    [property: JsonPropertyName("status")] string Status);

internal sealed record RowInfo(
    [property: JsonPropertyName("created")] string Created,
    [property: JsonPropertyName("modified")] string? Modified,
    [property: JsonPropertyName("partnerid")] string Partnerid,
    [property: JsonPropertyName("creatorid")] string? Creatorid,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("privilege_remove")] bool PrivilegeRemove,
    [property: JsonPropertyName("privilege_edit")] bool PrivilegeEdit);
