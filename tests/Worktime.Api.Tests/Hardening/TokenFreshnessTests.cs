using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Worktime.Api.Tests.Auth;
using Worktime.Api.Tests.Forms;
using Worktime.Api.Tests.Infrastructure;
using Worktime.Api.Accounts;

namespace Worktime.Api.Tests.Hardening;

/// <summary>
/// A change of level, password or status ends every token minted before it — even in the same second, which the
/// old <c>iat</c> comparison let through — through the per-user <c>security_version</c> claim (docs/auth.md).
/// The clock never moves in these tests, so every token and every change happen in one second.
/// </summary>
[VariesWith(Vary.Backend)]
public sealed class TokenFreshnessTests(FakeClockFixture fixture) : IClassFixture<FakeClockFixture>
{
    private readonly WorktimeApplication app = fixture.App;

    private async Task<(long Id, string Name, JsonElement Tokens, HttpClient Admin)> UserAsync(int level)
    {
        var partner = await app.CreatePartnerAsync();
        var tag = $"{Guid.NewGuid():N}"[..10];
        await app.CreateUserAsync(partner, "adm" + tag, 5);
        var id = await app.CreateUserAsync(partner, "usr" + tag, level);
        return (id, "usr" + tag, await app.LoginAsync("usr" + tag), await app.LoginClientAsync("adm" + tag));
    }

    private async Task<HttpResponseMessage> MeAsync(JsonElement tokens) =>
        await app.BearerClient(tokens.GetProperty("access_token").GetString()!).GetAsync("/me");

    public static TheoryData<string, object> Changes => new()
    {
        { "demotion", new { userlevel = 1 } },
        { "promotion", new { userlevel = 5 } },
        { "password change", new { password = "pw-new-in-the-same-second" } },
        { "deactivation", new { status = "inactive" } },
    };

    [Theory]
    [MemberData(nameof(Changes))]
    public async Task Token_minted_in_the_same_second_before_a_change_is_refused_at_once(string change, object fields)
    {
        var (id, _, tokens, admin) = await UserAsync(4);
        using (var before = await MeAsync(tokens))
        {
            before.StatusCode.ShouldBe(HttpStatusCode.OK, change); // cached on this node now
        }

        using var changed = await admin.PutJsonAsync($"/users/{id}", new { user = fields });
        await changed.ShouldBeJsonAsync(200);

        using var after = await MeAsync(tokens);
        await FormsHttp.ShouldBeErrorAsync(after, 401, "invalid_token");
        using var refresh = await app.CreateClient().RefreshGrantAsync(tokens.GetProperty("refresh_token").GetString()!);
        await FormsHttp.ShouldBeErrorAsync(refresh, 400, "invalid_grant");
    }

    [Fact]
    public async Task Token_minted_after_a_change_in_the_same_second_carries_the_new_level_and_works()
    {
        var (id, name, _, admin) = await UserAsync(4);

        using var changed = await admin.PutJsonAsync($"/users/{id}", new { user = new { userlevel = 1 } });
        await changed.ShouldBeJsonAsync(200);
        var fresh = await app.LoginAsync(name);
        using var me = await MeAsync(fresh);

        (await me.ShouldBeJsonAsync(200)).GetProperty("user").GetProperty("userlevel").GetInt32().ShouldBe(1);
        TokenForge.Payload(fresh.GetProperty("access_token").GetString()!).GetProperty("userlevel").GetString().ShouldBe("1");
    }

    [Fact]
    public async Task Removal_and_CLI_password_change_end_tokens_of_the_same_second_too()
    {
        var (id, _, removedTokens, admin) = await UserAsync(2);
        var (other, _, cliTokens, _) = await UserAsync(2);

        using var removed = await admin.DeleteAsync($"/users/{id}");
        await removed.ShouldBeJsonAsync(200);
        (await app.Services.GetRequiredService<UserAccounts>().SetPasswordAsync(other, "pw-set-by-the-cli")).ShouldBeNull();

        using var afterRemoval = await MeAsync(removedTokens);
        using var afterCli = await MeAsync(cliTokens);
        await FormsHttp.ShouldBeErrorAsync(afterRemoval, 401, "invalid_token");
        await FormsHttp.ShouldBeErrorAsync(afterCli, 401, "invalid_token");
    }

    /// <summary>
    /// The bound across nodes is unchanged: another node's cache may accept the old version until
    /// <c>Auth:UserStateCacheDuration</c> (15 s) has passed since it loaded the user, then refuses it.
    /// </summary>
    [Fact]
    public async Task Another_node_refuses_the_old_version_once_its_cache_duration_has_passed()
    {
        await using var nodeB = await WorktimeApplication.StartAsync(o => { o.FakeClock = true; o.Database = app.ConnectionString; });
        nodeB.KeepDatabase = true; // the database is the fixture's
        var (id, _, tokens, admin) = await UserAsync(4);
        var onB = nodeB.BearerClient(tokens.GetProperty("access_token").GetString()!);
        using (var loaded = await onB.GetAsync("/me"))
        {
            loaded.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        using var changed = await admin.PutJsonAsync($"/users/{id}", new { user = new { userlevel = 1 } });
        await changed.ShouldBeJsonAsync(200);
        using var onA = await MeAsync(tokens);
        using var stillCached = await onB.GetAsync("/me");
        nodeB.Clock.Advance(TimeSpan.FromSeconds(15));
        using var expired = await onB.GetAsync("/me");

        await FormsHttp.ShouldBeErrorAsync(onA, 401, "invalid_token"); // the node that made the change: at once
        stillCached.StatusCode.ShouldBe(HttpStatusCode.OK); // the documented bound, not longer
        await FormsHttp.ShouldBeErrorAsync(expired, 401, "invalid_token");
    }
}
