using System.Text.Json.Serialization;
using Worktime.Api.Auth;
using Worktime.Api.Http;

namespace Worktime.Api.OAuth;

/// <summary>
/// The apps that can use Worktime as the caller, and withdrawing one (docs/auth.md, "Connected apps and withdrawing consent"):
/// | route                                | handler |
/// |--------------------------------------|---------|
/// | GET    /connectedapps                | <see cref="ListAsync"/> |
/// | DELETE /connectedapps/{client_id}    | <see cref="WithdrawAsync"/> (the consent is forgotten and the app's refresh tokens end) |
/// The web app's <c>/app/apps</c> page does the same for a person with a browser session.
/// </summary>
internal static class ConnectedAppsEndpoints
{
    public const string Tag = "Connected apps";

    /// <summary>Maps the routes on an authorized group and answers it, for the host to add the request quota.</summary>
    public static RouteGroupBuilder MapConnectedApps(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/connectedapps").RequireAuthorization().WithTags(Tag);
        group.MapGet("", ListAsync)
            .WithName("listConnectedApps")
            .WithSummary("The registered apps you allowed (a remembered consent) or that still hold a live refresh token of yours")
            .Produces<ConnectedAppList>();
        group.MapDelete("/{clientId}", WithdrawAsync)
            .WithName("withdrawConnectedApp")
            .WithSummary("Withdraws an app: forgets your consent (its next sign-in asks again) and revokes its refresh tokens of yours; " +
                "its access tokens end within their lifetime")
            .Produces<WithdrawnBody>()
            .Produces<ApiError>(StatusCodes.Status404NotFound);
        return group;
    }

    private static async Task<IResult> ListAsync(CurrentUser caller, Consents consents, CancellationToken ct)
    {
        var apps = (await consents.ConnectedAsync(caller.UserId, ct)).Select(Row).ToList();
        return Results.Json(new ConnectedAppList(apps, apps.Count));
    }

    private static async Task<IResult> WithdrawAsync(string clientId, CurrentUser caller, Consents consents, HttpContext http, CancellationToken ct) =>
        await consents.WithdrawAsync(caller.UserId, caller.PartnerId, caller.Username, clientId, ClientAddress.Of(http), ct)
            ? Results.Json(new WithdrawnBody(true))
            : ApiError.NotFound("You have not allowed this app and it holds no refresh token of yours.").ToResult();

    private static ConnectedAppRow Row(ConnectedApp app) => new(app.ClientId, app.Name, app.FirstParty,
        WireTime.FromUnixSeconds(app.AllowedAt),
        app.HasTokens);
}

/// <summary>One app of <c>GET /connectedapps</c>.</summary>
internal sealed record ConnectedAppRow(
    [property: JsonPropertyName("client_id")] string ClientId,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("first_party")] bool FirstParty,
    [property: JsonPropertyName("allowed_at")] string? AllowedAt,
    [property: JsonPropertyName("has_tokens")] bool HasTokens);

internal sealed record ConnectedAppList(
    [property: JsonPropertyName("connectedapps")] IReadOnlyList<ConnectedAppRow> Connectedapps,
    [property: JsonPropertyName("count")] int Count);

internal sealed record WithdrawnBody([property: JsonPropertyName("withdrawn")] bool Withdrawn);
