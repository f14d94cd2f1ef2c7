using Worktime.Api.Accounts;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Worktime.Api.Auth;
using Worktime.Api.Tests.Cli;
using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.Auth;

/// <summary>
/// A login reveals neither by its answer nor by its cost whether a username exists; two hundred logins at once
/// are bounded by the hashing slots while other endpoints keep answering. Load runs alone (serial collection).
/// </summary>
[VariesWith(Vary.Backend)]
[Collection(SerialCollection.Name)]
public sealed class LoadAndTimingTests
{
    // Cost is compared as work done (one Argon2id hash each, the only expensive step), not as wall-clock time,
    // which on a shared machine measures the neighbours (docs/security.md).
    [Fact]
    public async Task Unknown_user_and_wrong_password_get_identical_answers_at_identical_cost()
    {
        await using var app = await WorktimeApplication.StartAsync(o => { o.Settings["Auth:Throttle:IpFailures"] = "10000"; o.Settings["Auth:Throttle:UserIpFailures"] = "10000"; o.Settings["Auth:Throttle:UserFailures"] = "10000"; });
        await app.CreateUserAsync(await app.CreatePartnerAsync(), "known12", 1);
        using var counters = new AuthCounters(app);
        using var client = app.CreateClient();
        var answers = new List<(string User, int Status, string Headers, string Body, long Hashes)>();

        foreach (var user in new[] { "ghost12", "known12", "ghost12", "known12" })
        {
            var before = counters.Hashes;
            using var response = await client.PasswordGrantAsync(user, "not-the-password");
            var headers = string.Join("\n", response.Headers.Concat(response.Content.Headers)
                .Where(h => h.Key != "Date").OrderBy(h => h.Key, StringComparer.Ordinal)
                .Select(h => h.Key + ": " + string.Join(", ", h.Value)));
            answers.Add((user, (int)response.StatusCode, headers, await response.Content.ReadAsStringAsync(), counters.Hashes - before));
        }

        answers.ShouldAllBe(a => a.Status == 400 && a.Hashes == 1);
        answers.Select(a => a.Headers).Distinct().Count().ShouldBe(1, string.Join("\n\n", answers.Select(a => a.Headers)));
        answers.Select(a => a.Body).Distinct().ShouldHaveSingleItem()
            .ShouldBe("""{"error":"invalid_grant","error_description":"Invalid username and password combination"}""");
    }

    [Fact]
    public async Task Login_storm_is_bounded_by_the_hashing_slots_and_other_endpoints_keep_answering()
    {
        await using var app = await WorktimeApplication.StartAsync();
        await app.CreateUserAsync(await app.CreatePartnerAsync(), "storm19", 1);
        var hasher = app.Services.GetRequiredService<PasswordHasher>();
        using var counters = new AuthCounters(app);
        using var client = app.CreateClient();

#pragma warning disable CA2025 // every storm task is awaited (Task.WhenAll below) before the client is disposed
        var storm = Enumerable.Range(0, 200).Select(_ => client.PasswordGrantAsync("storm19")).ToList();
#pragma warning restore CA2025
        using var live = await client.GetAsync("/health/live");
        // Ordering, not a stopwatch (speed is the benchmark's business): the health answer must not wait for the
        // login queue, so it arrives while logins are still waiting for a hashing slot.
        var loginsStillPending = storm.Count(login => !login.IsCompleted);
        var responses = await Task.WhenAll(storm);

        live.StatusCode.ShouldBe(HttpStatusCode.OK);
        loginsStillPending.ShouldBeGreaterThan(0, "/health/live waited until every login was done");
        foreach (var response in responses)
        {
            ((int)response.StatusCode).ShouldBeOneOf(200, 429); // never 5xx; 429 = a hashing slot did not free up in time
        }
        responses.Count(r => r.StatusCode == HttpStatusCode.OK).ShouldBeGreaterThan(0);
        counters.PeakConcurrency.ShouldBeInRange(1, hasher.Concurrency);
        hasher.Concurrency.ShouldBe(Environment.ProcessorCount);
    }
}
