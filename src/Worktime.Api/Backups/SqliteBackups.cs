using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;
using Worktime.Api.Data;

namespace Worktime.Api.Backups;

/// <summary>
/// Backup and restore of the SQLite file (docs/deploy.md, "Backups"). A backup is <c>VACUUM INTO</c> a new file: one
/// read transaction, so a consistent snapshot, which in WAL mode never blocks the server's writers; the copy is checked
/// (<c>integrity_check</c>, foreign keys) before it gets its name. A restore copies a checked backup into the database
/// through SQLite's backup API while holding the file exclusively, and refuses while anyone else has it open.
/// </summary>
internal static class SqliteBackups
{
    public static async Task<BackupOutcome> BackupAsync(string connectionString, string file, CancellationToken ct)
    {
        var source = DataSource(connectionString);
        if (source is null)
        {
            return BackupOutcome.Fail("an in-memory database cannot be backed up");
        }
        if (!File.Exists(source))
        {
            return BackupOutcome.Fail($"there is no database at {source}");
        }
        var target = Path.GetFullPath(file);
        if (File.Exists(target))
        {
            return BackupOutcome.Fail($"{file} exists already; a backup never overwrites a file (choose a new name)");
        }
        if (Path.GetDirectoryName(target) is { } directory && !Directory.Exists(directory))
        {
            return BackupOutcome.Fail($"the folder {directory} does not exist");
        }
        // Written under a temporary name and renamed only once checked: a file with the backup's name is a good backup.
        var partial = target + ".partial";
        File.Delete(partial);
        try
        {
            await using (var connection = await OpenAsync(source, SqliteOpenMode.ReadWrite, ct))
            {
                await connection.ExecuteAsync("VACUUM INTO @partial", new { partial });
            }
            var check = await VerifyAsync(partial, ct);
            if (check.Problems.Count > 0)
            {
                return BackupOutcome.Fail([.. check.Problems.Select(p => $"the copy is damaged: {p}")]);
            }
            await using (var stream = new FileStream(partial, FileMode.Open, FileAccess.ReadWrite))
            {
#pragma warning disable CA1849 // there is no asynchronous fsync
                stream.Flush(flushToDisk: true); // VACUUM INTO does not sync its output
#pragma warning restore CA1849
            }
            File.Move(partial, target);
            var size = new FileInfo(target).Length;
            return BackupOutcome.Done(string.Create(CultureInfo.InvariantCulture,
                $"Backup written to {file} ({size} bytes): {check.Summary}."));
        }
        finally
        {
            File.Delete(partial);
        }
    }

    public static async Task<BackupOutcome> RestoreAsync(string connectionString, string file, CancellationToken ct)
    {
        var target = DataSource(connectionString);
        if (target is null)
        {
            return BackupOutcome.Fail("cannot restore into an in-memory database");
        }
        if (!File.Exists(file))
        {
            return BackupOutcome.Fail($"there is no backup at {file}");
        }
        if (await ReadableAsSqliteAsync(file, ct) is { } unreadable)
        {
            return BackupOutcome.Fail(unreadable);
        }
        var check = await VerifyAsync(file, ct);
        if (check.Problems.Count > 0)
        {
            return BackupOutcome.Fail([.. check.Problems.Select(p => $"the backup is damaged: {p}")]);
        }
        if (await SchemaOfAsync(file, ct) is { } newer)
        {
            return BackupOutcome.Fail(newer);
        }
        if (Path.GetDirectoryName(Path.GetFullPath(target)) is { } directory)
        {
            Directory.CreateDirectory(directory);
        }
        await using var destination = await OpenAsync(target, SqliteOpenMode.ReadWriteCreate, ct);
        // Leaving WAL mode needs every other connection closed (a server holds its writer open for its lifetime):
        // SQLite answers "database is locked" otherwise, which is exactly the refusal we want.
        try
        {
            await ExecuteQuicklyAsync(destination, "PRAGMA journal_mode = DELETE", ct);
            await ExecuteQuicklyAsync(destination, "PRAGMA locking_mode = EXCLUSIVE", ct);
            await ExecuteQuicklyAsync(destination, "BEGIN EXCLUSIVE; COMMIT;", ct); // now held until this connection closes
        }
        catch (SqliteException e) when (e.SqliteErrorCode is 5 or 6)
        {
            return BackupOutcome.Fail($"the database {target} is in use (a worktime server or another program has it open); stop it and run the restore again");
        }
        await using (var backup = await OpenAsync(file, SqliteOpenMode.ReadOnly, ct))
        {
            backup.BackupDatabase(destination); // one step: all pages, atomically (rollback journal)
        }
        await ExecuteQuicklyAsync(destination, "PRAGMA journal_mode = WAL", ct);
        var restored = await DatabaseCheck.RunAsync(destination, DbDialect.Sqlite, structureOnly: true);
        return restored.Problems.Count > 0
            ? BackupOutcome.Fail([.. restored.Problems])
            : BackupOutcome.Done($"Restored {target} from {file}: {restored.Summary}.");
    }

    /// <summary>Integrity and foreign keys of a SQLite file, opened read-only.</summary>
    private static async Task<CheckResult> VerifyAsync(string path, CancellationToken ct)
    {
        await using var connection = await OpenAsync(path, SqliteOpenMode.ReadOnly, ct);
        return await DatabaseCheck.RunAsync(connection, DbDialect.Sqlite, structureOnly: true);
    }

    /// <summary>A problem when the file is not a SQLite database of worktime.</summary>
    private static async Task<string?> ReadableAsSqliteAsync(string path, CancellationToken ct)
    {
        try
        {
            await using var connection = await OpenAsync(path, SqliteOpenMode.ReadOnly, ct);
            return (await Migrator.AppliedVersionsAsync(connection, DbDialect.Sqlite)).Count == 0
                ? $"{path} is not a worktime database (it has no schema_migrations)"
                : null;
        }
        catch (SqliteException e) when (e.SqliteErrorCode is 26 or 11) // SQLITE_NOTADB, SQLITE_CORRUPT
        {
            return $"{path} is not a SQLite database: {e.Message}";
        }
    }

    /// <summary>A problem when the backup records migrations this binary does not carry.</summary>
    private static async Task<string?> SchemaOfAsync(string path, CancellationToken ct)
    {
        await using var connection = await OpenAsync(path, SqliteOpenMode.ReadOnly, ct);
        var known = Migrator.Scripts(DbDialect.Sqlite).Select(s => s.Version).ToHashSet(StringComparer.Ordinal);
        var unknown = (await Migrator.AppliedVersionsAsync(connection, DbDialect.Sqlite)).Where(v => !known.Contains(v)).ToList();
        return unknown.Count == 0 ? null
            : $"the backup's schema is {unknown[^1]}, newer than this binary's {Migrator.LatestVersion(DbDialect.Sqlite)}; restore it with a newer worktime (nothing was changed)";
    }

    /// <summary>The file of a SQLite connection string; null for an in-memory database.</summary>
    internal static string? DataSource(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        return string.IsNullOrEmpty(builder.DataSource) || builder.DataSource == ":memory:" || builder.Mode == SqliteOpenMode.Memory
            ? null
            : Path.GetFullPath(builder.DataSource);
    }

    /// <summary>An unpooled connection (closed for real when disposed), waiting at most 5 s for another process's lock.</summary>
    internal static async Task<SqliteConnection> OpenAsync(string path, SqliteOpenMode mode, CancellationToken ct)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = mode,
            Pooling = false,
            DefaultTimeout = 5,
        }.ConnectionString);
        await connection.OpenAsync(ct);
        return connection;
    }

    /// <summary>A statement that gives up after one second on another connection's lock instead of the usual wait.</summary>
    private static async Task ExecuteQuicklyAsync(SqliteConnection connection, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
#pragma warning disable CA2100 // constant statements only
        command.CommandText = sql;
#pragma warning restore CA2100
        command.CommandTimeout = 1;
        await command.ExecuteNonQueryAsync(ct);
    }
}
