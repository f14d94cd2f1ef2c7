using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Worktime.Api.Accounts;
using Worktime.Api.Tests.Auth;
using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.Forms;

/// <summary>
/// The users form's account rules (issue 8, items 6, 7, 10, 12), through HTTP: one's own password needs the current
/// one, login names follow RFC 8265, the last level-5 user stays, and hashing takes the login's bounded slots.
/// </summary>
[VariesWith(Vary.BackendAndCulture)]
public sealed class AccountHardeningTests(FakeClockFixture fixture) : IClassFixture<FakeClockFixture>
{
    private readonly WorktimeApplication app = fixture.App;

    private static string Tag() => Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task OwnPasswordChange_WithoutOrWithAWrongCurrentPassword_IsRefused_AndChangesNothing()
    {
        var t = await Tenant.CreateAsync(app, [1, 5]);

        using var missing = await t.Worker.Client.PutJsonAsync($"/users/{t.Worker.Id}", new { user = new { password = "pw-new-1" } });
        using var wrong = await t.Worker.Client.PutJsonAsync($"/users/{t.Worker.Id}",
            new { user = new { password = "pw-new-1", current_password = "not-my-password" } });
        using var adminOwn = await t.Admin.Client.PutJsonAsync($"/users/{t.Admin.Id}", new { user = new { password = "pw-new-2" } });

        (await missing.ShouldBeErrorAsync(400, "validation_failed")).GetProperty("fields").GetProperty("current_password").GetString()
            .ShouldBe("is required to change your own password");
        await wrong.ShouldBeErrorAsync(403, "forbidden");
        await adminOwn.ShouldBeErrorAsync(400, "validation_failed");
        (await app.LoginAsync(t.Worker.Username)).GetProperty("user_id").GetInt64().ShouldBe(t.Worker.Id);
        (await app.LoginAsync(t.Admin.Username)).GetProperty("user_id").GetInt64().ShouldBe(t.Admin.Id);
    }

    [Fact]
    public async Task OwnPasswordChange_WithTheCurrentPassword_Works_AndAnAdminSetsAnothersWithoutIt()
    {
        var t = await Tenant.CreateAsync(app, [1, 2, 5]);

        using var own = await t.Worker.Client.PutJsonAsync($"/users/{t.Worker.Id}",
            new { user = new { password = "pw-own-new", current_password = AuthTestExtensions.DefaultPassword } });
        using var other = await t.Admin.Client.PutJsonAsync($"/users/{t.Foreman.Id}", new { user = new { password = "pw-set-by-admin" } });

        own.StatusCode.ShouldBe(HttpStatusCode.OK);
        other.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await app.LoginAsync(t.Worker.Username, "pw-own-new")).GetProperty("user_id").GetInt64().ShouldBe(t.Worker.Id);
        (await app.LoginAsync(t.Foreman.Username, "pw-set-by-admin")).GetProperty("user_id").GetInt64().ShouldBe(t.Foreman.Id);
    }

    [Theory]
    [InlineData("zero\u200Bwidth", "must not contain invisible format characters")]
    [InlineData("\u202Egnp.exe", "must not contain invisible format characters")]
    [InlineData("bell\u0007", "must not contain control characters")]
    [InlineData(" \u00A0\u3000 ", "must not be empty or only spaces")]
    [InlineData("two  spaces", "must not contain two spaces in a row")]
    [InlineData("smile\U0001F600", "only letters, digits and printable ASCII")]
    public async Task Usernames_WithInvisibleControlOrSymbolCharacters_AreRefused(string username, string problem)
    {
        var t = await Tenant.CreateAsync(app, [5]);
        var tagged = username.Contains(' ', StringComparison.Ordinal) && username.Trim().Length == 0 ? username : username + Tag();

        using var response = await t.Admin.Client.PostJsonAsync("/users", new { user = new { username = tagged, password = "pw-x" } });

        (await response.ShouldBeErrorAsync(400, "validation_failed")).GetProperty("fields").GetProperty("username").GetString()!
            .ShouldContain(problem);
        (await app.ScalarAsync<long>("SELECT COUNT(*) FROM users WHERE partner_id = @p", new { p = t.PartnerId })).ShouldBe(1);
    }

    [Theory]
    [InlineData("\u0130stanbul.", "i\u0307stanbul.")] // İ and i + combining dot above: one name by full case folding
    [InlineData("Stra\u00DFe.", "STRASSE.")] // ß folds to ss
    [InlineData("\uFF26\uFF35\uFF2C\uFF2C.", "full.")] // fullwidth letters: NFKC
    [InlineData("\u03A3\u03BF\u03C6\u03AF\u03B1.", "\u03C3\u03BF\u03C6\u03AF\u03B1.")] // Σ/σ
    [InlineData("\u1F88.", "\u1F00\u03B9.")] // ᾈ folds to ἀι
    public async Task Usernames_ThatCaseFoldToTheSameName_CollideAndLogInAsOne(string first, string second)
    {
        var t = await Tenant.CreateAsync(app, [5]);
        var tag = Tag();

        using var created = await t.Admin.Client.PostJsonAsync("/users", new { user = new { username = first + tag, password = "pw-fold-1" } });
        using var clash = await t.Admin.Client.PostJsonAsync("/users", new { user = new { username = second + tag, password = "pw-fold-2" } });

        var id = (await created.ShouldBeJsonAsync(201)).GetProperty("user").GetProperty("id").GetInt64();
        (await clash.ShouldBeErrorAsync(400, "validation_failed")).GetProperty("fields").GetProperty("username").GetString().ShouldBe("is already taken");
        (await app.LoginAsync(second + tag, "pw-fold-1")).GetProperty("user_id").GetInt64().ShouldBe(id);
    }

    [Fact]
    public async Task TheLastActiveLevel5User_CannotDemoteItself_ButCanOnceAnotherExists()
    {
        var t = await Tenant.CreateAsync(app, [1, 5]);

        using var alone = await t.Admin.Client.PutJsonAsync($"/users/{t.Admin.Id}", new { user = new { userlevel = 4 } });
        using var deactivate = await t.Admin.Client.PutJsonAsync($"/users/{t.Admin.Id}", new { user = new { status = "inactive" } });
        using var promote = await t.Admin.Client.PutJsonAsync($"/users/{t.Worker.Id}", new { user = new { userlevel = 5 } });
        using var withAnother = await t.Admin.Client.PutJsonAsync($"/users/{t.Admin.Id}", new { user = new { userlevel = 4 } });

        (await alone.ShouldBeErrorAsync(403, "forbidden")).GetProperty("error_description").GetString()!.ShouldContain("last active level-5 user");
        await deactivate.ShouldBeErrorAsync(403, "forbidden");
        promote.StatusCode.ShouldBe(HttpStatusCode.OK);
        withAnother.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await app.ScalarAsync<long>("SELECT userlevel FROM users WHERE id = @id", new { id = t.Admin.Id })).ShouldBe(4);
    }

    [Fact]
    public async Task PasswordHashing_InTheUsersForm_TakesTheLoginsBoundedSlots()
    {
        await using var busy = await WorktimeApplication.StartAsync(o => { o.Settings["Auth:HashConcurrency"] = "1"; o.Settings["Auth:HashQueueTimeout"] = "00:00:00.200"; });
        var partner = await busy.CreatePartnerAsync();
        var worker = await busy.CreateUserAsync(partner, "slot.worker", 1);
        await busy.CreateUserAsync(partner, "slot.admin", 5);
        using var admin = await busy.LoginClientAsync("slot.admin");
        var hasher = busy.Services.GetRequiredService<PasswordHasher>();
        using var counters = new AuthCounters(busy);
        using var release = new ManualResetEventSlim();
        var holding = new TaskCompletionSource();
        var holder = Task.Run(() => hasher.RunGatedAsync(() => { holding.SetResult(); release.Wait(); return 0; }, CancellationToken.None));
        await holding.Task;

        using var refused = await admin.PutJsonAsync($"/users/{worker}", new { user = new { password = "pw-while-busy" } });
        release.Set();
        await holder;
        using var accepted = await admin.PutJsonAsync($"/users/{worker}", new { user = new { password = "pw-after-busy" } });

        await refused.ShouldBeErrorAsync(429, "temporarily_unavailable");
        accepted.StatusCode.ShouldBe(HttpStatusCode.OK);
        counters.PeakConcurrency.ShouldBe(1);
        (await busy.LoginAsync("slot.worker", "pw-after-busy")).GetProperty("user_id").GetInt64().ShouldBe(worker);
    }
}
