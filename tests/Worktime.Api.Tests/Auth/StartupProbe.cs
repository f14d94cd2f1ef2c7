using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Worktime.Api.Hosting;

namespace Worktime.Api.Tests.Auth;

/// <summary>
/// Starts the app the way Program.cs does (same builder, same services, host start runs option validation and the
/// start-up steps) and returns why it failed. Used instead of WebApplicationFactory for failing starts, whose
/// deferred host can surface a disposal error in place of the real one when the machine is busy.
/// </summary>
internal static class StartupProbe
{
    public static async Task<string> FailureAsync(string connectionString, IReadOnlyDictionary<string, string?> settings)
    {
        var args = settings.Select(s => $"--{s.Key}={s.Value}").Append($"--ConnectionStrings:Worktime={connectionString}")
            .Append("--urls=http://127.0.0.1:0").ToArray();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, EnvironmentName = "Testing" });
        builder.AddWorktimeServices();
        await using var app = builder.Build();
        try
        {
            await app.StartAsync();
        }
        catch (Exception e)
        {
            return SigningKeyTests.Flatten(e);
        }
        await app.StopAsync();
        throw new ShouldAssertException("The app started, but it should have refused to.");
    }
}
