using Worktime.Api.Tests.MultiNode;

namespace Worktime.Api.Tests.Infrastructure;

/// <summary>
/// Where a test saves a screenshot: into the repository's docs/img/ only when <c>WORKTIME_WRITE_SCREENSHOTS=1</c>
/// (someone refreshing the documentation's pictures on purpose), otherwise into TestResults/screenshots/ (ignored by
/// git), so a normal test run never changes the repository.
/// </summary>
public static class Screenshots
{
    public const string WriteVariable = "WORKTIME_WRITE_SCREENSHOTS";

    public static bool IntoDocs => Environment.GetEnvironmentVariable(WriteVariable) == "1";

    /// <summary>The path for <paramref name="fileName"/>; its folder exists.</summary>
    public static string PathFor(string fileName)
    {
        var folder = IntoDocs
            ? Path.Combine(RepoPaths.Root, "docs", "img")
            : Path.Combine(RepoPaths.Root, "TestResults", "screenshots");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, fileName);
    }
}
