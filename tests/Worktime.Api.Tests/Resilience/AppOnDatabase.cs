using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;
using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.Resilience;

/// <summary>The real app (in-process) on a database the test chose, e.g. one on its own throwaway server.</summary>
public sealed class AppOnDatabase(string connectionString, IReadOnlyDictionary<string, string?>? settings = null)
    : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Worktime", connectionString);
        builder.UseSetting("Auth:Argon2:MemoryKiB", "8192");
        builder.UseSetting("Auth:Argon2:Iterations", "1");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureLogging(logging => logging.AddProvider(new CapturedLogs()).SetMinimumLevel(LogLevel.Debug));
    }
}
