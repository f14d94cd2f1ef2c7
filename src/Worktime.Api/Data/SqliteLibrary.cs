using SQLitePCL;

namespace Worktime.Api.Data;

/// <summary>
/// Process-wide settings of the bundled SQLite library, applied before its first connection opens
/// (https://www.sqlite.org/c3ref/config.html: <c>sqlite3_config</c> only works before <c>sqlite3_initialize</c>).
/// </summary>
internal static class SqliteLibrary
{
    private const int ConfigMultiThread = 2; // SQLITE_CONFIG_MULTITHREAD
    private const int ConfigMemStatus = 9; // SQLITE_CONFIG_MEMSTATUS

    /// <summary>
    /// The bundled build is compiled "serialized": every call on a connection (each column of each row read)
    /// takes that connection's mutex, and every allocation takes one global mutex for memory statistics that
    /// nothing reads. Both showed as ~10 % of a month page's CPU (docs/benchmarks.md, "Read path"). Multi-thread
    /// mode drops the per-connection mutex; it is safe because a connection is only ever used by one caller at a
    /// time (a pooled connection by the request that opened it, the writer connection behind its gate) —
    /// https://www.sqlite.org/threadsafe.html. Returns false when SQLite was already initialised (the settings
    /// then stay as they were: slower, equally correct).
    /// </summary>
    public static bool Configure()
    {
        Batteries_V2.Init();
        return raw.sqlite3_config(ConfigMultiThread) == raw.SQLITE_OK
            & raw.sqlite3_config(ConfigMemStatus, 0) == raw.SQLITE_OK;
    }
}
