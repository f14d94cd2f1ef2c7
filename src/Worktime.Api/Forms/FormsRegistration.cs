using Worktime.Api.Forms.Definitions;
using Worktime.Api.Forms.Endpoints;
using Worktime.Api.Forms.Hooks;
using Worktime.Api.Forms.Quota;
using Worktime.Api.Forms.Rows;
using Worktime.Api.Forms.Writes;

namespace Worktime.Api.Forms;

/// <summary>Wiring of the forms engine (issue 3): definitions, reader, writer, per-request API and the request quota.</summary>
internal static class FormsRegistration
{
    public static WebApplicationBuilder AddForms(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RequestQuotaOptions>()
            .Bind(builder.Configuration.GetSection(RequestQuotaOptions.Section))
            .Validate(o => o.RequestsPerWindow > 0, "RateLimit:RequestsPerWindow must be a positive number of requests.")
            .Validate(o => o.Window >= TimeSpan.FromSeconds(1) && o.Window <= TimeSpan.FromDays(31),
                "RateLimit:Window must be a time span between 00:00:01 and 31.00:00:00, e.g. 01:00:00.")
            .ValidateOnStart();
        builder.Services.AddSingleton(FormRegistry.BuiltIn);
        builder.Services.AddSingleton<FormReader>();
        builder.Services.AddSingleton<FormHooks, UserHooks>();
        builder.Services.AddSingleton<FormHooks, WorktimeHooks>();
        builder.Services.AddSingleton<FormHooks, AbcenseHooks>();
        builder.Services.AddSingleton<FormHooksCatalog>();
        builder.Services.AddSingleton<FormWriter>();
        builder.Services.AddSingleton<RequestQuota>();
        builder.Services.AddScoped<FormsApi>();
        return builder;
    }
}
