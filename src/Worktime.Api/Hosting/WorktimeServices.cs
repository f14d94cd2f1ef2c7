using Worktime.Api.Accounts;
using Worktime.Api.Auth;
using Worktime.Api.Data;
using Worktime.Api.Forms;
using Worktime.Api.Observability;
using Worktime.Api.Quota;

namespace Worktime.Api.Hosting;

/// <summary>Every feature's services, shared by the web server and the CLI (which uses the same container).</summary>
internal static class WorktimeServices
{
    public static WebApplicationBuilder AddWorktimeServices(this WebApplicationBuilder builder)
    {
        builder.AddWorktimeHosting();
        builder.AddWorktimeDatabase();
        builder.AddAccounts();
        builder.AddObservability();
        builder.AddWorktimeAuth();
        builder.AddRequestQuota();
        builder.AddForms();
        return builder;
    }
}
