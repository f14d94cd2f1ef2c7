using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Worktime.Api.Accounts;
using Worktime.Api.Tests.Infrastructure;
using Worktime.Api.Tests.MultiNode;

namespace Worktime.Api.Tests.Backups;

/// <summary>Real server processes on a database, as the backup, restore and copy tests start them.</summary>
public static class Node
{
    public const string Password = "pw-keeping-the-data-1";

    /// <summary>The settings of a node on <paramref name="connectionString"/>: cheap hashing, no quota in the way.</summary>
    public static Dictionary<string, string> Environment(string connectionString) => new()
    {
        ["ConnectionStrings__Worktime"] = connectionString,
        ["Auth__Argon2__MemoryKiB"] = "8192",
        ["Auth__Argon2__Iterations"] = "1",
        ["Auth__Issuer"] = "http://worktime.test",
        ["Auth__Audience"] = "http://worktime.test",
        ["RateLimit__RequestsPerWindow"] = "1000000",
        ["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning",
    };

    /// <summary>Starts a node and waits until it is ready.</summary>
    public static async Task<ServerProcess> StartAsync(string connectionString)
    {
        var node = ServerProcess.Start(Environment(connectionString));
        try
        {
            await node.WaitReadyAsync();
            return node;
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
    }

    /// <summary>A partner and a user of level <paramref name="level"/> made through the app's own services; returns the user's id.</summary>
    public static async Task<long> AddUserAsync(string connectionString, string username, int level = 1, string partner = "Keeping Oy")
    {
        await using var admin = WorktimeApplication.OnDatabase(connectionString);
        var partnerId = (await admin.Services.GetRequiredService<PartnerStore>().AddAsync(partner, "fi")).OrThrow();
        return (await admin.Services.GetRequiredService<UserAccounts>().CreateAsync(partnerId, username, level, Password)).OrThrow();
    }

    /// <summary>GET with a bearer token.</summary>
    public static async Task<HttpResponseMessage> GetAsync(this ServerProcess node, string path, string access)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", access);
        return await node.Client.SendAsync(request);
    }

    /// <summary>Asserts that every id is a worktime the node serves.</summary>
    public static async Task ShouldServeWorktimesAsync(this ServerProcess node, string access, IEnumerable<long> ids, string because)
    {
        foreach (var id in ids)
        {
            using var response = await node.GetAsync($"/worktimes/{id}", access);
            response.StatusCode.ShouldBe(HttpStatusCode.OK, $"worktime {id} {because}");
        }
    }
}
