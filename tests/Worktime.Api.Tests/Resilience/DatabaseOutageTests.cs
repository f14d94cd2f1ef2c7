using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Worktime.Api.Data;

namespace Worktime.Api.Tests.Resilience;

/// <summary>
/// Issue 4 item 5: while PostgreSQL is down, database-touching requests answer a JSON 503 at once (no hang,
/// never a 500); when it comes back the same process serves again without a restart.
/// </summary>
[Collection(ThrowawayPostgresCollection.Name)]
public sealed class DatabaseOutageTests(ThrowawayPostgres postgres)
{
    private static readonly TimeSpan Quick = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task DatabaseStopped_RequestsAnswer503Json_ThenRecoverWhenItRestarts()
    {
        await using var app = new AppOnDatabase(await postgres.CreateDatabaseAsync());
        var client = app.CreateClient();
        await WarmPoolAsync(app, connections: 5);

        await postgres.HaltAsync();
        try
        {
            for (var i = 0; i < 3; i++) // the pooled connections are dead and new ones are refused
            {
                var watch = Stopwatch.StartNew();
                var response = await client.GetAsync("/health/ready");
                watch.Elapsed.ShouldBeLessThan(Quick);
                await ShouldBe503JsonAsync(response, "not_ready");
                (await client.GetAsync("/health/live")).StatusCode.ShouldBe(HttpStatusCode.OK);
            }
        }
        finally
        {
            await postgres.ResumeAsync();
        }

        // The failed attempts made the pool drop every dead connection: the first request after the restart works.
        for (var i = 0; i < 10; i++)
        {
            (await client.GetAsync("/health/ready")).StatusCode.ShouldBe(HttpStatusCode.OK, $"request {i} after the restart");
        }
    }

    [Fact]
    public async Task DatabaseRestartedWhileIdle_AtMostTheFirstRequestIs503_ThenAllServe()
    {
        await using var app = new AppOnDatabase(await postgres.CreateDatabaseAsync());
        var client = app.CreateClient();
        await WarmPoolAsync(app, connections: 5);

        await postgres.HaltAsync();
        await postgres.ResumeAsync();

        // Five idle connections died unseen. The first use finds one dead (a clean 503, never a 500) and the
        // pool then discards all of them, so the rest succeed. A load balancer's readiness probe absorbs this one.
        var first = await client.GetAsync("/health/ready");
        if (first.StatusCode != HttpStatusCode.OK)
        {
            await ShouldBe503JsonAsync(first, "not_ready");
        }
        for (var i = 0; i < 10; i++)
        {
            (await client.GetAsync("/health/ready")).StatusCode.ShouldBe(HttpStatusCode.OK, $"request {i} after the first");
        }
    }

    [Fact]
    public async Task DatabaseFrozen_RequestsAnswer503WithinTheTimeouts_ThenRecoverWhenItWakes()
    {
        // Short timeouts keep the test quick. A statement on a pooled connection gives up after the statement
        // timeout plus Npgsql's cancel request (which waits up to two open timeouts); a new connection after
        // the open timeout. With the defaults (10 s, 5 s) that is at most ~20 s, then 5 s: bounded, never a hang.
        var connectionString = await postgres.CreateDatabaseAsync() + ";Timeout=1;Command Timeout=2";
        await using var app = new AppOnDatabase(connectionString);
        var client = app.CreateClient();
        await WarmPoolAsync(app, connections: 1);

        await postgres.FreezeAsync();
        try
        {
            var bounds = new[] { TimeSpan.FromSeconds(2 + (2 * 1) + 2), TimeSpan.FromSeconds(1 + 2) };
            foreach (var bound in bounds) // first on the pooled connection, then on a new one
            {
                var watch = Stopwatch.StartNew();
                var response = await client.GetAsync("/health/ready");
                watch.Elapsed.ShouldBeLessThan(bound);
                await ShouldBe503JsonAsync(response, "not_ready");
            }
        }
        finally
        {
            await postgres.ThawAsync();
        }

        var recovered = await client.GetAsync("/health/ready");
        if (recovered.StatusCode != HttpStatusCode.OK) // one more pooled connection may have died meanwhile
        {
            await ShouldBe503JsonAsync(recovered, "not_ready");
        }
        for (var i = 0; i < 5; i++)
        {
            (await client.GetAsync("/health/ready")).StatusCode.ShouldBe(HttpStatusCode.OK, $"request {i} after thawing");
        }
    }

    /// <summary>Leaves <paramref name="connections"/> idle connections in the app's pool.</summary>
    private static async Task WarmPoolAsync(AppOnDatabase app, int connections)
    {
        (await app.CreateClient().GetAsync("/health/ready")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var database = app.Services.GetRequiredService<Database>();
        var held = await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => database.OpenAsync()));
        foreach (var connection in held)
        {
            await connection.DisposeAsync();
        }
    }

    internal static async Task ShouldBe503JsonAsync(HttpResponseMessage response, string error)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        body.GetProperty("error").GetString().ShouldBe(error);
        body.GetProperty("error_description").GetString().ShouldNotBeNullOrWhiteSpace();
    }
}
