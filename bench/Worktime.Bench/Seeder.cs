using System.Diagnostics;
using System.Globalization;
using System.Text;
using Npgsql;
using NpgsqlTypes;

namespace Worktime.Bench;

/// <summary>
/// Bulk-loads a migrated PostgreSQL database for benchmarks with binary COPY: M partners, U users each (the
/// first an admin, level 5), a few projects each, and N worktimes spread evenly over the partners and over the
/// 24 months before the current one. Every user's password is <see cref="Password"/> (one Argon2id hash at the
/// production parameters, shared). Rows of one partner get consecutive ids, which bench/run's get-one relies on.
/// </summary>
internal static partial class Seeder
{
    public const string Password = "bench-password-1";
    public const int ProjectsPerPartner = 5;
    public const int Months = 24;

    public static async Task RunAsync(string connectionString, long rows, int partners, int usersPerPartner, bool analyze)
    {
        var watch = Stopwatch.StartNew();
        await using var source = NpgsqlDataSource.Create(connectionString + ";Command Timeout=0");
        await using var connection = await source.OpenConnectionAsync();
        var now = DateTime.UtcNow;
        var created = now.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        var firstPartner = await NextIdAsync(connection, "partners");
        var firstUser = await ReserveRowIdsAsync(connection, (long)partners * usersPerPartner);
        var hash = HashPassword();

        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY partners (id, name, country, created) FROM STDIN (FORMAT BINARY)"))
        {
            for (var p = 0; p < partners; p++)
            {
                await copy.WriteRowAsync(default, firstPartner + p, string.Create(CultureInfo.InvariantCulture, $"Bench partner {firstPartner + p}"), "fi", created);
            }
            await copy.CompleteAsync();
        }
        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY users (id, partner_id, created, username, username_norm, firstname, lastname, userlevel, status, password_hash, security_stamp) FROM STDIN (FORMAT BINARY)"))
        {
            for (var p = 0; p < partners; p++)
            {
                for (var u = 0; u < usersPerPartner; u++)
                {
                    var id = firstUser + (p * usersPerPartner) + u;
                    var username = UserName(firstPartner + p, u);
                    await copy.StartRowAsync();
                    await copy.WriteAsync(id, NpgsqlDbType.Bigint);
                    await copy.WriteAsync(firstPartner + p, NpgsqlDbType.Bigint);
                    await copy.WriteAsync(created, NpgsqlDbType.Text);
                    await copy.WriteAsync(username, NpgsqlDbType.Text);
                    await copy.WriteAsync(username, NpgsqlDbType.Text);
                    await copy.WriteAsync("Bench", NpgsqlDbType.Text);
                    await copy.WriteAsync(string.Create(CultureInfo.InvariantCulture, $"User {u}"), NpgsqlDbType.Text);
                    await copy.WriteAsync(u == 0 ? 5 : 1, NpgsqlDbType.Integer);
                    await copy.WriteAsync("active", NpgsqlDbType.Text);
                    await copy.WriteAsync(hash, NpgsqlDbType.Text);
                    await copy.WriteAsync(Guid.NewGuid().ToString("N"), NpgsqlDbType.Text);
                }
            }
            await copy.CompleteAsync();
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"partners {partners}, users {partners * usersPerPartner} ({watch.Elapsed.TotalSeconds:F1} s)"));

        var plan = new Plan(firstPartner, partners, firstUser, usersPerPartner, rows, now);
        await SeedFormsAsync(connection, plan, created);
        await ResetSequenceAsync(connection, "partners");
        // Statistics only when asked (bench/run --analyze): a database filled by its users has only what the server
        // and autovacuum gather, and the benchmark measures that one by default (docs/benchmarks.md).
        if (analyze)
        {
            await using var command = new NpgsqlCommand("ANALYZE", connection);
            await command.ExecuteNonQueryAsync();
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seeded in {watch.Elapsed.TotalSeconds:F1} s"));
    }

    public static string UserName(long partnerId, int index) => index == 0 ? string.Create(CultureInfo.InvariantCulture, $"bench-{partnerId}-admin") : string.Create(CultureInfo.InvariantCulture, $"bench-{partnerId}-u{index}");

    /// <summary>The shape of the data set, shared by the form tables' loader.</summary>
    internal sealed record Plan(long FirstPartner, int Partners, long FirstUser, int UsersPerPartner, long Rows, DateTime Now)
    {
        public long RowsOf(int partnerIndex) => (Rows / Partners) + (partnerIndex < Rows % Partners ? 1 : 0);

        public long UserId(int partnerIndex, int index) => FirstUser + (partnerIndex * (long)UsersPerPartner) + index;

        /// <summary>The first day of the 24 months of data (the month before the current one is the last).</summary>
        public DateOnly FirstDay => DateOnly.FromDateTime(new DateTime(Now.Year, Now.Month, 1).AddMonths(-Months));

        public int Days => DateOnly.FromDateTime(new DateTime(Now.Year, Now.Month, 1)).DayNumber - FirstDay.DayNumber;
    }

    /// <summary>
    /// The seeded users' hash, made by libsodium on purpose: a server that hashes through libargon2 then reads
    /// another implementation's hash in every login sample.
    /// </summary>
    internal static string HashPassword() =>
        new Worktime.Api.Accounts.Argon2.SodiumEngine().Hash(Encoding.UTF8.GetBytes(Password), 2, 19456);

    internal static async Task<long> NextIdAsync(NpgsqlConnection connection, string table)
    {
        await using var command = new NpgsqlCommand($"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// Reserves <paramref name="count"/> consecutive ids of the one id space every form's rows share (docs/forms.md
    /// "Row ids", the sequence <c>row_ids</c>) and returns the first. Rows copied with explicit ids must take them
    /// from there: otherwise the API's next insert is handed an id the seed already used and fails.
    /// </summary>
    internal static async Task<long> ReserveRowIdsAsync(NpgsqlConnection connection, long count)
    {
        await using var command = new NpgsqlCommand("SELECT setval('row_ids', nextval('row_ids') + @count - 1) - @count + 1", connection);
        command.Parameters.AddWithValue("count", count);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Explicit ids bypass the identity sequence; move it past them so the API's inserts do not collide.</summary>
    internal static async Task ResetSequenceAsync(NpgsqlConnection connection, string table)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT COALESCE(MAX(id), 1) FROM {table}))", connection);
        await command.ExecuteScalarAsync();
    }
}
