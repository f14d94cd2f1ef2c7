using Microsoft.Extensions.Options;
using Worktime.Api.Auth;

namespace Worktime.Api.OAuth;

/// <summary>
/// Sign-in for other apps (docs/auth.md): registered clients, the authorization code grant with PKCE, consents and
/// device authorization. The pages (<c>/authorize</c>, <c>/app/device</c>) belong to the web app, which shares its
/// login and session with them; the grants plug into <c>POST /login</c> as <see cref="ITokenGrant"/>s.
/// </summary>
internal static class OAuthRegistration
{
    public static WebApplicationBuilder AddOAuth(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<DeviceOptions>().Bind(builder.Configuration.GetSection(DeviceOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DeviceOptions>, DeviceOptionsValidator>();
        services.AddSingleton<RegisteredClients>();
        services.AddSingleton<IClientRegistry>(sp => sp.GetRequiredService<RegisteredClients>());
        services.AddSingleton<AuthorizationRequests>();
        services.AddSingleton<AuthorizationCodes>();
        services.AddSingleton<Consents>();
        services.AddSingleton<Authorizations>();
        services.AddSingleton<DeviceCodes>();
        services.AddSingleton<ITokenGrant, AuthorizationCodeGrant>();
        services.AddSingleton<ITokenGrant, DeviceCodeGrant>();
        services.AddSingleton<IServerMetadata, OAuthMetadata>();
        return builder;
    }
}
