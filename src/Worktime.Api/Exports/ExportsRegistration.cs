namespace Worktime.Api.Exports;

/// <summary>Wiring of reports and exports (issue 21).</summary>
internal static class ExportsRegistration
{
    public static WebApplicationBuilder AddExports(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<WorktimeSource>();
        builder.Services.AddSingleton<HoursReport>();
        builder.Services.AddSingleton<WorktimeExport>();
        builder.Services.AddSingleton<PayrollMonth>();
        builder.Services.AddSingleton<PayrollWages>();
        builder.Services.AddScoped<ExportsApi>();
        return builder;
    }
}
