using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.Auth;

/// <summary>The app of <see cref="TokenContentTests"/>, its partner "Claims Oy" (country se) and user Claire.Claims (level 4).</summary>
public sealed class TokenContentFixture : IAsyncLifetime
{
    public WorktimeApplication App { get; } = new(o =>
    {
        o.FakeClock = true;
        o.GeneratedSigningKeys = true;
        o.Settings["Auth:CountryHeader"] = "CF-IPCountry";
    });

    public long PartnerId { get; private set; }

    public long UserId { get; private set; }

    public async Task InitializeAsync()
    {
        await App.InitializeAsync();
        PartnerId = await App.CreatePartnerAsync("Claims Oy", "se");
        UserId = await App.CreateUserAsync(PartnerId, "Claire.Claims", 4);
    }

    public Task DisposeAsync() => App.DisposeAsync().AsTask();
}
