using System.Globalization;
using Dapper;
using Npgsql;
using Worktime.Api.Data;

namespace Worktime.Api.Backups;

/// <summary>
/// Backup and restore on PostgreSQL with PostgreSQL's own programs (docs/deploy.md, "Backups"): <c>pg_dump</c> in the
/// custom format (a consistent snapshot, taken while the nodes keep writing), checked by reading it back with
/// <c>pg_restore --list</c> before it gets its name. A restore drops the schema's tables, sequences and functions and
/// loads the dump in one transaction (<c>pg_restore | psql --single-transaction</c>), so it either replaces everything
/// or changes nothing; it refuses while any other session is connected to the database.
/// </summary>
internal static class PostgresBackups
{
    public static async Task<BackupOutcome> BackupAsync(string connectionString, string file, CancellationToken ct)
    {
        if (PostgresTools.Find("pg_dump") is not { } pgDump || PostgresTools.Find("pg_restore") is not { } pgRestore)
        {
            return BackupOutcome.Fail(PostgresTools.Missing(PostgresTools.Find("pg_dump") is null ? "pg_dump" : "pg_restore"));
        }
        var target = Path.GetFullPath(file);
        if (File.Exists(target))
        {
            return BackupOutcome.Fail($"{file} exists already; a backup never overwrites a file (choose a new name)");
        }
        var partial = target + ".partial";
        File.Delete(partial);
        try
        {
            var dump = await PostgresTools.RunAsync(pgDump, ["--format=custom", "--file", partial], connectionString, keepStdout: false, ct);
            if (!dump.Ok)
            {
                return BackupOutcome.Fail($"pg_dump failed: {dump.Error}");
            }
            var (versions, problem) = await ReadDumpAsync(pgRestore, partial, connectionString, ct);
            if (problem is not null)
            {
                return BackupOutcome.Fail($"the dump cannot be read back: {problem}");
            }
            File.Move(partial, target);
            var size = new FileInfo(target).Length;
            return BackupOutcome.Done(string.Create(CultureInfo.InvariantCulture,
                $"Backup written to {file} ({size} bytes, pg_dump custom format): schema {versions[^1]}, the dump reads back."));
        }
        finally
        {
            File.Delete(partial);
        }
    }

    public static async Task<BackupOutcome> RestoreAsync(string connectionString, string file, CancellationToken ct)
    {
        if (PostgresTools.Find("pg_restore") is not { } pgRestore || PostgresTools.Find("psql") is not { } psql)
        {
            return BackupOutcome.Fail(PostgresTools.Missing(PostgresTools.Find("pg_restore") is null ? "pg_restore" : "psql"));
        }
        if (!File.Exists(file))
        {
            return BackupOutcome.Fail($"there is no backup at {file}");
        }
        var (versions, problem) = await ReadDumpAsync(pgRestore, file, connectionString, ct);
        if (problem is not null)
        {
            return BackupOutcome.Fail($"{file} is not a readable worktime backup: {problem}");
        }
        var known = Migrator.Scripts(DbDialect.Postgres).Select(s => s.Version).ToHashSet(StringComparer.Ordinal);
        if (versions.LastOrDefault(v => !known.Contains(v)) is { } newer)
        {
            return BackupOutcome.Fail(
                $"the backup's schema is {newer}, newer than this binary's {Migrator.LatestVersion(DbDialect.Postgres)}; restore it with a newer worktime (nothing was changed)");
        }
        await using (var connection = new NpgsqlConnection(Unpooled(connectionString)))
        {
            await connection.OpenAsync(ct);
            var others = await connection.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
            if (others > 0)
            {
                return BackupOutcome.Fail(string.Create(CultureInfo.InvariantCulture,
                    $"the database is in use by {others} other session(s) (worktime nodes, PgBouncer or a psql); stop them and run the restore again"));
            }
        }
        var load = await PostgresTools.PipeAsync(
            pgRestore, ["--no-owner", "--no-privileges", "--file", "-", file],
            psql, ["--no-psqlrc", "--quiet", "--single-transaction", "--set", "ON_ERROR_STOP=1", "--output", "/dev/null"],
            DropEverything, connectionString, ct);
        if (!load.Ok)
        {
            return BackupOutcome.Fail($"the restore failed and changed nothing: {load.Error}");
        }
        await using (var connection = new NpgsqlConnection(Unpooled(connectionString)))
        {
            await connection.OpenAsync(ct);
            var restored = await DatabaseCheck.RunAsync(connection, DbDialect.Postgres, structureOnly: true);
            return restored.Problems.Count > 0
                ? BackupOutcome.Fail([.. restored.Problems])
                : BackupOutcome.Done($"Restored the database from {file}: {restored.Summary}.");
        }
    }

    /// <summary>
    /// Empties the current schema (tables, sequences, functions) in the restore's transaction, so objects a newer
    /// migration added do not survive next to an older backup. The schema itself and its privileges stay.
    /// </summary>
    private const string DropEverything =
        """
        DO $$
        DECLARE item record;
        BEGIN
          FOR item IN SELECT format('DROP TABLE IF EXISTS %I CASCADE', tablename) AS drop FROM pg_tables WHERE schemaname = current_schema()
            UNION ALL SELECT format('DROP SEQUENCE IF EXISTS %I CASCADE', sequencename) FROM pg_sequences WHERE schemaname = current_schema()
            UNION ALL SELECT format('DROP FUNCTION IF EXISTS %I(%s) CASCADE', p.proname, pg_get_function_identity_arguments(p.oid))
              FROM pg_proc p WHERE p.pronamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())
          LOOP
            EXECUTE item.drop;
          END LOOP;
        END $$;

        """;

    /// <summary>The migrations recorded in a dump (its schema_migrations data), or why the dump cannot be read.</summary>
    private static async Task<(IReadOnlyList<string> Versions, string? Problem)> ReadDumpAsync(string pgRestore, string file,
        string connectionString, CancellationToken ct)
    {
        var list = await PostgresTools.RunAsync(pgRestore, ["--list", file], connectionString, keepStdout: true, ct);
        if (!list.Ok)
        {
            return ([], list.Error);
        }
        if (!list.Stdout.Contains("TABLE DATA public schema_migrations", StringComparison.Ordinal))
        {
            return ([], "it holds no schema_migrations table");
        }
        var data = await PostgresTools.RunAsync(pgRestore, ["--data-only", "--table", "schema_migrations", "--file", "-", file],
            connectionString, keepStdout: true, ct);
        if (!data.Ok)
        {
            return ([], data.Error);
        }
        // COPY public.schema_migrations (version, applied_at) FROM stdin;  rows "version<TAB>applied_at"  then "\."
        var versions = data.Stdout.Split('\n')
            .SkipWhile(line => !line.StartsWith("COPY ", StringComparison.Ordinal)).Skip(1)
            .TakeWhile(line => line != "\\.")
            .Select(line => line.Split('\t')[0])
            .Order(StringComparer.Ordinal)
            .ToList();
        return versions.Count == 0 ? ([], "its schema_migrations table is empty") : (versions, null);
    }

    private static string Unpooled(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;
}
