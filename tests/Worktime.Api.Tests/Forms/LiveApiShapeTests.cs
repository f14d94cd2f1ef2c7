using System.Text;
using System.Text.Json;
using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.Forms;

/// <summary>Shapes real clients rely on because the live API has them: <c>/me</c>'s top-level identity, arrays never null.</summary>
[VariesWith(Vary.BackendAndCulture)]
public sealed class LiveApiShapeTests(FakeClockFixture fixture) : IClassFixture<FakeClockFixture>
{
    private readonly WorktimeApplication app = fixture.App;

    private static readonly string[] OneImage = ["a.jpg"];

    [Fact]
    public async Task Me_RepeatsTheAccessTokensClaims_AtTheTopLevel_WithTheirJsonTypes()
    {
        var t = await Tenant.CreateAsync(app, [3]);
        var tokens = await app.LoginAsync(t.Supervisor.Username);
        var claims = Claims(tokens.GetProperty("access_token").GetString()!);
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", tokens.GetProperty("access_token").GetString());

        using var response = await client.GetAsync("/me");

        var me = await response.ShouldBeJsonAsync(200);
        foreach (var claim in new[] { "userid", "username", "partnerid", "userlevel" })
        {
            me.GetProperty(claim).GetRawText().ShouldBe(claims.GetProperty(claim).GetRawText(), claim);
        }
        me.GetProperty("userid").GetString().ShouldBe(t.Supervisor.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        me.GetProperty("userlevel").GetString().ShouldBe("3");
        me.GetProperty("user").Id().ShouldBe(t.Supervisor.Id); // the row and partner stay
        me.GetProperty("partner").GetProperty("id").GetInt64().ShouldBe(t.PartnerId);
    }


    [Fact]
    public async Task ArrayFields_AreEmptyArrays_NeverNull()
    {
        var t = await Tenant.CreateAsync(app, [5]);
        var c = t.Admin.Client;
        var created = await c.CreateAsync("projects", "project", new { name = "No pictures" });
        var withImages = await c.CreateAsync("projects", "project", new { name = "Pictures", image = OneImage });
        using var cleared = await c.PutJsonAsync($"/projects/{withImages.Id()}", new { project = new { image = Array.Empty<string>() } });
        using var nulled = await c.PutJsonAsync($"/projects/{withImages.Id()}", new { project = new { image = (string[]?)null } });
        using var listed = await c.GetAsync("/projects");

        created.GetProperty("image").GetRawText().ShouldBe("[]");
        (await cleared.ShouldBeJsonAsync(200)).GetProperty("project").GetProperty("image").GetRawText().ShouldBe("[]");
        (await nulled.ShouldBeJsonAsync(200)).GetProperty("project").GetProperty("image").GetRawText().ShouldBe("[]");
        (await listed.ShouldBeJsonAsync(200)).GetProperty("projects").EnumerateArray()
            .Select(p => p.GetProperty("image").GetRawText()).ShouldAllBe(i => i == "[]");
    }

    private static JsonElement Claims(string jwt)
    {
        var payload = jwt.Split('.')[1].Replace('-', '+').Replace('_', '/');
        payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
        return JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload))).RootElement.Clone();
    }
}
