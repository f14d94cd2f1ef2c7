using Worktime.Api.ApiReference;
using Worktime.Api.Auth;
using Worktime.Api.CalendarFeeds;
using Worktime.Api.Cli;
using Worktime.Api.Exports;
using Worktime.Api.Forms.Endpoints;
using Worktime.Api.Health;
using Worktime.Api.OAuth;
using Worktime.Api.Hosting;
using Worktime.Api.Observability;
using Worktime.Api.Quota;
using Worktime.Api.TimeAccounting;
using Worktime.Api.TwoFactor;
using Worktime.Api.WebApp;

// One executable: `worktime <command>` administers (Cli/); no command, or `serve`, runs the API below.
return await CliApp.RunAsync(args, RunServerAsync);

static async Task<int> RunServerAsync(string[] hostArguments, CancellationToken ct)
{
    var builder = WebApplication.CreateBuilder(hostArguments);
    builder.AddWorktimeServices();
    builder.ReportStartFailureAsOneLine();

    var app = builder.Build();
    app.UseWorktimeHosting();
    app.MapObservability();
    app.MapApiReference();
    app.UseWorktimeAuth();
    app.MapHealth();
    app.MapLogin();
    app.MapDeviceAuthorization();
    app.MapDiscovery();
    app.MapMe();
    app.MapForms();
    app.MapTimeAccounting();
    app.MapExports();
    app.MapCalendarFeeds();
    app.MapConnectedApps().RequireRequestQuota();
    app.MapSecondFactors();
    app.MapWebApp();

    await app.RunAsync(ct);
    return 0;
}

public partial class Program;
