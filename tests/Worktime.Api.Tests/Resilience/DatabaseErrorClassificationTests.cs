using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Npgsql;
using Worktime.Api.Http;

using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.Resilience;

/// <summary>
/// Which exceptions mean "the database is away, try again" (503 + Retry-After) and which are real bugs (500).
/// The end-to-end outage is in <see cref="DatabaseOutageTests"/>; this table pins the cases an outage test
/// cannot produce on demand.
/// </summary>
[VariesWith(Vary.Nothing)]
public sealed class DatabaseErrorClassificationTests
{
    [Theory]
    [InlineData("connection refused", 503)]
    [InlineData("read from a killed connection", 503)]
    [InlineData("pool exhausted", 503)]
    [InlineData("admin shutdown", 503)]
    [InlineData("server starting up", 503)]
    [InlineData("too many connections", 503)]
    [InlineData("deadlock", 503)]
    [InlineData("serialization failure", 503)]
    [InlineData("sqlite busy", 503)]
    [InlineData("sqlite locked table", 503)]
    [InlineData("sqlite group rolled back", 503)]
    [InlineData("wrapped outage", 503)]
    [InlineData("sqlite full", 503)]
    [InlineData("postgres disk full", 503)]
    [InlineData("unique violation", 500)]
    [InlineData("syntax error", 500)]
    [InlineData("sqlite constraint", 500)]
    [InlineData("plain bug", 500)]
    public void Classify_DatabaseFailures_OutagesAre503AndBugsAre500(string failure, int expectedStatus)
    {
        var (status, error, _) = ErrorHandling.Classify(Make(failure));

        status.ShouldBe(expectedStatus);
        error.ShouldBe(expectedStatus == 503 ? "service_unavailable" : "server_error");
    }

    [Theory]
    [InlineData("sqlite full")]
    [InlineData("postgres disk full")]
    public void Classify_StorageFull_TellsTheClientNothingWasWritten(string failure)
    {
        var (_, _, description) = ErrorHandling.Classify(Make(failure));

        description.ShouldContain("out of space");
        description.ShouldContain("nothing of this request was written");
    }

    private static Exception Make(string failure) => failure switch
    {
        "connection refused" => new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused)),
        "read from a killed connection" => new NpgsqlException("Exception while reading from stream", new EndOfStreamException()),
        "pool exhausted" => new NpgsqlException("The connection pool has been exhausted", new TimeoutException()),
        "admin shutdown" => Postgres("57P01"),
        "server starting up" => Postgres("57P03"),
        "too many connections" => Postgres("53300"),
        "deadlock" => Postgres("40P01"),
        "serialization failure" => Postgres("40001"),
        "sqlite busy" => new SqliteException("SQLite Error 5: 'database is locked'.", 5),
        "sqlite locked table" => new SqliteException("SQLite Error 6: 'database table is locked'.", 6),
        "sqlite group rolled back" => new SqliteException("SQLite rolled back the shared write transaction", 4),
        "sqlite full" => new SqliteException("SQLite Error 13: 'database or disk is full'.", 13),
        "postgres disk full" => Postgres("53100"),
        "wrapped outage" => new InvalidOperationException("outer", new NpgsqlException("inner", new TimeoutException())),
        "unique violation" => Postgres("23505"),
        "syntax error" => Postgres("42601"),
        "sqlite constraint" => new SqliteException("UNIQUE constraint failed", 19),
        "plain bug" => new InvalidOperationException("Sequence contains no elements"),
        _ => throw new ArgumentOutOfRangeException(nameof(failure)),
    };

    private static PostgresException Postgres(string sqlState) => new("message", "FATAL", "FATAL", sqlState);
}
