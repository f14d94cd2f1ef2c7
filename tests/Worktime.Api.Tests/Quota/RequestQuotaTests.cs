using System.Globalization;
using System.Net;
using Dapper;
using Worktime.Api.Data;
using Worktime.Api.Quota;
using Worktime.Api.Tests.Infrastructure;

using Worktime.Api.Tests.Forms;

namespace Worktime.Api.Tests.Quota;

/// <summary>docs/forms.md, "Request quota": the <c>x-collectorapi-request-limit</c> header, 429 <c>rate_limited</c>, per user, windows, counted in memory, flushed to the database.</summary>
/// <remarks>Each test runs on its own app on the fake clock with a small quota: 5 requests per 10 minutes per user.</remarks>
[VariesWith(Vary.Backend)]
public sealed class RequestQuotaTests : IAsyncLifetime
{
    private WorktimeApplication app = null!;

    public async Task InitializeAsync() => app = await WorktimeApplication.StartAsync(o =>
    {
        o.FakeClock = true;
        o.Settings["RateLimit:RequestsPerWindow"] = "5";
        o.Settings["RateLimit:Window"] = "00:10:00";
    });

    public Task DisposeAsync() => app.DisposeAsync().AsTask();

    [Fact]
    public async Task EveryAuthenticatedResponse_CarriesTheHeader_AndTheSixthRequestIs429UntilTheWindowEnds()
    {
        var t = await Tenant.CreateAsync(app, [1, 2]);
        var start = app.Clock.GetUtcNow();
        var windowStart = start.ToUnixTimeSeconds() - start.ToUnixTimeSeconds() % 600;
        var expires = DateTimeOffset.FromUnixTimeSeconds(windowStart + 600).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

        for (var i = 1; i <= 5; i++)
        {
            using var ok = await t.Worker.Client.GetAsync(i % 2 == 0 ? "/tasks" : "/me");
            ok.StatusCode.ShouldBe(HttpStatusCode.OK);
            ok.Headers.GetValues("x-collectorapi-request-limit").Single().ShouldBe($"{i}/5 expires {expires}");
        }
        using var over = await t.Worker.Client.GetAsync("/tasks");
        await over.ShouldBeErrorAsync(429, "rate_limited");
        over.Headers.GetValues("x-collectorapi-request-limit").Single().ShouldBe($"6/5 expires {expires}");
        over.Headers.RetryAfter!.Delta!.Value.TotalSeconds.ShouldBe(windowStart + 600 - app.Clock.GetUtcNow().ToUnixTimeSeconds());

        using var someoneElse = await t.Foreman.Client.GetAsync("/tasks"); // the quota is per user
        someoneElse.StatusCode.ShouldBe(HttpStatusCode.OK);

        // Counted in memory: nothing is written until the flush, which writes all six in one statement.
        (await UsedInTableAsync(t.Worker.Id)).ShouldBeNull();
        await app.Service<RequestQuota>().FlushAsync();
        (await UsedInTableAsync(t.Worker.Id)).ShouldBe(6);

        app.Clock.Advance(TimeSpan.FromMinutes(10));
        using var next = await t.Worker.Client.GetAsync("/tasks");
        next.StatusCode.ShouldBe(HttpStatusCode.OK);
        var nextExpires = DateTimeOffset.FromUnixTimeSeconds(windowStart + 1200).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        next.Headers.GetValues("x-collectorapi-request-limit").Single().ShouldBe($"1/5 expires {nextExpires}");
    }

    [Fact]
    public async Task TheTableTotal_WrittenByAnotherNode_CountsAtTheFirstRequestAndAfterEachFlush()
    {
        var t = await Tenant.CreateAsync(app, [1]);
        var start = app.Clock.GetUtcNow().ToUnixTimeSeconds();
        var windowStart = start - start % 600;
        await SetUsedAsync(t.Worker.Id, windowStart, 3); // another node counted three

        using (var first = await t.Worker.Client.GetAsync("/tasks"))
        {
            first.Headers.GetValues("x-collectorapi-request-limit").Single().ShouldStartWith("4/5 ");
        }
        await app.Service<RequestQuota>().FlushAsync();
        (await UsedInTableAsync(t.Worker.Id)).ShouldBe(4); // the delta was added, not the total overwritten

        await SetUsedAsync(t.Worker.Id, windowStart, 5); // the other node counted one more meanwhile
        await app.Service<RequestQuota>().FlushAsync(); // an idle user's total is read back
        using var over = await t.Worker.Client.GetAsync("/tasks");
        await over.ShouldBeErrorAsync(429, "rate_limited");
        over.Headers.GetValues("x-collectorapi-request-limit").Single().ShouldStartWith("6/5 ");
    }

    [Fact]
    public async Task TheFlusher_WritesOnTheClocksInterval()
    {
        var t = await Tenant.CreateAsync(app, [1]);
        using (var response = await t.Worker.Client.GetAsync("/tasks"))
        {
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
        }
        (await UsedInTableAsync(t.Worker.Id)).ShouldBeNull();

        // The background flusher waits on the app's (fake) clock: advancing it by the interval starts a flush.
        for (var attempt = 0; attempt < 200 && await UsedInTableAsync(t.Worker.Id) is null; attempt++)
        {
            app.Clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Yield();
        }
        (await UsedInTableAsync(t.Worker.Id)).ShouldBe(1);
    }

    [PostgresPassFact("Holds the first request's read of the shared total at a table lock, which only PostgreSQL can do.")]
    public async Task AFlushRetiringTheCounter_WhileItsFirstReadIsInFlight_StillCountsTheRequest()
    {
        // Found as a 500 on two nodes: a flush removed a counter whose read of the shared total was still running,
        // and the read then looked the counter up by user id. The lock puts the steps in that order on purpose.
        var t = await Tenant.CreateAsync(app, [1]);
        app.Clock.Advance(TimeSpan.FromMinutes(10)); // a new window: the worker's next request reads the shared total
        var now = app.Clock.GetUtcNow().ToUnixTimeSeconds();
        var windowStart = now - now % 600;
        await SetUsedAsync(t.Worker.Id, windowStart, 2); // another node counted two
        await app.Service<RequestQuota>().FlushAsync(); // writes what the set-up counted in the old window
        await app.Service<RequestQuota>().FlushAsync(); // and forgets its counters: nothing is left to write

        await using var lockHolder = await app.Service<Database>().OpenAsync();
        await using var locking = await lockHolder.BeginTransactionAsync();
        await lockHolder.ExecuteAsync("LOCK TABLE request_quota IN ACCESS EXCLUSIVE MODE", transaction: locking);
        var request = t.Worker.Client.GetAsync("/tasks");
        await using var watcher = await app.Service<Database>().OpenAsync(); // outside the transaction: a transaction sees one snapshot of pg_stat_activity
        while (await watcher.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%FROM request_quota%'") == 0)
        {
            if (request.IsCompleted)
            {
                using var early = await request;
                early.StatusCode.ShouldBe((HttpStatusCode)0, "the request's read of the shared total should wait at the lock: " + await early.Content.ReadAsStringAsync());
            }
        }
        app.Clock.Advance(TimeSpan.FromMinutes(10)); // the window of the waiting read is over
        await app.Service<RequestQuota>().FlushAsync(); // retires its counter: nothing unflushed, an old window
        await locking.RollbackAsync();

        using var response = await request;
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        response.Headers.GetValues("x-collectorapi-request-limit").Single().ShouldStartWith("3/5 ");
        await app.Service<RequestQuota>().FlushAsync();
        (await UsedInTableAsync(t.Worker.Id)).ShouldBe(3); // counted once, in a counter the flush still sees
    }

    private async Task<long?> UsedInTableAsync(long userId)
    {
        await using var connection = await app.Service<Database>().OpenAsync();
        return await connection.ExecuteScalarAsync<long?>("SELECT used FROM request_quota WHERE user_id = @userId", new { userId });
    }

    private async Task SetUsedAsync(long userId, long windowStart, long used)
    {
        await using var connection = await app.Service<Database>().OpenAsync();
        await connection.ExecuteAsync(
            "INSERT INTO request_quota (user_id, window_start, used) VALUES (@userId, @windowStart, @used) " +
            "ON CONFLICT (user_id) DO UPDATE SET window_start = excluded.window_start, used = excluded.used",
            new { userId, windowStart, used });
    }

    [Fact]
    public async Task AnonymousAndFailedAuthentication_AreNotCounted()
    {
        var t = await Tenant.CreateAsync(app, [1]);

        for (var i = 0; i < 6; i++)
        {
            using var anonymous = await app.CreateClient().GetAsync("/tasks");
            anonymous.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
            anonymous.Headers.Contains("x-collectorapi-request-limit").ShouldBeFalse();
        }
        using var first = await t.Worker.Client.GetAsync("/tasks");
        first.Headers.GetValues("x-collectorapi-request-limit").Single().ShouldStartWith("1/5 ");
    }
}
