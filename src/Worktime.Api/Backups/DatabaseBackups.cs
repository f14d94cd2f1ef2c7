using Worktime.Api.Data;

namespace Worktime.Api.Backups;

/// <summary><c>worktime db backup | restore | check</c> for either database, by the form of the connection string.</summary>
internal static class DatabaseBackups
{
    public static Task<BackupOutcome> BackupAsync(string connectionString, string file, CancellationToken ct) =>
        DbDialectExtensions.FromConnectionString(connectionString) == DbDialect.Postgres
            ? PostgresBackups.BackupAsync(connectionString, file, ct)
            : SqliteBackups.BackupAsync(connectionString, file, ct);

    public static Task<BackupOutcome> RestoreAsync(string connectionString, string file, CancellationToken ct) =>
        DbDialectExtensions.FromConnectionString(connectionString) == DbDialect.Postgres
            ? PostgresBackups.RestoreAsync(connectionString, file, ct)
            : SqliteBackups.RestoreAsync(connectionString, file, ct);

    /// <summary>Every check of <see cref="DatabaseCheck"/> on the database (never creating one that is not there).</summary>
    public static async Task<BackupOutcome> CheckAsync(string connectionString, CancellationToken ct)
    {
        var dialect = DbDialectExtensions.FromConnectionString(connectionString);
        System.Data.Common.DbConnection connection;
        if (dialect == DbDialect.Postgres)
        {
            connection = new Npgsql.NpgsqlConnection(
                new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
            await connection.OpenAsync(ct);
        }
        else if (SqliteBackups.DataSource(connectionString) is { } path && File.Exists(path))
        {
            connection = await SqliteBackups.OpenAsync(path, Microsoft.Data.Sqlite.SqliteOpenMode.ReadWrite, ct);
        }
        else
        {
            return BackupOutcome.Fail($"there is no database at {SqliteBackups.DataSource(connectionString) ?? ":memory:"}");
        }
        await using var open = connection;
        var result = await DatabaseCheck.RunAsync(connection, dialect);
        return result.Problems.Count == 0
            ? BackupOutcome.Done($"The database is consistent: {result.Summary}.")
            : BackupOutcome.Fail(result.Problems);
    }
}
