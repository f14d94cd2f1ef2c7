using System.Text.Json;
using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.Forms;

/// <summary><c>GET /forms</c> and <c>GET /forms/&lt;form&gt;</c> (docs/forms.md).</summary>
[VariesWith(Vary.Culture)]
public sealed class FormMetadataTests(FakeClockFixture fixture) : IClassFixture<FakeClockFixture>
{
    private readonly WorktimeApplication app = fixture.App;

    [Fact]
    public async Task Forms_ListsEveryBuiltInForm()
    {
        var t = await Tenant.CreateAsync(app, [1]);

        using var response = await t.Worker.Client.GetAsync("/forms");

        var body = await response.ShouldBeJsonAsync(200);
        body.GetProperty("forms").EnumerateArray().Select(f => f.GetProperty("name").GetString()).ShouldBe(SampleRows.Forms);
        body.GetProperty("count").GetInt32().ShouldBe(15);
    }

    [Fact]
    public async Task Worktime_DescribesFieldsTypesOptionsAndReferences()
    {
        var t = await Tenant.CreateAsync(app, [1]);

        using var response = await t.Worker.Client.GetAsync("/1.1/forms/worktime");

        var form = (await response.ShouldBeJsonAsync(200)).GetProperty("form");
        form.Keys().ShouldBe(["name", "plural", "date_field", "fields", "links", "display_fields"]);
        form.GetProperty("name").GetString().ShouldBe("worktime");
        form.GetProperty("plural").GetString().ShouldBe("worktimes");
        form.GetProperty("date_field").GetString().ShouldBe("date");
        var fields = form.GetProperty("fields").EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!, f => f.GetRawText());
        fields.Keys.ShouldBe(SampleRows.FieldOrder["worktime"]);
        fields["date"].ShouldBe("{\"name\":\"date\",\"type\":\"date\",\"required\":true}");
        fields["project"].ShouldBe("{\"name\":\"project\",\"type\":\"database\",\"form\":\"project\"}");
        fields["status"].ShouldBe("{\"name\":\"status\",\"type\":\"dropdown\",\"options\":[\"open\",\"accepted\",\"locked\"],\"default\":\"open\"}");
        fields["pause"].ShouldBe("{\"name\":\"pause\",\"type\":\"minutes\"}");
        fields["work_hours"].ShouldBe("{\"name\":\"work_hours\",\"type\":\"computed\",\"read_only\":true}");
    }

    [Theory]
    [InlineData("user", "password", "{\"name\":\"password\",\"type\":\"text\",\"write_only\":true}")]
    [InlineData("user", "userlevel", "{\"name\":\"userlevel\",\"type\":\"number\",\"default\":\"1\",\"min\":1,\"max\":5}")]
    [InlineData("project", "image", "{\"name\":\"image\",\"type\":\"array\"}")]
    [InlineData("abcensetype", "type", "{\"name\":\"type\",\"type\":\"dropdown\",\"options\":[\"days\",\"hours\",\"both\"],\"default\":\"days\"}")]
    public async Task Field_DescriptionsCarryTheirRules(string formName, string field, string expected)
    {
        var t = await Tenant.CreateAsync(app, [1]);

        using var response = await t.Worker.Client.GetAsync($"/forms/{formName}");

        var form = (await response.ShouldBeJsonAsync(200)).GetProperty("form");
        form.GetProperty("fields").EnumerateArray().Single(f => f.GetProperty("name").GetString() == field).GetRawText().ShouldBe(expected);
    }

    [Fact]
    public async Task Project_ListsItsLinks_AndAbcenseItsDateField()
    {
        var t = await Tenant.CreateAsync(app, [1]);

        using var project = await t.Worker.Client.GetAsync("/forms/project");
        using var abcense = await t.Worker.Client.GetAsync("/forms/abcenses");

        (await project.ShouldBeJsonAsync(200)).GetProperty("form").GetProperty("links").GetRawText().ShouldBe("[\"link.tasks\"]");
        (await abcense.ShouldBeJsonAsync(200)).GetProperty("form").GetProperty("date_field").GetString().ShouldBe("startdate");
    }

    [Fact]
    public async Task FormsRoutes_WithoutAToken_Return401()
    {
        foreach (var path in new[] { "/forms", "/forms/worktime", "/worktimes", "/worktimes/1", "/worktime/tasks" })
        {
            using var response = await app.CreateClient().GetAsync(path);
            await response.ShouldBeErrorAsync(401, "invalid_request");
            response.Headers.Contains("x-collectorapi-request-limit").ShouldBeFalse();
        }
    }
}
