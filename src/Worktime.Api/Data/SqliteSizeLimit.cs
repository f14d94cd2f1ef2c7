using Microsoft.Data.Sqlite;

namespace Worktime.Api.Data;

/// <summary>
/// <c>Database:SqliteMaxSizeMegabytes</c> on the SQLite writer connection, as <c>PRAGMA max_page_count</c> (a setting
/// of the connection, not of the file). Read again before every write transaction, so a changed setting (the
/// configuration file is watched) takes effect on the next write without a restart. A write that needs a page beyond
/// the limit fails like one on a full disk (<c>SQLITE_FULL</c>): answered 503, nothing of it written
/// (docs/deploy.md, "Full disks and lost connections"). Used by the writer's turn only, so never concurrently.
/// </summary>
internal sealed class SqliteSizeLimit(Func<double> megabytes)
{
    private SqliteConnection? _connection;
    private long _pageSize;
    private long _unlimited;
    private long _applied;

    public void Apply(SqliteConnection connection)
    {
        if (!ReferenceEquals(connection, _connection))
        {
            _connection = connection;
            _pageSize = Scalar(connection, "PRAGMA page_size");
            _unlimited = Scalar(connection, "PRAGMA max_page_count"); // SQLite's own bound, what "no limit" restores
            _applied = _unlimited;
        }
        var limit = megabytes();
        var pages = limit > 0 ? Math.Clamp((long)(limit * 1024 * 1024 / _pageSize), 1, _unlimited) : _unlimited;
        if (pages != _applied)
        {
            // SQLite never sets it below the pages the file already has: a limit under the current size means "no growth".
            Scalar(connection, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"PRAGMA max_page_count = {pages}"));
            _applied = pages;
        }
    }

    private static long Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
#pragma warning disable CA2100 // constants and a number only
        command.CommandText = sql;
#pragma warning restore CA2100
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
