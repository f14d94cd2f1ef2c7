using Dapper;
using Worktime.Api.Data;
using Worktime.Api.Tests.Infrastructure;
using Worktime.Api.Tests.MultiNode;

namespace Worktime.Api.Tests.Backups;

/// <summary>
/// Issue 23, "Backups and restore": <c>worktime db restore</c> replaces the whole database with a checked backup and
/// refuses, with one line and exit 1, while a server holds the database, for a damaged or foreign file, and for a
/// backup of a newer schema; <c>db backup</c> never overwrites a file. Runs the real binary on the suite's backend.
/// </summary>
[VariesWith(Vary.Backend)]
[Collection(Cli.SerialCollection.Name)]
public sealed class RestoreTests : IAsyncLifetime
{
    private readonly List<string> _databases = [];
    private readonly string _folder = Directory.CreateTempSubdirectory("worktime-restore-").FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var database in _databases)
        {
            await TestBackend.DropDatabaseAsync(database);
        }
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Restore_ReplacesEverything_RowsOfTheBackupBackAndLaterOnesGone()
    {
        var database = await MigratedDatabaseAsync();
        await CliAsync("partner", "add", "--name", "Before the backup", "--db", database);
        var file = await BackupAsync(database);
        await CliAsync("partner", "add", "--name", "After the backup", "--db", database);
        await ExecuteAsync(database, "CREATE TABLE added_later (id BIGINT PRIMARY KEY)");

        var restore = await CliAsync("db", "restore", file, "--db", database);

        restore.ShouldStartWith("Restored ");
        (await PartnerNamesAsync(database)).ShouldBe(["Before the backup"]);
        (await TableNamesAsync(database)).ShouldNotContain("added_later");
        (await WorktimeCli.RunAsync(["db", "check", "--db", database])).ExitCode.ShouldBe(0);
    }

    [Fact]
    public async Task Restore_WhileAServerHoldsTheDatabase_IsRefusedWithOneLine_AndChangesNothing()
    {
        var database = await MigratedDatabaseAsync();
        var file = await BackupAsync(database);
        await using var node = await Node.StartAsync(database);
        await Node.AddUserAsync(database, "restore.user", partner: "Made after the backup");
        await TokenClient.LoginAsync(node, "restore.user", Node.Password);

        var restore = await WorktimeCli.RunAsync(["db", "restore", file, "--db", database]);

        restore.ExitCode.ShouldBe(1);
        OneLine(restore.Stderr).ShouldContain("in use");
        (await PartnerNamesAsync(database)).ShouldContain("Made after the backup");
        await TokenClient.LoginAsync(node, "restore.user", Node.Password);
    }

    [Fact]
    public async Task Restore_OfAFileThatIsNoBackup_IsRefusedWithOneLine_AndChangesNothing()
    {
        var database = await MigratedDatabaseAsync();
        await CliAsync("partner", "add", "--name", "Still here", "--db", database);
        var garbage = Path.Combine(_folder, "not-a-backup");
        await File.WriteAllTextAsync(garbage, "this is not a database\n");

        var restore = await WorktimeCli.RunAsync(["db", "restore", garbage, "--db", database]);
        var missing = await WorktimeCli.RunAsync(["db", "restore", Path.Combine(_folder, "nothing-here"), "--db", database]);

        restore.ExitCode.ShouldBe(1);
        OneLine(restore.Stderr).ShouldStartWith("worktime: ");
        missing.ExitCode.ShouldBe(1);
        OneLine(missing.Stderr).ShouldContain("there is no backup at");
        (await PartnerNamesAsync(database)).ShouldBe(["Still here"]);
    }

    [Fact]
    public async Task Restore_OfABackupOfANewerSchema_IsRefused_NamingBothVersions()
    {
        var newer = await MigratedDatabaseAsync();
        await ExecuteAsync(newer, "INSERT INTO schema_migrations (version, applied_at) VALUES ('999_from_the_future', '2030-01-01 00:00:00')");
        var file = await BackupAsync(newer);
        var database = await MigratedDatabaseAsync();
        await CliAsync("partner", "add", "--name", "Untouched", "--db", database);

        var restore = await WorktimeCli.RunAsync(["db", "restore", file, "--db", database]);

        restore.ExitCode.ShouldBe(1);
        var line = OneLine(restore.Stderr);
        line.ShouldContain("999_from_the_future");
        line.ShouldContain(Migrator.LatestVersion(Dialect));
        (await PartnerNamesAsync(database)).ShouldBe(["Untouched"]);
    }

    [Fact]
    public async Task Backup_ToAFileThatExists_IsRefused_AndTheFileIsKept()
    {
        var database = await MigratedDatabaseAsync();
        var file = Path.Combine(_folder, "existing");
        await File.WriteAllTextAsync(file, "an older backup\n");

        var backup = await WorktimeCli.RunAsync(["db", "backup", file, "--db", database]);

        backup.ExitCode.ShouldBe(1);
        OneLine(backup.Stderr).ShouldContain("exists already");
        (await File.ReadAllTextAsync(file)).ShouldBe("an older backup\n");
    }

    private static DbDialect Dialect => TestBackend.IsPostgres ? DbDialect.Postgres : DbDialect.Sqlite;

    /// <summary>
    /// A database as <c>db migrate</c> leaves a new one: a copy of the suite's migrated database
    /// (<see cref="TestBackend.CreateMigratedDatabaseAsync"/>; the same migrator). Running <c>db migrate</c> here
    /// started six more processes per pass; the command itself is tested in DatabaseCheckTests, NewerDatabaseTests,
    /// ConcurrentMigrationTests and CliTests.
    /// </summary>
    private async Task<string> MigratedDatabaseAsync()
    {
        var database = await TestBackend.CreateMigratedDatabaseAsync();
        _databases.Add(database);
        return database;
    }

    private async Task<string> BackupAsync(string database)
    {
        var file = Path.Combine(_folder, $"{Guid.NewGuid():N}.backup");
        (await CliAsync("db", "backup", file, "--db", database)).ShouldStartWith("Backup written to ");
        return file;
    }

    private static async Task<string> CliAsync(params string[] args)
    {
        var result = await WorktimeCli.RunAsync(args, timeout: TimeSpan.FromMinutes(2));
        result.ExitCode.ShouldBe(0, $"worktime {string.Join(' ', args)}: {result.Stderr}");
        return result.Stdout;
    }

    /// <summary>The single line of stderr (asserting there is exactly one).</summary>
    private static string OneLine(string stderr)
    {
        var lines = stderr.TrimEnd().Split('\n');
        lines.Length.ShouldBe(1, stderr);
        return lines[0];
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var database = new Database(connectionString);
        await using var connection = await database.OpenAsync();
        await connection.ExecuteAsync(sql);
    }

    private static async Task<List<string>> PartnerNamesAsync(string connectionString)
    {
        await using var database = new Database(connectionString);
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<string>("SELECT name FROM partners ORDER BY id")).ToList();
    }

    private static async Task<List<string>> TableNamesAsync(string connectionString)
    {
        await using var database = new Database(connectionString);
        await using var connection = await database.OpenAsync();
        return (await SchemaReader.ReadAsync(connection, database.Dialect)).Select(t => t.Name).ToList();
    }
}
