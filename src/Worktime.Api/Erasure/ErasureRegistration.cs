namespace Worktime.Api.Erasure;

internal static class ErasureRegistration
{
    public static WebApplicationBuilder AddErasure(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<UserErasure>();
        return builder;
    }
}
