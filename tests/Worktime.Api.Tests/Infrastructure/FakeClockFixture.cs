namespace Worktime.Api.Tests.Infrastructure;

/// <summary>
/// One <see cref="WorktimeApplication"/> on the fake clock (fixed at 2026-11-02 08:00 UTC, so "the current month" is
/// November 2026), shared by the tests of one class whose tests only move time forward. Forms tests make their own
/// partner each (<c>Tenant</c>), so they never see each other's rows.
/// </summary>
public sealed class FakeClockFixture : IAsyncLifetime
{
    public WorktimeApplication App { get; } = new(o => o.FakeClock = true);

    public Task InitializeAsync() => App.InitializeAsync();

    public Task DisposeAsync() => App.DisposeAsync().AsTask();
}
