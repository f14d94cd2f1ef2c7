using Worktime.Api.Accounts;
using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Worktime.Api.Auth;
using Worktime.Api.Tests.Cli;
using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.Auth;

/// <summary>Catalogue 12 and 19: they measure, so they run alone (serial collection).</summary>
[Collection(SerialCollection.Name)]
public sealed class LoadAndTimingTests
{
    [Fact]
    public async Task Case12_UnknownUserAndWrongPassword_IdenticalAnswer_LatencyWithinAFewMilliseconds()
    {
        await using var app = await AuthApp.StartAsync(settings:
            [("Auth:Throttle:IpFailures", "10000"), ("Auth:Throttle:UserIpFailures", "10000"), ("Auth:Throttle:UserFailures", "10000")]);
        await app.CreateUserAsync(await app.CreatePartnerAsync(), "known12", 1);
        using var client = app.CreateClient();
        var unknown = new List<double>();
        var wrong = new List<double>();
        string? unknownBody = null, wrongBody = null;

        for (var i = 0; i < 45; i++)
        {
            // Alternate which goes first, so drift in machine load hits both sides alike.
            var pair = new[] { ("ghost12", unknown), ("known12", wrong) };
            foreach (var (user, times) in i % 2 == 0 ? pair : pair.Reverse())
            {
                var watch = Stopwatch.StartNew();
                using var response = await client.PasswordGrantAsync(user, "not-the-password");
                var body = await response.Content.ReadAsStringAsync();
                watch.Stop();
                response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
                if (i >= 5)
                {
                    times.Add(watch.Elapsed.TotalMilliseconds); // the first rounds warm up JIT and pools
                }
                if (times == unknown) { unknownBody = body; } else { wrongBody = body; }
            }
        }

        unknownBody.ShouldBe(wrongBody);
        unknownBody.ShouldBe("""{"error":"invalid_grant","error_description":"Invalid username and password combination"}""");
        Math.Abs(Median(unknown) - Median(wrong)).ShouldBeLessThan(5, $"unknown {Median(unknown):F1} ms, wrong {Median(wrong):F1} ms");
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    [Fact]
    public async Task Case19_TwoHundredConcurrentLogins_BoundedHashing_OtherEndpointsKeepAnswering()
    {
        await using var app = await AuthApp.StartAsync();
        await app.CreateUserAsync(await app.CreatePartnerAsync(), "storm19", 1);
        var hasher = app.Services.GetRequiredService<PasswordHasher>();
        using var client = app.CreateClient();

        var storm = Enumerable.Range(0, 200).Select(_ => client.PasswordGrantAsync("storm19")).ToList();
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
        hasher.PeakConcurrency.ShouldBeLessThanOrEqualTo(hasher.Concurrency);
        hasher.Concurrency.ShouldBe(Environment.ProcessorCount);
    }
}
