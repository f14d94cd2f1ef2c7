using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

namespace Worktime.Bench;

/// <summary>
/// Fills a partner's worktimes the way its users do: one <c>POST /worktimes</c> per row, through the server under
/// test, several requests at a time. Nothing is run on the database afterwards (no ANALYZE), so the benchmark
/// measures the database a company has after using the service, not one a loader has tidied. The rows have the
/// shape of the SQL seeders': evenly over the days of the 24 months before the current one, in date order,
/// users and projects taken in turn.
/// </summary>
internal static class ApiFiller
{
    public static async Task<int> RunAsync(
        string url, string token, long rows, long firstUser, int users, long firstProject, int projects, int concurrency)
    {
        var now = DateTime.UtcNow;
        var thisMonth = new DateOnly(now.Year, now.Month, 1);
        var firstDay = thisMonth.AddMonths(-24);
        var days = thisMonth.DayNumber - firstDay.DayNumber;
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = concurrency };
        using var client = new HttpClient(handler, disposeHandler: false)
        {
            BaseAddress = new Uri(url),
            Timeout = TimeSpan.FromSeconds(60),
        };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var watch = Stopwatch.StartNew();
        long next = -1, failed = 0;
        string? firstError = null;

        async Task PostAsync()
        {
            long i;
            while ((i = Interlocked.Increment(ref next)) < rows)
            {
                var date = firstDay.AddDays((int)(i * days / rows)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                var body = string.Create(CultureInfo.InvariantCulture,
                    $$$"""{"worktime":{"date":"{{{date}}}","user":{{{firstUser + (i % users)}}},"project":{{{firstProject + (i % projects)}}},"starttime":"08:00","endtime":"16:00","pause":30,"description":"Bench row {{{i}}}"}}""");
                using var content = new StringContent(body, Encoding.UTF8, "application/json");
                using var response = await client.PostAsync(new Uri("/worktimes", UriKind.Relative), content);
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref failed);
                    var answer = await response.Content.ReadAsStringAsync();
                    firstError ??= string.Create(CultureInfo.InvariantCulture, $"{(int)response.StatusCode} {answer}");
                }
                if ((i + 1) % 100_000 == 0)
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"posted {i + 1} worktimes ({(i + 1) / watch.Elapsed.TotalSeconds:F0}/s)"));
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(PostAsync)));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"posted {rows} worktimes in {watch.Elapsed.TotalSeconds:F1} s ({rows / watch.Elapsed.TotalSeconds:F0}/s), {failed} failed"));
        if (failed > 0)
        {
            await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{failed} posts failed, the first: {firstError}"));
            return 1;
        }
        return 0;
    }
}
