using System.Globalization;
using Worktime.Api.Accounts;
using Worktime.Api.Auth;
using Worktime.Api.Data;
using Worktime.Api.Forms.Definitions;
using Worktime.Api.Forms.Rows;
using Worktime.Api.Http;
using Worktime.Api.Quota;

namespace Worktime.Api.Forms.Endpoints;

/// <summary>
/// | route   | handler |
/// |---------|---------|
/// | GET /me | <see cref="MeAsync"/>: the caller's own user row (the user form's shape, no password material) and partner |
/// The top-level <c>userid</c>, <c>username</c>, <c>partnerid</c> and <c>userlevel</c> repeat the access token's claims with
/// their values and JSON types (strings): command-line clients such as otta-cli read who they are from there (docs/clients.md).
/// </summary>
internal static class MeEndpoints
{
    public static IEndpointRouteBuilder MapMe(this IEndpointRouteBuilder app)
    {
        // Described in /openapi/v1.json by src/Worktime.Api/ApiReference/AuthPaths.cs.
        app.MapGroup("").RequireAuthorization().RequireRequestQuota().MapGet("/me", MeAsync).ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> MeAsync(CurrentUser caller, FormReader forms, PartnerStore partners, CancellationToken ct)
    {
        // Read through the forms engine: the partner predicate is built in and the row has the user form's exact shape.
        var found = await forms.GetAsync(BuiltInForms.User, caller.PartnerId, caller.UserId, ct);
        var partner = await partners.FindAsync(caller.PartnerId, ct);
        if (found is not { } user || partner is null)
        {
            return ApiError.NotFound("Your user row does not exist.").ToResult();
        }
        return JsonOut.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteString("userid", caller.UserId.ToString(CultureInfo.InvariantCulture));
            w.WriteString("username", caller.Username);
            w.WriteString("partnerid", caller.PartnerId.ToString(CultureInfo.InvariantCulture));
            w.WriteString("userlevel", caller.UserLevel.ToString(CultureInfo.InvariantCulture));
            w.WritePropertyName("user");
            RowSerializer.Write(w, BuiltInForms.User, user.Row, caller);
            w.WriteStartObject("partner");
            w.WriteNumber("id", partner.Id);
            w.WriteString("name", partner.Name);
            w.WriteString("country", partner.Country);
            w.WriteString("created", partner.Created);
            w.WriteEndObject();
            w.WriteEndObject();
        });
    }
}
