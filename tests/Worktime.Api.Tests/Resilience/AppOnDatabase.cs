using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.Resilience;

/// <summary>
/// The real app (in-process) on a database the test chose, e.g. one on its own throwaway server, with the
/// suite's usual test settings. The database is the caller's: it is neither created nor dropped here.
/// </summary>
public sealed class AppOnDatabase : WorktimeApp
{
    public AppOnDatabase(string connectionString, IReadOnlyDictionary<string, string?>? settings = null)
    {
        // Settings are applied after (so over) the base's own connection string.
        Settings["ConnectionStrings:Worktime"] = connectionString;
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            Settings[key] = value;
        }
    }
}
