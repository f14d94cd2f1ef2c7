namespace Worktime.Api.Tests.MultiNode;

/// <summary>Paths of the repository and of the built <c>worktime</c> executable, for tests that run real processes.</summary>
public static class RepoPaths
{
    /// <summary>The checkout's root: the nearest parent of the test binaries holding <c>Worktime.slnx</c>.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>worktime.dll as copied next to the test assembly by the project reference (same build configuration).</summary>
    public static string WorktimeDll { get; } = Path.Combine(AppContext.BaseDirectory, "worktime.dll");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Worktime.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Worktime.slnx not found above " + AppContext.BaseDirectory);
    }
}
