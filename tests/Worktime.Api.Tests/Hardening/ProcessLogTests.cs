using System.Text.RegularExpressions;
using Worktime.Api.Tests.Infrastructure;
using Worktime.Api.Tests.MultiNode;

namespace Worktime.Api.Tests.Hardening;

/// <summary>
/// The binary started from an empty working directory (no appsettings.json) logs with the defaults set in code:
/// no request line with its query string, so no <c>password=</c> or <c>?access_token=</c> in anything it prints.
/// Its output also goes into the suite's captured logs, which scripts/test scans for secrets.
/// </summary>
[VariesWith(Vary.Nothing)]
public sealed partial class ProcessLogTests
{
    // The same patterns as the suite's log scan in scripts/test.
    [GeneratedRegex(@"eyJ[A-Za-z0-9_-]{8,}\.eyJ|Bearer\s+[A-Za-z0-9._-]{8,}|pw-correct-horse|password=[^&\s]+|Authorization:", RegexOptions.IgnoreCase)]
    private static partial Regex Secret();

    [Fact]
    public async Task Secrets_in_query_strings_never_reach_the_log_of_a_server_started_outside_its_folder()
    {
        var empty = Directory.CreateTempSubdirectory("worktime-empty-cwd-");
        var database = await TestBackend.CreateDatabaseAsync();
        try
        {
            var node = ServerProcess.Start(new Dictionary<string, string>
            {
                ["ConnectionStrings__Worktime"] = database,
                ["Auth__Argon2__MemoryKiB"] = "8192", // the first-start admin's hash, cheap for the test
                ["Auth__Argon2__Iterations"] = "1",
            }, workingDirectory: empty.FullName);
            await using (node)
            {
                await node.WaitReadyAsync();
                const string password = "pw-correct-horse-battery";
                const string token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLXNlY3JldA";
                using (await node.Client.PostAsync($"/login?grant_type=password&username=admin&password={password}", null)) { }
                using (await node.Client.GetAsync($"/login?password={password}")) { }
                using (await node.Client.GetAsync($"/me?access_token={token}")) { }
                using (await node.Client.GetAsync($"/worktimes?access_token={token}&password={password}")) { }
                using (await node.Client.GetAsync($"/1.1/nosuch?password={password}")) { }
                await node.StopAsync();

                var lines = node.Output.Split('\n');
                // Information logging was on (the defaults in code, not a silent process) and the output is complete.
                lines.ShouldContain(l => l.Contains("Now listening on", StringComparison.Ordinal), node.Output);
                lines.ShouldContain(l => l.Contains("Application is shutting down", StringComparison.Ordinal), node.Output);
                lines.Where(l => Secret().IsMatch(l) || l.Contains(password, StringComparison.Ordinal)).ShouldBeEmpty(node.Output);
            }
        }
        finally
        {
            await TestBackend.DropDatabaseAsync(database);
            empty.Delete(recursive: true);
        }
    }
}
