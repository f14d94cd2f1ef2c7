namespace Worktime.Api.Data;

/// <summary>Settings of the <c>Database</c> section (the connection string itself is <c>ConnectionStrings:Worktime</c>).</summary>
internal sealed class DatabaseOptions
{
    public const string DefaultConnectionString = "Data Source=data/worktime.db";

    /// <summary>
    /// Upper bound of pooled PostgreSQL connections per node. By default four per core of this node, at least 8 and
    /// at most 50: a node cannot keep more queries than that busy, and a request beyond the pool waits asynchronously
    /// for a connection instead of adding one more database process for the operating system to time-slice
    /// (on 2 cores, 50 connections gave p99 latencies 7-13 times the median; docs/benchmarks.md, "PostgreSQL pool").
    /// </summary>
    public int MaxPoolSize { get; set; } = DefaultMaxPoolSize(Environment.ProcessorCount);

    internal static int DefaultMaxPoolSize(int cores) => Math.Clamp(4 * cores, 8, 50);

    /// <summary>
    /// SQLite: the most the database may grow to, in megabytes (0: as far as the disk allows). A write beyond it is
    /// answered like one on a full disk (503, nothing written) while reads keep working; raising the value in the
    /// configuration takes effect on the next write, without a restart. Ignored on PostgreSQL.
    /// </summary>
    public double SqliteMaxSizeMegabytes { get; set; }

    /// <summary>Apply pending migrations when the server starts.</summary>
    public bool AutoMigrate { get; set; } = true;

    /// <summary>
    /// SQLite: how often the server refreshes the query planner's statistics (<c>PRAGMA optimize</c>, besides once
    /// at start; <c>00:00:00</c>: only at start). See <see cref="DatabaseStatistics"/>.
    /// </summary>
    public TimeSpan OptimizeInterval { get; set; } = TimeSpan.FromHours(1);
}
