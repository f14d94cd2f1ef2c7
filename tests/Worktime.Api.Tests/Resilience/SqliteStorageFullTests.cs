using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Worktime.Api.Tests.Infrastructure;
using Worktime.Api.Tests.MultiNode;

namespace Worktime.Api.Tests.Resilience;

/// <summary>
/// Issue 23, "Full disks and lost connections", on SQLite: a database that cannot grow (here capped by
/// <c>Database:SqliteMaxSizeMegabytes</c>, which is SQLite's <c>PRAGMA max_page_count</c> and fails a write exactly as a
/// full disk does, with <c>SQLITE_FULL</c>) answers writes 503 with a clear description and keeps nothing of them;
/// reads keep working; once there is room again (the limit raised in the running server's configuration) writes
/// succeed without a restart. The test writes until the first refusal: an ordering, not a pace. Runs on its own
/// SQLite file whatever the suite's backend.
/// </summary>
[VariesWith(Vary.Nothing)]
public sealed class SqliteStorageFullTests : IDisposable
{
    private const string Limit = "Database:SqliteMaxSizeMegabytes";
    private readonly string _folder = Directory.CreateTempSubdirectory("worktime-full-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task DatabaseThatCannotGrow_Writes503AndKeepNothing_ReadsServe_WritesResumeWithoutRestart()
    {
        var connectionString = $"Data Source={Path.Combine(_folder, "worktime.db")}";
        var acknowledged = new List<long>();
        await using (var app = WorktimeApplication.OnDatabase(connectionString))
        {
            var partner = await app.CreatePartnerAsync("Full Oy");
            await app.CreateUserAsync(partner, "full.worker", 1);
            using var client = await app.LoginClientAsync("full.worker");
            for (var i = 0; i < 3; i++)
            {
                acknowledged.Add(await CreatedIdAsync(await PostWorktimeAsync(client, $"before the limit {i}")));
            }

            SetLimit(app, "0.001"); // below the file's size: it may not grow by a single page
            string? refusedDescription = null;
            for (var i = 0; i < 5000 && refusedDescription is null; i++)
            {
                var description = $"after the limit {i} " + new string('x', 400);
                using var response = await PostWorktimeAsync(client, description);
                if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    await ShouldBeStorageFullAsync(response);
                    refusedDescription = description;
                }
                else
                {
                    acknowledged.Add(await CreatedIdAsync(response)); // the free room inside the file's pages
                }
            }
            refusedDescription.ShouldNotBeNull("the capped database never refused a write");

            // Still full: writes keep being refused, cleanly.
            using (var again = await PostWorktimeAsync(client, "still full " + new string('y', 400)))
            {
                await ShouldBeStorageFullAsync(again);
            }

            // Reads serve, and show exactly the acknowledged rows: nothing of a refused write is there.
            (await client.GetAsync("/me")).StatusCode.ShouldBe(HttpStatusCode.OK);
            var page = await client.GetFromJsonAsync<JsonElement>("/worktimes?date=2026-11-02&limit=100");
            page.GetProperty("count").GetInt64().ShouldBe(acknowledged.Count);
            var stored = await StoredAsync(connectionString);
            stored.Select(r => r.Id).ShouldBe(acknowledged.Order(), "only acknowledged writes are stored");
            stored.Select(r => r.Description).ShouldNotContain(refusedDescription, "a refused write left nothing");

            // Room again (an operator freed the disk / raised the limit): the same process writes on.
            SetLimit(app, "0");
            using var after = await PostWorktimeAsync(client, refusedDescription);
            acknowledged.Add(await CreatedIdAsync(after));
            page = await client.GetFromJsonAsync<JsonElement>("/worktimes?date=2026-11-02&limit=100");
            page.GetProperty("count").GetInt64().ShouldBe(acknowledged.Count);
        }

        (await StoredAsync(connectionString)).Select(r => r.Id).ShouldBe(acknowledged.Order());
        var check = await WorktimeCli.RunAsync(["db", "check", "--db", connectionString]);
        check.ExitCode.ShouldBe(0, check.Stdout + check.Stderr); // integrity, foreign keys, the id allocator
    }

    /// <summary>Changes the limit in the running server's configuration, as an edited appsettings.json would.</summary>
    private static void SetLimit(WorktimeApplication app, string megabytes)
    {
        var configuration = (IConfigurationRoot)app.Services.GetRequiredService<IConfiguration>();
        configuration[Limit] = megabytes;
        configuration.Reload();
        configuration[Limit].ShouldBe(megabytes);
    }

    private static Task<HttpResponseMessage> PostWorktimeAsync(HttpClient client, string description)
    {
        var body = JsonSerializer.Serialize(new
        {
            worktime = new { date = "2026-11-02", starttime = "08:00", endtime = "16:00", pause = 30, description },
        });
        return client.PostAsync("/worktimes", new StringContent(body, Encoding.UTF8, "application/json"));
    }

    private static async Task<long> CreatedIdAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.Created, text);
        using var json = JsonDocument.Parse(text);
        return json.RootElement.GetProperty("worktime").GetProperty("id").GetInt64();
    }

    private static async Task ShouldBeStorageFullAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable, text);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        using var json = JsonDocument.Parse(text);
        json.RootElement.GetProperty("error").GetString().ShouldBe("service_unavailable");
        json.RootElement.GetProperty("error_description").GetString()!.ShouldContain("out of space");
        response.Headers.RetryAfter.ShouldNotBeNull();
    }

    /// <summary>The worktimes in the file, read beside the server.</summary>
    private static async Task<List<(long Id, string? Description)>> StoredAsync(string connectionString)
    {
        await using var connection = new SqliteConnection(connectionString + ";Mode=ReadOnly");
        await connection.OpenAsync();
        return [.. await connection.QueryAsync<(long Id, string? Description)>("SELECT id, description FROM worktimes ORDER BY id")];
    }
}
