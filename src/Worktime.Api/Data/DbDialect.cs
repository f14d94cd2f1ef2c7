namespace Worktime.Api.Data;

/// <summary>
/// The thin seam between SQLite and PostgreSQL. Everything else writes portable SQL
/// (both accept <c>@name</c> parameters, <c>RETURNING</c>, <c>ON CONFLICT</c>); only what truly differs lives here.
/// </summary>
internal enum DbDialect
{
    Sqlite,
    Postgres,
}

internal static class DbDialectExtensions
{
    /// <summary>Postgres strings start with <c>Host=</c> (or contain it); everything else is a SQLite path.</summary>
    public static DbDialect FromConnectionString(string connectionString) =>
        connectionString.Contains("Host=", StringComparison.OrdinalIgnoreCase) ? DbDialect.Postgres : DbDialect.Sqlite;

    public static string MigrationFolder(this DbDialect dialect) => dialect == DbDialect.Postgres ? "postgres" : "sqlite";

    /// <summary>Case-insensitive LIKE: SQLite's LIKE already ignores ASCII case; PostgreSQL needs ILIKE.</summary>
    public static string ILike(this DbDialect dialect) => dialect == DbDialect.Postgres ? "ILIKE" : "LIKE";

    /// <summary>
    /// A condition that keeps few of a partner's rows by design (a reference to rows of another form, the caller's own
    /// rows), so an index on its column is the way in (docs/forms.md, "Query plans"). Without statistics SQLite
    /// estimates every equality on an index's first columns at about ten rows, so <c>(partner_id, row_status)</c>
    /// looked as narrow as <c>(partner_id, user_id)</c>. <c>unlikely()</c> tells SQLite's planner the condition is
    /// true of few rows (https://www.sqlite.org/lang_corefunc.html#unlikely), with or without statistics; the value
    /// is unchanged. PostgreSQL has no such hint; the statement's shape leads it (the forms' <c>LeadingWay</c>).
    /// </summary>
    public static string Selective(this DbDialect dialect, string condition) =>
        dialect == DbDialect.Sqlite ? $"unlikely({condition})" : condition;
}

/// <summary>Write transactions and row locks, the other place the two databases differ.</summary>
internal static class DbWrites
{
    /// <summary>
    /// A transaction that may write. SQLite starts it IMMEDIATE (takes the write lock now, waiting for the busy
    /// timeout) so a read-then-write inside it can never fail on lock upgrade.
    /// </summary>
    public static async Task<System.Data.Common.DbTransaction> BeginWriteAsync(
        this System.Data.Common.DbConnection connection, CancellationToken ct = default) =>
        connection is Microsoft.Data.Sqlite.SqliteConnection sqlite
#pragma warning disable CA1849 // SQLite has no async BEGIN IMMEDIATE; its async methods run synchronously anyway
            ? sqlite.BeginTransaction(deferred: false)
#pragma warning restore CA1849
            : await connection.BeginTransactionAsync(ct);

    /// <summary>Locks the selected rows until commit (SQLite's write transaction already excludes other writers).</summary>
    public static string ForUpdate(this DbDialect dialect) => dialect == DbDialect.Postgres ? " FOR UPDATE" : "";

    /// <summary>Keeps the selected rows from changing until commit (referenced rows stay live while we point at them).</summary>
    public static string ForShare(this DbDialect dialect) => dialect == DbDialect.Postgres ? " FOR SHARE" : "";

    public static bool IsUniqueViolation(System.Data.Common.DbException exception) =>
        exception is Npgsql.PostgresException { SqlState: "23505" }
        || exception is Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 19, SqliteExtendedErrorCode: 2067 or 1555 };
}
