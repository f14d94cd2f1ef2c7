namespace Worktime.Api.TimeAccounting;

/// <summary>Wiring of time accounting (issue 10): the store and the per-request API.</summary>
internal static class TimeAccountingRegistration
{
    public static WebApplicationBuilder AddTimeAccounting(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<AccountingStore>();
        builder.Services.AddSingleton<BalanceBook>();
        builder.Services.AddScoped<TimeAccountingApi>();
        return builder;
    }
}
