using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Worktime.Api.Accounts;
using Worktime.Api.Auth;
using Worktime.Api.Tests.Infrastructure;

using Worktime.Api.Tests.Auth;

namespace Worktime.Api.Tests.Accounts;

/// <summary>UserAccounts: the one door for credential and access changes, with its side effects (requirement 3, 9).</summary>
[VariesWith(Vary.BackendAndCulture)]
public sealed class UserAccountsTests(FakeClockFixture fixture) : IClassFixture<FakeClockFixture>
{
    private readonly WorktimeApplication app = fixture.App;

    private UserAccounts Accounts => app.Services.GetRequiredService<UserAccounts>();
    private AuditLog Audit => app.Services.GetRequiredService<AuditLog>();

    [Theory]
    [InlineData("  Alice ", "alice")]
    [InlineData("ALICE", "alice")]
    [InlineData("A\u0308NNE", "\u00E4nne")]
    [InlineData("\u00C4nne", "\u00E4nne")]
    [InlineData("ÉMILIE@Example.COM", "émilie@example.com")]
    public void UsernameKey_TrimsComposesAndCaseFolds(string input, string expected) =>
        Credentials.KeyOf(input).ShouldBe(expected);

    [Fact]
    public async Task Create_StoresTheDisplayNameAndTheLoginKey_AndAnArgon2Hash()
    {
        var partner = await app.CreatePartnerAsync();
        var id = (await Accounts.CreateAsync(partner, " Mixed.Case ", 3, "pw-one", "Mia", "Case", creatorId: 1)).OrThrow();

        (await app.ScalarAsync<string>("SELECT username FROM users WHERE id = @id", new { id })).ShouldBe("Mixed.Case");
        (await app.ScalarAsync<string>("SELECT username_norm FROM users WHERE id = @id", new { id })).ShouldBe("mixed.case");
        (await app.ScalarAsync<string>("SELECT password_hash FROM users WHERE id = @id", new { id })).ShouldStartWith("$argon2id$");
        (await app.ScalarAsync<long>("SELECT creator_id FROM users WHERE id = @id", new { id })).ShouldBe(1);
        (await Audit.QueryAsync(0, "mixed.case", 10)).ShouldContain(r => r.Event == AuditEvents.UserCreated && r.UserId == id && r.PartnerId == partner);
    }

    [Theory]
    [InlineData(999_999, "fresh.name", 1, "pw", "Partner 999999 does not exist.")]
    [InlineData(0, "admin", 1, "pw", "A user with that username already exists.")]
    [InlineData(0, " ADMIN ", 1, "pw", "A user with that username already exists.")]
    [InlineData(0, "fresh.name", 6, "pw", "The user level must be between 1 and 5.")]
    [InlineData(0, "fresh.name", 0, "pw", "The user level must be between 1 and 5.")]
    [InlineData(0, "fresh.name", 1, "", "The password must be 1 to 1024 bytes.")]
    [InlineData(0, "   ", 1, "pw", "The username must not be empty or only spaces.")]
    [InlineData(0, "tab\tinside", 1, "pw", "The username must not contain control characters.")]
    public async Task Create_RefusesBadInput_WithOneLineMessages(long partner, string username, int level, string password, string message)
    {
        partner = partner == 0 ? await app.CreatePartnerAsync() : partner;

        var outcome = await Accounts.CreateAsync(partner, username, level, password);

        outcome.Error.ShouldNotBeNull().Description.ShouldBe(message);
        (await app.ScalarAsync<long>("SELECT COUNT(*) FROM users WHERE username = @username", new { username })).ShouldBe(username == "admin" ? 1 : 0);
    }

    [Fact]
    public async Task HashPassword_UsesTheConfiguredArgon2id()
    {
        var hash = (await Accounts.HashPasswordAsync("forms-api-password", CancellationToken.None)).OrThrow();

        hash.ShouldStartWith("$argon2id$v=19$m=8192,t=1,p=1$");
        app.Services.GetRequiredService<PasswordHasher>().Verify(hash, "forms-api-password").ShouldBeTrue();
    }

    [Fact]
    public async Task SetPassword_RevokesRefreshFamilies_VoidsOlderAccessTokens_AndIsAudited()
    {
        var id = await app.CreateUserAsync(await app.CreatePartnerAsync(), "resetter", 2);
        var tokens = await app.LoginAsync("resetter");
        app.Clock.Advance(TimeSpan.FromSeconds(1));

        (await Accounts.SetPasswordAsync(id, "brand-new-pw")).ShouldBeNull();

        using var refresh = await app.CreateClient().RefreshGrantAsync(tokens.GetProperty("refresh_token").GetString()!);
        await refresh.ShouldBeErrorAsync(400, "invalid_grant");
        using var me = await app.BearerClient(tokens.GetProperty("access_token").GetString()!).GetAsync("/me");
        await me.ShouldBeErrorAsync(401, "invalid_token");
        using var oldPassword = await app.CreateClient().PasswordGrantAsync("resetter");
        await oldPassword.ShouldBeErrorAsync(400, "invalid_grant", OAuthResults.InvalidGrantDescription);
        (await app.LoginAsync("resetter", "brand-new-pw")).GetProperty("user_id").GetInt64().ShouldBe(id);
        (await Audit.QueryAsync(0, "resetter", 50)).ShouldContain(r => r.Event == AuditEvents.PasswordChanged && r.UserId == id);
    }

    [Fact]
    public async Task LevelChangeByTheUsersForm_KillsRefreshAndAccessTokens_ButTheUserMayLogInAgain()
    {
        var partner = await app.CreatePartnerAsync();
        var id = await app.CreateUserAsync(partner, "revoked", 2);
        await app.CreateUserAsync(partner, "revoker", 5);
        var tokens = await app.LoginAsync("revoked");
        app.Clock.Advance(TimeSpan.FromSeconds(1));

        using var demote = await (await app.LoginClientAsync("revoker")).PutAsync($"/users/{id}",
            System.Net.Http.Json.JsonContent.Create(new { user = new { userlevel = 1 } }));
        demote.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Audit.QueryAsync(0, "revoked", 50)).ShouldContain(r => r.Event == AuditEvents.AccessRevoked && r.UserId == id);

        using var refresh = await app.CreateClient().RefreshGrantAsync(tokens.GetProperty("refresh_token").GetString()!);
        await refresh.ShouldBeErrorAsync(400, "invalid_grant");
        using var me = await app.BearerClient(tokens.GetProperty("access_token").GetString()!).GetAsync("/me");
        await me.ShouldBeErrorAsync(401, "invalid_token");
        using var again = await (await app.LoginClientAsync("revoked")).GetAsync("/me");
        again.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Disable_IsAudited_AndUnknownUsersAreOneLineErrors()
    {
        var id = await app.CreateUserAsync(await app.CreatePartnerAsync(), "disabled.one", 2);

        (await Accounts.DisableAsync(id)).ShouldBeNull();

        (await app.ScalarAsync<string>("SELECT status FROM users WHERE id = @id", new { id })).ShouldBe("inactive");
        (await Audit.QueryAsync(0, "disabled.one", 10)).ShouldContain(r => r.Event == AuditEvents.UserDisabled);
        (await Accounts.DisableAsync(987_654)).ShouldNotBeNull().Description.ShouldBe("User 987654 does not exist.");
        (await Accounts.FindIdAsync("nobody.here")).Error.ShouldNotBeNull().Description.ShouldBe("No user is called 'nobody.here'.");
    }

    [Fact]
    public async Task SuccessfulLogin_IsAudited_WithTimePartnerUserAndAddress()
    {
        var partner = await app.CreatePartnerAsync();
        var id = await app.CreateUserAsync(partner, "audited.login", 1);

        using var response = await app.ClientFrom("192.0.2.77").PasswordGrantAsync("audited.login");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var record = (await Audit.QueryAsync(0, "audited.login", 10)).Single(r => r.Event == AuditEvents.LoginSucceeded);
        record.At.ShouldBe(app.Clock.GetUtcNow().ToUnixTimeSeconds());
        record.PartnerId.ShouldBe(partner);
        record.UserId.ShouldBe(id);
        record.Ip.ShouldBe("192.0.2.77");
    }
}
