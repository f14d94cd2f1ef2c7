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
}
