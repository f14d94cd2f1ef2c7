using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Worktime.Api.Tests.Forms;

/// <summary>Sideloading referenced rows: <c>sideload=true</c>, <c>sideload[]=field.display</c> and the PHP client's <c>sideload[0]=</c>.</summary>
public sealed class SideloadTests(FindAllFixture data) : IClassFixture<FindAllFixture>
{
    [Fact]
    public async Task SideloadTrue_AddsEveryReferencedFormWithIdAndDisplayFields_OnlyForRowsOnThePage()
    {
        using var response = await data.T.Admin.Client.GetAsync("/worktimes?sideload=true");

        var body = await response.ShouldBeJsonAsync(200);
        body.Keys().ShouldBe(["worktimes", "count", "users", "projects", "tasks", "subtasks", "worktypes"]);
        Rows(body, "users").ShouldBe([$"{{\"id\":{data.Ids["worker"]},\"firstname\":null,\"lastname\":null}}",
            $"{{\"id\":{data.Ids["other"]},\"firstname\":null,\"lastname\":null}}"]);
        Rows(body, "projects").ShouldBe([$"{{\"id\":{data.Ids["P1"]},\"name\":\"P1\"}}", $"{{\"id\":{data.Ids["P2"]},\"name\":\"P2\"}}"]);
        Rows(body, "tasks").ShouldBe([$"{{\"id\":{data.Ids["T1"]},\"name\":\"Alpha\"}}"]);
        Rows(body, "subtasks").ShouldBeEmpty();
        Rows(body, "worktypes").ShouldBe([$"{{\"id\":{data.Ids["W1"]},\"name\":\"W1\"}}"]);
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

    private static string[] Rows(JsonElement body, string key) =>
        body.GetProperty(key).EnumerateArray().Select(r => r.GetRawText()).ToArray();
}
