using Worktime.Api.Data;

namespace Worktime.Api.Accounts;

/// <summary>Wiring of partners, users, credentials, the first-start admin and the audit trail.</summary>
internal static class AccountsRegistration
{
    public static WebApplicationBuilder AddAccounts(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<PasswordHashingOptions>();
        services.AddSingleton<PasswordHasher>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<PartnerStore>();
        services.AddSingleton<UserStore>();
        services.AddSingleton<UserAccounts>();
        services.AddSingleton<UsernameRenormalization>();

        // Start-up order: keys before the first login is registered by Auth; names before the admin is created.
        services.AddSingleton<IStartupStep>(s => s.GetRequiredService<UsernameRenormalization>());
        services.AddSingleton<IStartupStep, BootstrapAdmin>();
        services.AddSingleton<IStartupStep, PasswordHasherWarmup>();
        return builder;
    }
}
