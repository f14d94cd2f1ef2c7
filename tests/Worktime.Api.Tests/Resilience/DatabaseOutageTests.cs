using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Worktime.Api.Data;
using Worktime.Api.Accounts;

using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.Resilience;

/// <summary>
/// Issue 4 item 5: while PostgreSQL is down, database-touching requests answer a JSON 503 (no hang, never a 500);
/// when it comes back the same process serves again without a restart.
/// </summary>
/// <remarks>
/// No stopwatch: a request that would hang on the dead database never answers before the database is back (which
/// the test does only afterwards), so getting the 503 at all proves it did not hang. The clients'
/// <see cref="HangGuard"/> only keeps a hang from stalling the suite.
/// </remarks>
[VariesWith(Vary.Nothing)]
[Collection(ThrowawayPostgresCollection.Name)]
public sealed class DatabaseOutageTests(ThrowawayPostgres postgres)
{
    [Fact]
    public async Task DatabaseStopped_RequestsAnswer503Json_ThenRecoverWhenItRestarts()
    {
        await using var app = WorktimeApplication.OnDatabase(await postgres.CreateDatabaseAsync());
        var client = app.CreateGuardedClient();
        await WarmPoolAsync(app, connections: 5);
        var partner = (await app.Services.GetRequiredService<PartnerStore>().AddAsync("Outage", "fi")).OrThrow();
        (await app.Services.GetRequiredService<UserAccounts>().CreateAsync(partner, "outage-user", 1, Password)).OrThrow();
        var access = (await LoginAsync(client)).GetProperty("access_token").GetString()!;

        await postgres.HaltAsync();
        try
        {
            for (var i = 0; i < 3; i++) // the pooled connections are dead and new ones are refused
            {
                await ShouldBe503JsonAsync(await client.GetAsync("/health/ready"), "not_ready");
                await ShouldBe503JsonAsync(await client.PostAsync("/login", LoginForm()), "service_unavailable");
                await ShouldBe503JsonAsync(await Me(client, access), "service_unavailable");
                (await client.GetAsync("/health/live")).StatusCode.ShouldBe(HttpStatusCode.OK);
            }
        }
        finally
        {
            await postgres.ResumeAsync();
        }

        // The failed attempts made the pool drop every dead connection: the first request after the restart works.
        for (var i = 0; i < 5; i++)
        {
            (await client.GetAsync("/health/ready")).StatusCode.ShouldBe(HttpStatusCode.OK, $"request {i} after the restart");
            (await Me(client, access)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }
        (await LoginAsync(client)).GetProperty("access_token").GetString().ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task DatabaseRestartedWhileIdle_AtMostTheFirstRequestIs503_ThenAllServe()
    {
        await using var app = WorktimeApplication.OnDatabase(await postgres.CreateDatabaseAsync());
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
        await using var app = WorktimeApplication.OnDatabase(connectionString);
        var client = app.CreateGuardedClient();
        await WarmPoolAsync(app, connections: 1);

        await postgres.FreezeAsync();
        try
        {
            // A frozen server never answers, so only the timeouts can end these requests: the 503 is their work.
            for (var i = 0; i < 2; i++) // first on the pooled connection, then on a new one
            {
                await ShouldBe503JsonAsync(await client.GetAsync("/health/ready"), "not_ready");
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
    private static async Task WarmPoolAsync(WorktimeApplication app, int connections)
    {
        (await app.CreateClient().GetAsync("/health/ready")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var database = app.Services.GetRequiredService<Database>();
        var held = await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => database.OpenAsync()));
        foreach (var connection in held)
        {
            await connection.DisposeAsync();
        }
    }

    private const string Password = "pw-outage-9f3k2";

    private static FormUrlEncodedContent LoginForm() => new(new Dictionary<string, string>
    {
        ["grant_type"] = "password",
        ["username"] = "outage-user",
        ["password"] = Password,
        ["client_id"] = "openapi",
    });

    private static async Task<JsonElement> LoginAsync(HttpClient client)
    {
        var response = await client.PostAsync("/login", LoginForm());
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static Task<HttpResponseMessage> Me(HttpClient client, string access)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/me");
        request.Headers.Authorization = new("Bearer", access);
        return client.SendAsync(request);
    }

    internal static async Task ShouldBe503JsonAsync(HttpResponseMessage response, string error)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        body.GetProperty("error").GetString().ShouldBe(error);
        body.GetProperty("error_description").GetString().ShouldNotBeNullOrWhiteSpace();
        if (error == "service_unavailable") // the exception handler's answer tells clients when to retry
        {
            response.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(5));
        }
    }
}
