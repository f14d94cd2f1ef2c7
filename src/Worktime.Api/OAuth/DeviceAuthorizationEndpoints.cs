using Microsoft.Extensions.Options;
using Worktime.Api.Auth;
using Worktime.Api.Http;

namespace Worktime.Api.OAuth;

/// <summary>
/// Device authorization (RFC 8628; docs/auth.md, "Device authorization").
/// | route                       | handler |
/// |-----------------------------|---------|
/// | POST /device_authorization  | <see cref="StartAsync"/> (RFC 8628 section 3.1) |
/// The person confirms the code on the web app's <c>/app/device</c>; the device polls <c>POST /login</c> (<see cref="DeviceCodeGrant"/>).
/// </summary>
internal static class DeviceAuthorizationEndpoints
{
    public static IEndpointRouteBuilder MapDeviceAuthorization(this IEndpointRouteBuilder app)
    {
        app.MapPost(OAuthPaths.DeviceAuthorization, StartAsync).AllowAnonymous().WithTags("Authentication").WithName("deviceAuthorization")
            .WithSummary("Start a device authorization")
            .WithDescription("RFC 8628 section 3.1, for a registered client with --device (a command-line tool): answers device_code, user_code " +
                "(XXXX-XXXX), verification_uri (/app/device), verification_uri_complete, expires_in and interval. The person confirms the code " +
                "there; the device polls POST /login with grant_type=urn:ietf:params:oauth:grant-type:device_code. Body: client_id (form, " +
                "multipart or JSON, or HTTP Basic with an empty password), optional scope (api).")
            .Accepts<DeviceAuthorizationRequest>("application/x-www-form-urlencoded", "multipart/form-data", "application/json")
            .Produces<DeviceAuthorizationResponse>()
            .Produces<ApiError>(StatusCodes.Status400BadRequest)
            .Produces<ApiError>(StatusCodes.Status429TooManyRequests);
        return app;
    }

    private static async Task<IResult> StartAsync(HttpContext http, RegisteredClients clients, DeviceCodes devices, LoginThrottle throttle,
        IssuerAddress issuer, IOptions<DeviceOptions> options, CancellationToken ct)
    {
        OAuthResults.NoStore(http);
        var (request, error) = await TokenRequestReader.ReadAsync(http.Request, ct);
        if (request is null)
        {
            return OAuthResults.InvalidRequest(error!);
        }
        var (clientId, clientError, clientDescription) = ClientCredentials.Resolve(http.Request, request["client_id"]);
        if (clientError is not null)
        {
            return OAuthResults.Error(clientError, clientDescription!);
        }
        if (clientId is null || await clients.FindAsync(clientId, ct) is not { } client)
        {
            return OAuthResults.Error("invalid_client", "The client_id is missing or not registered.");
        }
        if (!client.Device)
        {
            return OAuthResults.Error("unauthorized_client", $"The client {client.Id} is not registered for device authorization (--device).");
        }
        if (!Scopes.IsValid(request["scope"]))
        {
            return OAuthResults.Error("invalid_scope", $"The only scope is {Scopes.Api}.");
        }
        // Every start counts on the address's counter (rate limit, RFC 8628 section 5.2): codes cannot be farmed.
        var key = "da:" + ClientAddress.Of(http);
        if (await throttle.RefusedForAsync([key], ct) is { } wait)
        {
            return OAuthResults.SlowDown(wait);
        }
        await throttle.CountAsync([(key, options.Value.RequestsPerAddress)], ct);
        var started = await devices.StartAsync(client.Id, ct);
        var verification = issuer.Issuer.TrimEnd('/') + OAuthPaths.DeviceVerification;
        var userCode = UserCodes.Format(started.UserCode);
        return Results.Json(new DeviceAuthorizationResponse(started.DeviceCode, userCode, verification,
            verification + "?user_code=" + userCode, started.ExpiresIn, started.Interval));
    }
}

/// <summary>RFC 8628 section 3.1 (documentation type: the body is read by <see cref="TokenRequestReader"/>).</summary>
internal sealed record DeviceAuthorizationRequest(
    [property: System.Text.Json.Serialization.JsonPropertyName("client_id")] string ClientId,
    [property: System.Text.Json.Serialization.JsonPropertyName("scope")] string? Scope);

/// <summary>RFC 8628 section 3.2, in its order.</summary>
internal sealed record DeviceAuthorizationResponse(
    [property: System.Text.Json.Serialization.JsonPropertyName("device_code")] string DeviceCode,
    [property: System.Text.Json.Serialization.JsonPropertyName("user_code")] string UserCode,
    [property: System.Text.Json.Serialization.JsonPropertyName("verification_uri")] string VerificationUri,
    [property: System.Text.Json.Serialization.JsonPropertyName("verification_uri_complete")] string VerificationUriComplete,
    [property: System.Text.Json.Serialization.JsonPropertyName("expires_in")] long ExpiresIn,
    [property: System.Text.Json.Serialization.JsonPropertyName("interval")] long Interval);
