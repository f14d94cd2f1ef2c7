using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Worktime.Api.Tests.MultiNode;

/// <summary>Issue 4 item 4: two real server processes on one database behave as one service.</summary>
public sealed class TwoNodesTests(TwoNodes nodes) : IClassFixture<TwoNodes>
{
    [Fact]
    public async Task TwoNodes_StartedTogetherOnOneEmptyDatabase_BothReady()
    {
        foreach (var node in new[] { nodes.A, nodes.B })
        {
            var response = await node.Client.GetAsync("/health/ready");

            response.StatusCode.ShouldBe(HttpStatusCode.OK, node.Output);
            (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString().ShouldBe("ready");
        }
        nodes.A.Port.ShouldNotBe(nodes.B.Port);
    }
}
