namespace Worktime.Api.Tests.Forms;

/// <summary>One partner with every level and a second worker, shared by the privilege matrix (each case makes its own rows).</summary>
public sealed class PrivilegeFixture : FormsApp
{
    public Tenant T { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        T = await Tenant.CreateAsync(this);
    }
}
