using Worktime.Api.Auth;
using Worktime.Api.Cli;
using Worktime.Api.Data;
using Worktime.Api.Forms.Endpoints;
using Worktime.Api.Health;
using Worktime.Api.Hosting;
using Worktime.Api.Observability;
using Worktime.Api.Users;

// One executable: `worktime <command>` runs the admin CLI; no command (or `serve`) runs the API.
if (CliApp.IsCommand(args))
{
    return await CliApp.RunAsync(args);
}

var builder = WebApplication.CreateBuilder(CliApp.ServeArguments(args));
builder.AddWorktimeServices();

var app = builder.Build();
app.UseWorktimeHosting();
app.MapObservability();
app.UseWorktimeAuth();
app.MapHealth();
app.MapLogin();
app.MapDiscovery();
app.MapMe();
app.MapForms();

await app.RunAsync();
return 0;

public partial class Program;
