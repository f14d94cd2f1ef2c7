using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Worktime.Api.Accounts;
using Worktime.Api.Data;

namespace Worktime.Api.Auth;

/// <summary>Wiring of the token service and bearer authentication (issue 2); users and audit are <see cref="AccountsRegistration"/>.</summary>
internal static class AuthRegistration
{
    public static WebApplicationBuilder AddWorktimeAuth(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<AuthOptions>().Bind(builder.Configuration.GetSection(AuthOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();

        // Accounts hash passwords; their cost and slots are configured in this section.
        services.AddOptions<PasswordHashingOptions>().Configure<IOptions<AuthOptions>>((hashing, auth) =>
        {
            hashing.MemoryKiB = auth.Value.Argon2.MemoryKiB;
            hashing.Iterations = auth.Value.Argon2.Iterations;
            hashing.Implementation = auth.Value.Argon2.Implementation;
            hashing.HashConcurrency = auth.Value.HashConcurrency;
            hashing.HashQueueTimeout = auth.Value.HashQueueTimeout;
        });
        services.AddSingleton<IUserSessions, UserSessions>();
        services.AddSingleton<ISigningKeySource, SigningKeyGenerator>();
        services.AddSingleton<SigningKeyStore>();
        services.AddSingleton<SigningKeyRing>();
        services.AddSingleton<IssuerAddress>();
        services.AddHostedService<IssuerAnnouncement>();
        services.AddSingleton<TokenFactory>();
        services.AddSingleton<TokenValidation>();
        services.AddSingleton<BearerTokenCache>();
        services.AddSingleton<TokenIssuer>();
        services.AddSingleton<RefreshTokenStore>();
        services.AddSingleton<LoginThrottle>();
        services.AddSingleton<UserAccessCache>();
        services.AddSingleton<PasswordCheck>();
        services.AddSingleton<PasswordGrant>();
        services.AddSingleton<RefreshGrant>();

        services.AddSingleton<IStartupStep, SigningKeyStartup>();
        services.AddHostedService<SigningKeyRefresher>();

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<TokenValidation, BearerTokenCache>(BearerAuthentication.Configure);
        // The default policy is what `RequireAuthorization()` on a route group asks for: a valid access token.
        services.AddAuthorizationBuilder().SetDefaultPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder(
            JwtBearerDefaults.AuthenticationScheme).RequireAuthenticatedUser().Build());
        services.AddSingleton<CallerClaims>();
        CurrentUser.Register(services);
        return builder;
    }

    /// <summary>Authentication after the /1.1 path base, so routes match before authorization runs.</summary>
    public static WebApplication UseWorktimeAuth(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }
}
