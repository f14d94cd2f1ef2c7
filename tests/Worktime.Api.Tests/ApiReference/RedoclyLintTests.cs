using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.ApiReference;

/// <summary>The served document passes Redocly's strictest preset with the committed redocly.yaml.</summary>
[VariesWith(Vary.Nothing)]
public sealed class RedoclyLintTests(WorktimeApplication app) : IClassFixture<WorktimeApplication>
{
    [SqlitePassFact]
    public async Task ServedDocument_PassesRedoclyLint()
    {
        var redocly = ExternalTools.Redocly;
        var dir = ExternalTools.TempDir("redocly");
        var document = Path.Combine(dir, "openapi.json");
        await File.WriteAllTextAsync(document, await app.CreateClient().GetStringAsync("/openapi/v1.json"));

        var result = await ExternalTools.RunAsync(redocly,
            ["lint", document, "--config", Path.Combine(ExternalTools.RepoRoot, "redocly.yaml"), "--format", "stylish"],
            dir, new Dictionary<string, string> { ["REDOCLY_TELEMETRY"] = "off", ["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true" });

        result.ShouldSucceed("redocly lint");
        result.Output.ShouldContain("Your API description is valid");
        Directory.Delete(dir, recursive: true);
    }
}
