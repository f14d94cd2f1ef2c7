using System.Net.Http.Headers;
using Worktime.Api.Forms.Definitions;
using Worktime.Api.Tests.Forms;
using Worktime.Api.Tests.MultiNode;

namespace Worktime.Api.Tests.Backups;

/// <summary>Rows of every form (and a project-task link) made over HTTP on a real node, and findAll of every form as text.</summary>
public static class TenantData
{
    /// <summary>An HttpClient of <paramref name="node"/> carrying <paramref name="access"/>, as a <see cref="TenantUser"/> for <see cref="SampleRows"/>.</summary>
    public static TenantUser As(ServerProcess node, long id, int level, string username, string access)
    {
        var client = new HttpClient { BaseAddress = node.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", access);
        return new TenantUser(id, level, username, client);
    }

    /// <summary>A row of every form (with the rows it references) and a project linked to two tasks.</summary>
    public static async Task FillAsync(TenantUser admin)
    {
        foreach (var form in SampleRows.Forms)
        {
            await SampleRows.CreateAsync(form, admin);
        }
        var tasks = new[]
        {
            (await admin.Client.CreateAsync("tasks", "task", new { name = "Linked 1" })).Id(),
            (await admin.Client.CreateAsync("tasks", "task", new { name = "Linked 2" })).Id(),
        };
        await admin.Client.CreateAsync("projects", "project", new Dictionary<string, object> { ["name"] = "Linked", ["link.tasks"] = tasks });
    }

    /// <summary>The body of findAll of every form (all dates), form by form: what a client sees of the partner.</summary>
    public static async Task<Dictionary<string, string>> FindAllAsync(HttpClient client)
    {
        var bodies = new Dictionary<string, string>();
        foreach (var form in FormRegistry.BuiltIn.All)
        {
            var range = form.DateField is { } date ? $"&{date}=2000-01-01_2099-12-31" : "";
            using var response = await client.GetAsync($"/{form.PluralKey}?limit=100&sideload=true{range}");
            bodies[form.PluralKey] = await response.ShouldBeJsonAsync(200) is var body ? body.GetRawText() : "";
        }
        return bodies;
    }
}
