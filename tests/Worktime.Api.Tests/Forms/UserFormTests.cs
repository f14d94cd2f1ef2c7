using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.Forms;

/// <summary>The user form is the login's own users: passwords, unique names, levels and loss of access go through the same accounts.</summary>
[VariesWith(Vary.BackendAndCulture)]
public sealed class UserFormTests(FakeClockFixture fixture) : IClassFixture<FakeClockFixture>
{
    private readonly WorktimeApplication app = fixture.App;

    [Fact]
    public async Task AdminCreatesAUserWithAPassword_ThatUserLogsIn_AndNoPasswordIsEverReturned()
    {
        var t = await Tenant.CreateAsync(app, [5]);
        var name = $"New{Guid.NewGuid():N}"[..20];

        using var response = await t.Admin.Client.PostJsonAsync("/users",
            new { user = new { username = $"  {name} ", firstname = "Nina", userlevel = 3, password = "pw-nina-secret" } });

        var body = await response.ShouldBeJsonAsync(201);
        var row = body.GetProperty("user");
        row.GetProperty("username").GetString().ShouldBe(name);
        row.GetProperty("userlevel").GetInt32().ShouldBe(3);
        row.GetProperty("status").GetString().ShouldBe("active");
        body.GetRawText().ShouldNotContain("pw-nina-secret");
        row.TryGetProperty("password", out _).ShouldBeFalse();
        using var client = await app.LoginClientAsync(name.ToLowerInvariant(), "pw-nina-secret");
        using var me = await client.GetAsync("/me");
        (await me.ShouldBeJsonAsync(200)).GetProperty("user").Id().ShouldBe(row.Id());
    }

    [Fact]
    public async Task Username_IsUniqueAcrossPartners_ComparedWithoutCaseOrSurroundingSpace()
    {
        var t = await Tenant.CreateAsync(app, [5]);
        var other = await Tenant.CreateAsync(app, [5]);

        using var same = await t.Admin.Client.PostJsonAsync("/users", new { user = new { username = t.Admin.Username.ToUpperInvariant() + " " } });
        using var elsewhere = await other.Admin.Client.PostJsonAsync("/users", new { user = new { username = t.Admin.Username } });
        var id = (await t.Admin.Client.CreateAsync("users", "user", new { username = $"x{Guid.NewGuid():N}" })).Id();
        using var rename = await t.Admin.Client.PutJsonAsync($"/users/{id}", new { user = new { username = other.Admin.Username } });

        foreach (var response in new[] { same, elsewhere, rename })
        {
            (await response.ShouldBeErrorAsync(400, "validation_failed")).GetProperty("fields").GetProperty("username").GetString().ShouldBe("is already taken");
        }
    }

    [Fact]
    public async Task ParallelCreatesOfOneUsername_CreateExactlyOneUser_AndRefuseTheRest()
    {
        var t = await Tenant.CreateAsync(app, [5]);
        var name = $"race{Guid.NewGuid():N}";

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            t.Admin.Client.PostJsonAsync("/users", new { user = new { username = i % 2 == 0 ? name : name.ToUpperInvariant() } })));

        responses.Count(r => r.StatusCode == HttpStatusCode.Created).ShouldBe(1);
        foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
        {
            (await refused.ShouldBeErrorAsync(400, "validation_failed")).GetProperty("fields").GetProperty("username").GetString().ShouldBe("is already taken");
        }
        using var list = await t.Admin.Client.GetAsync($"/users?username={name}||{name.ToUpperInvariant()}");
        (await list.ShouldBeJsonAsync(200)).GetProperty("count").GetInt32().ShouldBe(1);
    }

    [Fact]
    public async Task SettingAPassword_ChangesTheLogin_AndRevokesTheUsersRefreshTokens()
    {
        var t = await Tenant.CreateAsync(app, [1, 5]);
        var tokens = await app.LoginAsync(t.Worker.Username);

        using var response = await t.Admin.Client.PutJsonAsync($"/users/{t.Worker.Id}", new { user = new { password = "pw-changed-by-admin" } });

        (await response.ShouldBeJsonAsync(200)).GetRawText().ShouldNotContain("pw-changed-by-admin");
        using var anonymous = app.CreateClient();
        using var refresh = await anonymous.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token", ["refresh_token"] = tokens.GetProperty("refresh_token").GetString()!, ["client_id"] = "openapi",
        }));
        await refresh.ShouldBeErrorAsync(400, "invalid_grant");
        await Should.ThrowAsync<InvalidOperationException>(() => app.LoginAsync(t.Worker.Username));
        using var fresh = await app.LoginClientAsync(t.Worker.Username, "pw-changed-by-admin");
        (await fresh.GetAsync("/me")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("remove")]
    [InlineData("inactive")]
    [InlineData("level")]
    public async Task LosingAccess_EndsTheUsersBearerTokensAtOnce(string change)
    {
        var t = await Tenant.CreateAsync(app, [2, 5]);
        (await t.Foreman.Client.GetAsync("/me")).StatusCode.ShouldBe(HttpStatusCode.OK);
        app.Clock.Advance(TimeSpan.FromSeconds(1)); // the token predates the change (revocation voids tokens issued before that second)

        using var response = change switch
        {
            "remove" => await t.Admin.Client.DeleteAsync($"/users/{t.Foreman.Id}"),
            "inactive" => await t.Admin.Client.PutJsonAsync($"/users/{t.Foreman.Id}", new { user = new { status = "inactive" } }),
            _ => await t.Admin.Client.PutJsonAsync($"/users/{t.Foreman.Id}", new { user = new { userlevel = 1 } }),
        };

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var after = await t.Foreman.Client.GetAsync("/me");
        await after.ShouldBeErrorAsync(401, "invalid_token");
        if (change == "level")
        {
            // a new login carries the new level
            using var again = await app.LoginClientAsync(t.Foreman.Username);
            using var me = await again.GetAsync("/me");
            (await me.ShouldBeJsonAsync(200)).GetProperty("user").GetProperty("userlevel").GetInt32().ShouldBe(1);
        }
        else
        {
            await Should.ThrowAsync<InvalidOperationException>(() => app.LoginAsync(t.Foreman.Username));
        }
    }

    [Fact]
    public async Task RestoringARemovedUser_LetsThemLogInAgain()
    {
        var t = await Tenant.CreateAsync(app, [1, 5]);
        (await t.Admin.Client.DeleteAsync($"/users/{t.Worker.Id}")).EnsureSuccessStatusCode();

        using var restore = await t.Admin.Client.PutJsonAsync($"/users/{t.Worker.Id}",
            new { user = new Dictionary<string, object> { ["row_info.status"] = "normal" } });

        restore.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var client = await app.LoginClientAsync(t.Worker.Username);
        (await client.GetAsync("/me")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task AUser_EditsTheirOwnNameAndPassword_ButNotTheirLevelStatusOrUsername()
    {
        var t = await Tenant.CreateAsync(app, [1]);
        var c = t.Worker.Client;

        using var name = await c.PutJsonAsync($"/users/{t.Worker.Id}", new { user = new { firstname = "Wes", lastname = "Field", email = "wes@example.test" } });
        using var level = await c.PutJsonAsync($"/users/{t.Worker.Id}", new { user = new { userlevel = 5 } });
        using var status = await c.PutJsonAsync($"/users/{t.Worker.Id}", new { user = new { status = "inactive" } });
        using var username = await c.PutJsonAsync($"/users/{t.Worker.Id}", new { user = new { username = "renamed" } });
        // Last: a new password ends every token of the user, this very one included (docs/auth.md).
        using var password = await c.PutJsonAsync($"/users/{t.Worker.Id}", new { user = new { password = "pw-my-own-new", current_password = AuthTestExtensions.DefaultPassword } });

        (await name.ShouldBeJsonAsync(200)).GetProperty("user").GetProperty("firstname").GetString().ShouldBe("Wes");
        password.StatusCode.ShouldBe(HttpStatusCode.OK);
        await level.ShouldBeErrorAsync(403, "forbidden");
        await status.ShouldBeErrorAsync(403, "forbidden");
        await username.ShouldBeErrorAsync(403, "forbidden");
        using var relogin = await app.LoginClientAsync(t.Worker.Username, "pw-my-own-new");
        using var me = await relogin.GetAsync("/me");
        (await me.ShouldBeJsonAsync(200)).GetProperty("user").GetProperty("userlevel").GetInt32().ShouldBe(1);
    }

    [Fact]
    public async Task AnAdmin_CannotRemoveOrDeactivateThemselves()
    {
        var t = await Tenant.CreateAsync(app, [5]);

        using var remove = await t.Admin.Client.DeleteAsync($"/users/{t.Admin.Id}");
        using var deactivate = await t.Admin.Client.PutJsonAsync($"/users/{t.Admin.Id}", new { user = new { status = "inactive" } });

        await remove.ShouldBeErrorAsync(403, "forbidden");
        await deactivate.ShouldBeErrorAsync(403, "forbidden");
        (await t.Admin.Client.GetAsync("/me")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task ValidationOff_CannotCreateAUserWithoutAUsername()
    {
        var t = await Tenant.CreateAsync(app, [5]);

        using var response = await t.Admin.Client.PostJsonAsync("/users", new { validation = "off", user = new { firstname = "Nobody" } });

        (await response.ShouldBeErrorAsync(400, "validation_failed")).GetProperty("fields").GetProperty("username").GetString().ShouldNotBeNull();
    }

    [Fact]
    public async Task Me_ReturnsTheUserFormRowAndThePartner()
    {
        var t = await Tenant.CreateAsync(app, [2]);

        using var response = await t.Foreman.Client.GetAsync("/1.1/me");

        var body = await response.ShouldBeJsonAsync(200);
        body.Keys().ShouldBe(["userid", "username", "partnerid", "userlevel", "user", "partner"]); // otta-cli reads who it is from the top level
        var user = body.GetProperty("user");
        user.Keys().ShouldBe(["row_info", "id", .. SampleRows.FieldOrder["user"]]);
        user.Id().ShouldBe(t.Foreman.Id);
        user.GetProperty("username").GetString().ShouldBe(t.Foreman.Username);
        user.GetProperty("row_info").GetProperty("privilege_edit").GetBoolean().ShouldBeTrue(); // own name and password
        user.GetProperty("row_info").GetProperty("privilege_remove").GetBoolean().ShouldBeFalse();
        var partner = body.GetProperty("partner");
        partner.Keys().ShouldBe(["id", "name", "country", "created"]);
        partner.Id().ShouldBe(t.PartnerId);
        partner.GetProperty("country").GetString().ShouldBe("fi");
    }
}
