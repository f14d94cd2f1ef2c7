using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.Forms;

/// <summary>Create, read, partial update, soft delete and restore for every built-in form, with the exact row shape of docs/forms.md.</summary>
[VariesWith(Vary.BackendAndCulture)]
public sealed class FormCrudTests(FakeClockFixture fixture) : IClassFixture<FakeClockFixture>
{
    private readonly WorktimeApplication app = fixture.App;

    public static TheoryData<string> AllForms => new(SampleRows.Forms);

    [Theory]
    [MemberData(nameof(AllForms))]
    public async Task Create_Returns201WithRowInfoFirstThenIdThenFieldsInDefinitionOrder(string form)
    {
        var t = await Tenant.CreateAsync(app, [5]);
        var body = await SampleRows.BodyAsync(form, t.Admin);

        using var response = await t.Admin.Client.PostJsonAsync($"/{SampleRows.Plural(form)}", new Dictionary<string, object> { [form] = body });

        var json = await response.ShouldBeJsonAsync(201);
        response.Content.Headers.ContentType!.CharSet.ShouldBe("utf-8");
        json.Keys().ShouldBe([form]);
        var row = json.GetProperty(form);
        string[] links = form switch { "project" => ["link.tasks"], "task" => ["link.projects"], _ => [] };
        row.Keys().ShouldBe(["row_info", "id", .. SampleRows.FieldOrder[form], .. links]);
        var info = row.GetProperty("row_info");
        info.Keys().ShouldBe(["created", "modified", "partnerid", "creatorid", "status", "privilege_remove", "privilege_edit"]);
        info.GetProperty("created").GetString().ShouldBe("2026-11-02 08:00:00");
        info.GetProperty("modified").ValueKind.ShouldBe(JsonValueKind.Null);
        info.GetProperty("partnerid").GetString().ShouldBe(t.PartnerId.ToString(CultureInfo.InvariantCulture));
        info.GetProperty("creatorid").GetString().ShouldBe(t.Admin.Id.ToString(CultureInfo.InvariantCulture));
        info.GetProperty("status").GetString().ShouldBe("normal");
        info.GetProperty("privilege_remove").GetBoolean().ShouldBeTrue();
        info.GetProperty("privilege_edit").GetBoolean().ShouldBeTrue();
        row.GetProperty("id").ValueKind.ShouldBe(JsonValueKind.Number);
        foreach (var (field, value) in body.Where(p => p.Key != "password"))
        {
            JsonNode.DeepEquals(JsonNode.Parse(row.GetProperty(field).GetRawText()), value).ShouldBeTrue($"{field}: {row.GetProperty(field)} vs {value?.ToJsonString()}");
        }
        row.TryGetProperty("password", out _).ShouldBeFalse("a password is write-only");
    }

    [Theory]
    [MemberData(nameof(AllForms))]
    public async Task GetOne_AtRootAndUnder11_ReturnsTheCreatedRow(string form)
    {
        var t = await Tenant.CreateAsync(app, [5]);
        var created = await SampleRows.CreateAsync(form, t.Admin);

        foreach (var prefix in new[] { "", "/1.1" })
        {
            using var response = await t.Admin.Client.GetAsync($"{prefix}/{SampleRows.Plural(form)}/{created.Id()}");

            var json = await response.ShouldBeJsonAsync(200);
            json.Keys().ShouldBe([form]);
            JsonNode.DeepEquals(JsonNode.Parse(json.GetProperty(form).GetRawText()), JsonNode.Parse(created.GetRawText())).ShouldBeTrue();
        }
    }

    [Theory]
    [MemberData(nameof(AllForms))]
    public async Task Update_ChangesOnlyTheGivenField_AndSetsModified(string form)
    {
        var t = await Tenant.CreateAsync(app, [5]);
        var created = await SampleRows.CreateAsync(form, t.Admin);
        var (field, value) = SampleRows.Update(form);

        using var response = await t.Admin.Client.PutJsonAsync($"/{SampleRows.Plural(form)}/{created.Id()}",
            new Dictionary<string, object> { [form] = new Dictionary<string, object> { [field] = value } });

        var row = (await response.ShouldBeJsonAsync(200)).GetProperty(form);
        JsonNode.DeepEquals(JsonNode.Parse(row.GetProperty(field).GetRawText()), JsonSerializer.SerializeToNode(value)).ShouldBeTrue();
        row.GetProperty("row_info").GetProperty("modified").GetString().ShouldBe("2026-11-02 08:00:00");
        foreach (var other in SampleRows.FieldOrder[form].Where(f => f != field))
        {
            row.GetProperty(other).GetRawText().ShouldBe(created.GetProperty(other).GetRawText(), other);
        }
    }

    [Theory]
    [MemberData(nameof(AllForms))]
    public async Task Delete_IsSoft_AndRestoreViaRowInfoStatusBringsTheRowBack(string form)
    {
        var t = await Tenant.CreateAsync(app, [5]);
        var plural = SampleRows.Plural(form);
        var id = (await SampleRows.CreateAsync(form, t.Admin)).Id();
        var date = form switch { "worktime" => "&date=2026-11-01_2026-11-30", "abcense" => "&startdate=CURRENT", _ => "" };

        using var delete = await t.Admin.Client.DeleteAsync($"/{plural}/{id}");
        (await delete.ShouldBeJsonAsync(200)).GetRawText().ShouldBe("{\"removed\":true}");

        using var removed = await t.Admin.Client.GetAsync($"/{plural}/{id}");
        (await removed.ShouldBeJsonAsync(200)).GetProperty(form).GetProperty("row_info").GetProperty("status").GetString().ShouldBe("removed");
        (await CountAsync(t, $"/{plural}?id={id}{date}")).ShouldBe(0);
        (await CountAsync(t, $"/{plural}?id={id}&row_info.status=removed{date}")).ShouldBe(1);
        (await CountAsync(t, $"/{plural}?id={id}&row_info.status=all{date}")).ShouldBe(1);

        using var restore = await t.Admin.Client.PutJsonAsync($"/{plural}/{id}",
            new Dictionary<string, object> { [form] = new Dictionary<string, object> { ["row_info.status"] = "normal" } });
        (await restore.ShouldBeJsonAsync(200)).GetProperty(form).GetProperty("row_info").GetProperty("status").GetString().ShouldBe("normal");
        (await CountAsync(t, $"/{plural}?id={id}{date}")).ShouldBe(1);
        (await CountAsync(t, $"/{plural}?id={id}&row_info.status=removed{date}")).ShouldBe(0);
    }

    [Fact]
    public async Task Delete_OfAnAlreadyRemovedRow_SucceedsAndChangesNothing()
    {
        var t = await Tenant.CreateAsync(app, [5]);
        var id = (await SampleRows.CreateAsync("task", t.Admin)).Id();
        (await t.Admin.Client.DeleteAsync($"/tasks/{id}")).EnsureSuccessStatusCode();

        using var again = await t.Admin.Client.DeleteAsync($"/tasks/{id}");

        (await again.ShouldBeJsonAsync(200)).GetProperty("removed").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task Update_OfARemovedRowWithoutRestoring_Returns409AndChangesNothing()
    {
        var t = await Tenant.CreateAsync(app, [5]);
        var id = (await SampleRows.CreateAsync("task", t.Admin)).Id();
        (await t.Admin.Client.DeleteAsync($"/tasks/{id}")).EnsureSuccessStatusCode();

        using var response = await t.Admin.Client.PutJsonAsync($"/tasks/{id}", new { task = new { name = "Ghost" } });

        await response.ShouldBeErrorAsync(409, "row_removed");
        using var get = await t.Admin.Client.GetAsync($"/tasks/{id}");
        (await get.ShouldBeJsonAsync(200)).GetProperty("task").GetProperty("name").GetString().ShouldBe("Painting");
    }

    [Fact]
    public async Task RestoreAndEdit_InOneCall_AppliesBoth()
    {
        var t = await Tenant.CreateAsync(app, [5]);
        var id = (await SampleRows.CreateAsync("task", t.Admin)).Id();
        (await t.Admin.Client.DeleteAsync($"/tasks/{id}")).EnsureSuccessStatusCode();

        using var response = await t.Admin.Client.PutJsonAsync($"/tasks/{id}",
            new { task = new Dictionary<string, object> { ["row_info.status"] = "normal", ["name"] = "Back" } });

        var row = (await response.ShouldBeJsonAsync(200)).GetProperty("task");
        row.GetProperty("row_info").GetProperty("status").GetString().ShouldBe("normal");
        row.GetProperty("name").GetString().ShouldBe("Back");
    }

    [Theory]
    [InlineData("GET", "/tasks/999999999")]
    [InlineData("PUT", "/tasks/999999999")]
    [InlineData("DELETE", "/tasks/999999999")]
    [InlineData("GET", "/tasks/abc")]
    [InlineData("PUT", "/tasks/-1")]
    [InlineData("DELETE", "/tasks/0")]
    public async Task MissingOrMalformedId_Returns404(string method, string path)
    {
        var t = await Tenant.CreateAsync(app, [5]);

        using var response = await t.Admin.Client.SendRawAsync(new HttpMethod(method), path, "{\"task\":{\"name\":\"x\"}}");

        await response.ShouldBeErrorAsync(404, "not_found");
    }

    private static async Task<int> CountAsync(Tenant t, string path)
    {
        using var response = await t.Admin.Client.GetAsync(path);
        var json = await response.ShouldBeJsonAsync(200);
        return json.GetProperty("count").GetInt32();
    }
}
