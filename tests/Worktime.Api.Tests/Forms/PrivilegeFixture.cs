using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.Forms;

/// <summary>One partner with every level and a second worker, shared by the privilege matrix (each case makes its own rows).</summary>
public sealed class PrivilegeFixture : IAsyncLifetime
{
    /// <summary>The app the rows live in (fake clock).</summary>
    public WorktimeApplication App { get; } = new(o => o.FakeClock = true);

    public Tenant T { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await App.InitializeAsync();
        T = await Tenant.CreateAsync(App);
    }

    public Task DisposeAsync() => App.DisposeAsync().AsTask();
}
