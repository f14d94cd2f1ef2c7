using System.CommandLine;
using System.Globalization;
using Worktime.Api.Accounts;

namespace Worktime.Api.Cli;

/// <summary><c>audit [--since ...] [--user NAME]</c>: prints audit records, oldest first (security.md requirement 9).</summary>
internal static class AuditCommands
{
    public static Command Create()
    {
        var since = new Option<string?>("--since") { Description = "A UTC date/time (2026-11-02, 2026-11-02 08:00:00) or an age (30m, 24h, 7d)" };
        var user = new Option<string?>("--user") { Description = "Only records of this username" };
        var limit = new Option<int>("--limit") { Description = "At most this many (the newest)", DefaultValueFactory = _ => 1000 };
        var audit = new Command("audit", "Print audit records.") { since, user, limit };
        audit.SetAction(async (parse, ct) =>
        {
            await using var app = await CliApp.StartAsync(parse, ct);
            var now = app.Services.GetRequiredService<TimeProvider>().GetUtcNow();
            var from = ParseSince(parse.GetValue(since), now);
            var username = parse.GetValue(user) is { } name ? Credentials.KeyOf(name) ?? name : null;
            var records = await app.Services.GetRequiredService<AuditLog>().QueryAsync(from, username, Math.Clamp(parse.GetValue(limit), 1, 100_000), ct);
            foreach (var r in records)
            {
                // Every field escaped: a username or detail cannot forge a field separator, a line or reorder text (bidi).
                Console.WriteLine(string.Join("  ", CliFormat.Time(r.At), CliFormat.Escape(r.Event),
                    $"partner={r.PartnerId?.ToString(CultureInfo.InvariantCulture) ?? "-"}",
                    $"user={r.UserId?.ToString(CultureInfo.InvariantCulture) ?? "-"}",
                    $"username={CliFormat.Escape(r.Username ?? "-")}", $"ip={CliFormat.Escape(r.Ip ?? "-")}", CliFormat.Escape(r.Detail ?? "")));
            }
            return 0;
        });
        return audit;
    }

    internal static long ParseSince(string? text, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return 0;
        }
        text = text.Trim();
        if (text.Length >= 2 && long.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            TimeSpan? age = text[^1] switch { 'm' => TimeSpan.FromMinutes(amount), 'h' => TimeSpan.FromHours(amount), 'd' => TimeSpan.FromDays(amount), _ => null };
            if (age is { } a)
            {
                return (now - a).ToUnixTimeSeconds();
            }
        }
        string[] formats = ["yyyy-MM-dd", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ssZ"];
        return DateTimeOffset.TryParseExact(text, formats, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            ? at.ToUnixTimeSeconds()
            : throw new CliUserException("--since must be a UTC date/time such as 2026-11-02 08:00:00, or an age such as 24h or 7d.");
    }
}
