namespace Worktime.Api.TwoFactor;

/// <summary>Wiring of second factors (issue 27; docs/auth.md, "Second factors").</summary>
internal static class TwoFactorRegistration
{
    public static WebApplicationBuilder AddTwoFactor(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<SecondFactorStore>();
        builder.Services.AddSingleton<SecondFactors>();
        builder.Services.AddSingleton<SignInPolicy>();
        builder.Services.AddSingleton<PasskeyStore>();
        builder.Services.AddSingleton<Passkeys>();
        return builder;
    }
}
