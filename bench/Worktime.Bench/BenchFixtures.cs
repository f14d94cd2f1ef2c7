using Npgsql;

namespace Worktime.Bench;

/// <summary>
/// What bench/run's wrk scripts need, one line per seeded partner (the first <c>count</c>):
/// <c>admin_username partner_id user_id project_id first_worktime_id worktime_count month_from month_to</c>.
/// The month is the last full month of seeded data (the month before the current one).
/// </summary>
internal static class BenchFixtures
{
    public static async Task PrintAsync(string connectionString, int count)
    {
        await using var source = NpgsqlDataSource.Create(connectionString);
        await using var connection = await source.OpenConnectionAsync();
        var now = DateTime.UtcNow;
        var monthStart = new DateTime(now.Year, now.Month, 1).AddMonths(-1);
        var from = monthStart.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var to = monthStart.AddMonths(1).AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        await using var command = new NpgsqlCommand(
            """
            SELECT u.username, u.partner_id, u.id,
                   (SELECT MIN(p.id) FROM projects p WHERE p.partner_id = u.partner_id),
                   (SELECT MIN(w.id) FROM worktimes w WHERE w.partner_id = u.partner_id),
                   (SELECT COUNT(*) FROM worktimes w WHERE w.partner_id = u.partner_id)
            FROM users u
            WHERE u.username LIKE 'bench-%-admin'
            ORDER BY u.partner_id
            LIMIT @count
            """, connection);
        command.Parameters.AddWithValue("count", count);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var third = await reader.IsDBNullAsync(3) ? 0 : reader.GetInt64(3);
            var fourth = await reader.IsDBNullAsync(4) ? 0 : reader.GetInt64(4);
            Console.WriteLine(string.Join(' ', reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), third, fourth, reader.GetInt64(5), from, to));
        }
    }
}
