using System.Net;
using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.Auth;

[VariesWith(Vary.Backend)]
public sealed class LoginSmokeTests(WorktimeApplication app) : IClassFixture<WorktimeApplication>
{
    [Fact]
    public async Task PasswordGrant_WithCorrectPassword_ReturnsTokensThatOpenMe()
    {
        var partner = await app.CreatePartnerAsync("Smoke", "se");
        var userId = await app.CreateUserAsync(partner, "smoke.user", 3);

        using var client = await app.LoginClientAsync("Smoke.User ");
        using var me = await client.GetAsync("/1.1/me");

        me.StatusCode.ShouldBe(HttpStatusCode.OK, await me.Content.ReadAsStringAsync());
        var body = await me.JsonAsync();
        body.GetProperty("user").GetProperty("id").GetInt64().ShouldBe(userId);
        body.GetProperty("partner").GetProperty("country").GetString().ShouldBe("se");
    }

    [Fact]
    public async Task Me_WithoutToken_Returns401InvalidRequest()
    {
        using var response = await app.CreateClient().GetAsync("/me");

        await response.ShouldBeErrorAsync(401, "invalid_request");
        response.Headers.WwwAuthenticate.ToString().ShouldBe("Bearer realm=\"api\"");
    }

    [Fact]
    public async Task Me_WithGarbageToken_Returns401InvalidToken()
    {
        using var response = await app.BearerClient("a.b.c").GetAsync("/1.1/me");

        await response.ShouldBeErrorAsync(401, "invalid_token");
        response.Headers.WwwAuthenticate.ToString().ShouldBe("Bearer realm=\"api\", error=\"invalid_token\"");
    }
}
