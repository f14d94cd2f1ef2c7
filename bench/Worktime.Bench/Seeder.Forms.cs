using System.Globalization;
using Npgsql;
using NpgsqlTypes;

namespace Worktime.Bench;

/// <summary>The form tables of the data set: a few projects per partner, then the worktimes (the bulk).</summary>
internal static partial class Seeder
{
    private static readonly string[] Starts = ["07:00", "07:30", "08:00", "08:30", "09:00"];

    private static async Task SeedFormsAsync(NpgsqlConnection connection, Plan plan, string created)
    {
        var firstProject = await ReserveRowIdsAsync(connection, (long)plan.Partners * ProjectsPerPartner);
        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY projects (id, partner_id, created, creator_id, number, name, city) FROM STDIN (FORMAT BINARY)"))
        {
            for (var p = 0; p < plan.Partners; p++)
            {
                for (var j = 0; j < ProjectsPerPartner; j++)
                {
                    await copy.WriteRowAsync(default, firstProject + (p * ProjectsPerPartner) + j, plan.FirstPartner + p, created,
                        plan.UserId(p, 0), string.Create(CultureInfo.InvariantCulture, $"P{j + 1}"), string.Create(CultureInfo.InvariantCulture, $"Project {j + 1}"), "Helsinki");
                }
            }
            await copy.CompleteAsync();
        }

        // Loading into a table without secondary indexes and building them afterwards is several times faster
        // than maintaining them row by row; only done when the table is empty, so a second seed stays correct.
        var indexes = await WorktimeIndexesToRebuildAsync(connection);
        var firstWorktime = await ReserveRowIdsAsync(connection, Math.Max(plan.Rows, 1));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var random = new Random(42);
        long written = 0;
        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY worktimes (id, partner_id, created, creator_id, row_status, date, status, user_id, project, starttime, endtime, pause, work_minutes, description) FROM STDIN (FORMAT BINARY)"))
        {
            for (var p = 0; p < plan.Partners; p++)
            {
                var rows = plan.RowsOf(p);
                for (long i = 0; i < rows; i++)
                {
                    // Evenly over the days of the 24 months, in date order within the partner (ids follow dates).
                    var date = plan.FirstDay.AddDays((int)(i * plan.Days / Math.Max(rows, 1)));
                    var start = Starts[random.Next(Starts.Length)];
                    var end = TimeOnly.Parse(start, System.Globalization.CultureInfo.InvariantCulture).AddHours(8).ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture);
                    await copy.StartRowAsync();
                    await copy.WriteAsync(firstWorktime + written, NpgsqlDbType.Bigint);
                    await copy.WriteAsync(plan.FirstPartner + p, NpgsqlDbType.Bigint);
                    await copy.WriteAsync(created, NpgsqlDbType.Text);
                    var user = plan.UserId(p, random.Next(plan.UsersPerPartner));
                    await copy.WriteAsync(user, NpgsqlDbType.Bigint);
                    await copy.WriteAsync("normal", NpgsqlDbType.Text);
                    await copy.WriteAsync(date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), NpgsqlDbType.Text);
                    await copy.WriteAsync(date.AddDays(31) < DateOnly.FromDateTime(plan.Now) ? "accepted" : "open", NpgsqlDbType.Text);
                    await copy.WriteAsync(user, NpgsqlDbType.Bigint);
                    await copy.WriteAsync(firstProject + (p * ProjectsPerPartner) + random.Next(ProjectsPerPartner), NpgsqlDbType.Bigint);
                    await copy.WriteAsync(start, NpgsqlDbType.Text);
                    await copy.WriteAsync(end, NpgsqlDbType.Text);
                    await copy.WriteAsync(30L, NpgsqlDbType.Bigint);
                    await copy.WriteAsync(450L, NpgsqlDbType.Bigint);
                    await copy.WriteAsync(string.Create(CultureInfo.InvariantCulture, $"Bench row {i}"), NpgsqlDbType.Text);
                    if (++written % 1_000_000 == 0)
                    {
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"worktimes {written} ({written / watch.Elapsed.TotalSeconds:F0} rows/s)"));
                    }
                }
            }
            await copy.CompleteAsync();
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"worktimes {written} copied in {watch.Elapsed.TotalSeconds:F1} s"));
        foreach (var definition in indexes)
        {
            await ExecuteAsync(connection, definition);
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"worktimes indexed in {watch.Elapsed.TotalSeconds:F1} s"));
    }

    /// <summary>When worktimes is empty: drops its secondary indexes and returns their definitions.</summary>
    private static async Task<List<string>> WorktimeIndexesToRebuildAsync(NpgsqlConnection connection)
    {
        var definitions = new List<string>();
        var names = new List<string>();
        await using (var empty = new NpgsqlCommand("SELECT NOT EXISTS (SELECT 1 FROM worktimes)", connection))
        {
            if (!(bool)(await empty.ExecuteScalarAsync())!)
            {
                return definitions;
            }
        }
        await using (var command = new NpgsqlCommand(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'worktimes' AND indexname <> 'worktimes_pkey'", connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                names.Add(reader.GetString(0));
                definitions.Add(reader.GetString(1));
            }
        }
        foreach (var name in names)
        {
            await ExecuteAsync(connection, $"DROP INDEX \"{name}\"");
        }
        await ExecuteAsync(connection, "SET maintenance_work_mem = '512MB'");
        return definitions;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
