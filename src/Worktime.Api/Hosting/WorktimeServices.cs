using Worktime.Api.Accounts;
using Worktime.Api.ApiReference;
using Worktime.Api.Auth;
using Worktime.Api.CalendarFeeds;
using Worktime.Api.Data;
using Worktime.Api.Erasure;
using Worktime.Api.Exports;
using Worktime.Api.Forms;
using Worktime.Api.OAuth;
using Worktime.Api.Observability;
using Worktime.Api.Quota;
using Worktime.Api.TimeAccounting;
using Worktime.Api.TwoFactor;
using Worktime.Api.WebApp;

namespace Worktime.Api.Hosting;

/// <summary>Every feature's services, shared by the web server and the CLI (which uses the same container).</summary>
internal static class WorktimeServices
{
    public static WebApplicationBuilder AddWorktimeServices(this WebApplicationBuilder builder)
    {
        builder.AddWorktimeHosting();
        builder.AddWorktimeDatabase();
        builder.AddAccounts();
        builder.AddApiReference();
        builder.AddWorktimeAuth();
        builder.AddOAuth();
        builder.AddTwoFactor();
        builder.AddRequestQuota();
        builder.AddForms();
        builder.AddTimeAccounting();
        builder.AddExports();
        builder.AddCalendarFeeds();
        builder.AddWebApp();
        builder.AddErasure();
        builder.AddPeriodicJobs();
        return builder;
    }
}
