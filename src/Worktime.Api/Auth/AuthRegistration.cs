using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Worktime.Api.Audit;
using Worktime.Api.Data;
using Worktime.Api.Users;

namespace Worktime.Api.Auth;

/// <summary>Wiring of the token service, bearer authentication, users and audit (issue 2).</summary>
internal static class AuthRegistration
{
    public static WebApplicationBuilder AddWorktimeAuth(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<AuthOptions>().Bind(builder.Configuration.GetSection(AuthOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();

        services.AddSingleton<AuditLog>();
        services.AddSingleton<AuthMetrics>();
        services.AddSingleton<PasswordHasher>();
        services.AddSingleton<SigningKeyStore>();
        services.AddSingleton<SigningKeyRing>();
        services.AddSingleton<TokenFactory>();
        services.AddSingleton<TokenValidation>();
        services.AddSingleton<TokenIssuer>();
        services.AddSingleton<RefreshTokenStore>();
        services.AddSingleton<LoginThrottle>();
        services.AddSingleton<UserAccessCache>();
        services.AddSingleton<UserStore>();
        services.AddSingleton<UserAccounts>();
        services.AddSingleton<PasswordGrant>();
        services.AddSingleton<RefreshGrant>();

        // Order matters: the key exists before the first token, the admin after the schema.
        services.AddSingleton<IStartupStep, SigningKeyStartup>();
        services.AddSingleton<IStartupStep, BootstrapAdmin>();
        services.AddSingleton<IStartupStep, PasswordHasherWarmup>();
        services.AddHostedService<SigningKeyRefresher>();
        services.AddHostedService<AuthHousekeeping>();

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<TokenValidation>(BearerAuthentication.Configure);
        // The default policy is what `RequireAuthorization()` on a route group asks for: a valid access token.
        services.AddAuthorizationBuilder().SetDefaultPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder(
            JwtBearerDefaults.AuthenticationScheme).RequireAuthenticatedUser().Build());
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
