namespace Worktime.Api.Tests.Infrastructure;

/// <summary>
/// A bound on how long a test waits for an answer that must come, so a hang fails the test instead of stalling the
/// suite. It is a guard, not a timing assertion: far above any timeout the app is configured with, so a slow,
/// shared machine never trips it; only a request that would never be answered does.
/// </summary>
public static class HangGuard
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>A client of <paramref name="app"/> that gives up (and so fails the test) after <see cref="Timeout"/>.</summary>
    public static HttpClient CreateGuardedClient(this WorktimeApplication app)
    {
        var client = app.CreateClient();
        client.Timeout = Timeout;
        return client;
    }
}
