using System.Data.Common;

namespace Worktime.Api.Data;

/// <summary>
/// One unit of writing, from <see cref="Database.OpenWriterAsync"/>: a connection and the transaction every command
/// on it must carry. <see cref="CommitAsync"/> returns once the writes are committed; disposing the lease without
/// committing undoes them. Dispose the lease, never its connection or transaction.
/// </summary>
internal abstract class WriterLease : IAsyncDisposable
{
    public abstract DbConnection Connection { get; }

    /// <summary>Pass it to every command of this lease (Microsoft.Data.Sqlite refuses a command without it).</summary>
    public abstract DbTransaction Transaction { get; }

    /// <summary>Makes this lease's writes durable; returns after the database's COMMIT. Call it at most once.</summary>
    public abstract Task CommitAsync(CancellationToken ct = default);

    public abstract ValueTask DisposeAsync();
}

/// <summary>PostgreSQL: a pooled connection with its own transaction; row locks keep concurrent writers apart.</summary>
internal sealed class PostgresWriterLease(DbConnection connection, DbTransaction transaction) : WriterLease
{
    private int _disposed;

    public override DbConnection Connection => connection;

    public override DbTransaction Transaction => transaction;

    public override Task CommitAsync(CancellationToken ct = default) => transaction.CommitAsync(ct);

    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        await transaction.DisposeAsync(); // rolls back unless committed
        await connection.DisposeAsync(); // back to the pool
    }
}
