using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.Forms;

/// <summary>Sideloading referenced rows: <c>sideload=true</c>, <c>sideload[]=field.display</c> and the PHP client's <c>sideload[0]=</c>.</summary>
[VariesWith(Vary.BackendAndCulture)]
public sealed class SideloadTests(FindAllFixture data) : IClassFixture<FindAllFixture>
{
    [Fact]
    public async Task SideloadTrue_AddsEveryReferencedFormWithIdAndDisplayFields_OnlyForRowsOnThePage()
    {
        using var response = await data.T.Admin.Client.GetAsync("/worktimes?sideload=true");

        var body = await response.ShouldBeJsonAsync(200);
        // No "subtasks": no row on the page has one, and a sideload key appears only when it has rows (the live API's shape).
        body.Keys().ShouldBe(["worktimes", "count", "users", "projects", "tasks", "worktypes"]);
        Rows(body, "users").ShouldBe([$"{{\"id\":{data.Ids["worker"]},\"firstname\":null,\"lastname\":null}}",
            $"{{\"id\":{data.Ids["other"]},\"firstname\":null,\"lastname\":null}}"], ignoreOrder: true);
        Rows(body, "projects").ShouldBe([$"{{\"id\":{data.Ids["P1"]},\"name\":\"P1\"}}", $"{{\"id\":{data.Ids["P2"]},\"name\":\"P2\"}}"], ignoreOrder: true);
        Rows(body, "tasks").ShouldBe([$"{{\"id\":{data.Ids["T1"]},\"name\":\"Alpha\"}}"]);
        Rows(body, "worktypes").ShouldBe([$"{{\"id\":{data.Ids["W1"]},\"name\":\"W1\"}}"]);
        SideloadIds(body, "users").ShouldBe(FirstAppearance(body, "user", "superior"));
        SideloadIds(body, "projects").ShouldBe(FirstAppearance(body, "project"));
    }

    [Fact]
    public async Task SideloadRows_FollowTheirFirstAppearanceOnThePage_NotTheirIds()
    {
        // Newest first: the other worker's night shift (11-10) leads the page, though the worker has the lower id.
        using var response = await data.T.Admin.Client.GetAsync("/worktimes?order=-date&sideload=true");

        var body = await response.ShouldBeJsonAsync(200);
        SideloadIds(body, "users").ShouldBe([data.Ids["other"], data.Ids["worker"]]);
        SideloadIds(body, "users").ShouldBe(FirstAppearance(body, "user", "superior"));
        SideloadIds(body, "projects").ShouldBe(FirstAppearance(body, "project"));
    }

    [Fact]
    public async Task SideloadTrue_OnRowsWithoutReferences_AddsNoKey()
    {
        using var response = await data.T.Admin.Client.GetAsync("/projects?sideload=true");

        (await response.ShouldBeJsonAsync(200)).Keys().ShouldBe(["projects", "count"]);
    }

    [Theory]
    [InlineData("sideload[]=project.name")]
    [InlineData("sideload[0]=project.name")]
    [InlineData("sideload%5B%5D=project.name")]
    [InlineData("sideload%5B0%5D=project.name")]
    [InlineData("sideload[]=project")] // the target's display fields
    public async Task SideloadList_AddsOnlyTheNamedReference(string query)
    {
        using var response = await data.T.Admin.Client.GetAsync($"/worktimes?project={data.Ids["P2"]}&{query}");

        var body = await response.ShouldBeJsonAsync(200);
        body.Keys().ShouldBe(["worktimes", "count", "projects"]);
        Rows(body, "projects").ShouldBe([$"{{\"id\":{data.Ids["P2"]},\"name\":\"P2\"}}"]);
    }

    [Fact]
    public async Task SideloadIndexedList_CombinesSeveralFieldsAndDisplayFields()
    {
        using var response = await data.T.Admin.Client.GetAsync(
            $"/worktimes?id={data.Ids["c"]}&sideload[0]=task.number&sideload[1]=task.name&sideload[2]=user.lastname");

        var body = await response.ShouldBeJsonAsync(200);
        body.Keys().ShouldBe(["worktimes", "count", "users", "tasks"]);
        Rows(body, "tasks").ShouldBe([$"{{\"id\":{data.Ids["T1"]},\"number\":\"3\",\"name\":\"Alpha\"}}"]);
        Rows(body, "users").ShouldBe([$"{{\"id\":{data.Ids["worker"]},\"lastname\":null}}"]);
    }

    [Theory]
    [InlineData("sideload=false")]
    [InlineData("sideload=0")]
    public async Task SideloadFalse_AddsNothing(string query)
    {
        using var response = await data.T.Admin.Client.GetAsync("/worktimes?" + query);

        (await response.ShouldBeJsonAsync(200)).Keys().ShouldBe(["worktimes", "count"]);
    }

    [Fact]
    public async Task PostFindAll_TakesTheParametersFromAFormEncodedBody()
    {
        var content = new StringContent($"project={data.Ids["P1"]}&sideload%5B0%5D=project.name&order=-date", Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");

        using var response = await data.T.Admin.Client.PostAsync("/1.1/service/postFindAll?form=worktime", content);

        var body = await response.ShouldBeJsonAsync(200);
        body.Keys().ShouldBe(["worktimes", "count", "projects"]);
        string.Join(' ', body.GetProperty("worktimes").EnumerateArray().Select(r => r.GetProperty("description").GetString())).ShouldBe("g a");
        Rows(body, "projects").ShouldBe([$"{{\"id\":{data.Ids["P1"]},\"name\":\"P1\"}}"]);
    }

    [Theory]
    [InlineData("/service/postFindAll?form=nosuch", 404, "not_found")]
    [InlineData("/service/postFindAll", 404, "not_found")]
    [InlineData("/service/postFindAll?form=worktime&limit=-1", 400, "invalid_filter")]
    public async Task PostFindAll_WithBadFormOrParameters_ReturnsJsonError(string path, int status, string error)
    {
        using var response = await data.T.Admin.Client.PostAsync(path, new StringContent("", Encoding.UTF8, "application/x-www-form-urlencoded"));

        await response.ShouldBeErrorAsync(status, error);
    }

    private static List<long> SideloadIds(JsonElement body, string key) =>
        body.GetProperty(key).EnumerateArray().Select(r => r.GetProperty("id").GetInt64()).ToList();

    /// <summary>Referenced ids in the order they first appear on the page: row by row, field by field.</summary>
    private static List<long> FirstAppearance(JsonElement body, params string[] fields) =>
        body.GetProperty("worktimes").EnumerateArray()
            .SelectMany(row => fields.Select(f => row.GetProperty(f)))
            .Where(v => v.ValueKind == JsonValueKind.Number).Select(v => v.GetInt64()).Distinct().ToList();

    private static string[] Rows(JsonElement body, string key) =>
        body.GetProperty(key).EnumerateArray().Select(r => r.GetRawText()).ToArray();
}
