using Worktime.Api.Cli;
using Worktime.Api.Data;
using Worktime.Api.Health;
using Worktime.Api.Hosting;
using Worktime.Api.Observability;

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
app.MapHealth();

await app.RunAsync();
return 0;

public partial class Program;
