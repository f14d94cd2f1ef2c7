using SQLitePCL;

namespace Worktime.Api.Data;

/// <summary>
/// Process-wide settings of the bundled SQLite library, applied before its first connection opens
/// (https://www.sqlite.org/c3ref/config.html: <c>sqlite3_config</c> only works before <c>sqlite3_initialize</c>).
/// </summary>
internal static class SqliteLibrary
{
    private const int ConfigMemStatus = 9; // SQLITE_CONFIG_MEMSTATUS

    /// <summary>
    /// The bundled build keeps memory statistics, which makes every allocation of every connection take one global
    /// mutex for numbers nothing here reads; under load the threads meet on it (docs/benchmarks.md, "What changed in this pass").
    /// The library stays in its default "serialized" threading mode: multi-thread mode was measured faster too, but
    /// crashed the test suite (a connection is evidently touched by two threads at some point, which serialized mode
    /// makes safe). Returns false when SQLite was already initialised (the setting then stays as it was).
    /// </summary>
    public static bool Configure()
    {
        Batteries_V2.Init();
        return raw.sqlite3_config(ConfigMemStatus, 0) == raw.SQLITE_OK;
    }
}
