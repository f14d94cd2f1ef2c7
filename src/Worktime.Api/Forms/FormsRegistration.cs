using Worktime.Api.Forms.Definitions;
using Worktime.Api.Forms.Endpoints;
using Worktime.Api.Forms.Hooks;
using Worktime.Api.Forms.Rows;
using Worktime.Api.Forms.Writes;

namespace Worktime.Api.Forms;

/// <summary>Wiring of the forms engine (issue 3): definitions, reader, writer, the door other folders use (<see cref="FormRows"/>), per-request API (the request quota lives in Quota/).</summary>
internal static class FormsRegistration
{
    public static WebApplicationBuilder AddForms(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(FormRegistry.BuiltIn);
        builder.Services.AddSingleton<FormReader>();
        builder.Services.AddSingleton<FormHooks, UserHooks>();
        builder.Services.AddSingleton<FormHooks, WorktimeHooks>();
        builder.Services.AddSingleton<FormHooks, AbcenseHooks>();
        builder.Services.AddSingleton<FormHooks, WorktimegroupHooks>();
        builder.Services.AddSingleton<FormHooks, WorkdaydayHooks>();
        builder.Services.AddSingleton<FormHooks, SaldocorrectionHooks>();
        builder.Services.AddSingleton<FormHooks, EmploymentHooks>();
        builder.Services.AddSingleton<FormHooks, PeriodlockHooks>();
        builder.Services.AddSingleton<FormHooks, WagetypeHooks>();
        builder.Services.AddSingleton<FormHooksCatalog>();
        builder.Services.AddSingleton<FormWriter>();
        builder.Services.AddSingleton<FormRows>();
        builder.Services.AddScoped<FormsApi>();
        return builder;
    }
}
