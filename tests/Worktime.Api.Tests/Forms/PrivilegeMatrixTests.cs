using System.Text.Json;
using System.Text.Json.Nodes;

using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.Forms;

/// <summary>
/// docs/forms.md as a table: every level × form × verb, own rows vs others', open vs accepted worktimes and absences,
/// rejecting an absence.
/// Where the caller can read the row, <c>row_info.privilege_edit</c> / <c>privilege_remove</c> must predict the outcome.
/// </summary>
[VariesWith(Vary.Backend)]
public sealed class PrivilegeMatrixTests(PrivilegeFixture data) : IClassFixture<PrivilegeFixture>
{
    private static readonly string[] Shared = ["project", "task", "subtask", "customer", "worktype"];
    private static readonly string[] AdminShared = ["worktimegroup", "abcensetype", "wagetype"];
    private static readonly string[] Personal = ["worktime", "abcense"];

    /// <summary>Rows about a user that others keep: the user reads their own, levels 3–5 everyone's; write level per form.</summary>
    private static readonly Dictionary<string, int> KeptAboutUser = new() { ["employment"] = 4, ["saldocorrection"] = 3 };

    /// <summary>The expected status of each case, written out from docs/forms.md (not computed by the server's code).</summary>
    public static TheoryData<string, string, int, int> Matrix()
    {
        var cases = new TheoryData<string, string, int, int>();
        for (var level = 1; level <= 5; level++)
        {
            foreach (var form in Shared)
            {
                cases.Add(form, "read-others", level, 200);
                cases.Add(form, "create", level, level >= 3 ? 201 : 403);
                cases.Add(form, "edit-others", level, level >= 3 ? 200 : 403);
                cases.Add(form, "remove-others", level, level >= 4 ? 200 : 403);
            }
            foreach (var form in AdminShared)
            {
                cases.Add(form, "read-others", level, 200);
                cases.Add(form, "create", level, level == 5 ? 201 : 403);
                cases.Add(form, "edit-others", level, level == 5 ? 200 : 403);
                cases.Add(form, "remove-others", level, level >= 4 ? 200 : 403);
            }
            foreach (var form in Personal)
            {
                cases.Add(form, "read-others", level, level >= 2 ? 200 : 403);
                cases.Add(form, "read-own", level, 200);
                cases.Add(form, "create-own", level, 201);
                cases.Add(form, "create-for-other", level, level >= 3 ? 201 : 403);
                cases.Add(form, "edit-others", level, level >= 3 ? 200 : 403);
                cases.Add(form, "edit-own-open", level, 200);
                cases.Add(form, "edit-own-accepted", level, level >= 3 ? 200 : 403);
                cases.Add(form, "accept-own-open", level, level >= 3 ? 200 : 403);
                cases.Add(form, "remove-others", level, level >= 4 ? 200 : 403);
                cases.Add(form, "remove-own-open", level, 200);
                cases.Add(form, "remove-own-accepted", level, level >= 4 ? 200 : 403);
            }
            cases.Add("abcense", "reject-others", level, level >= 3 ? 200 : 403); // absence approval: supervisors decide
            cases.Add("periodlock", "read-others", level, 200);
            cases.Add("periodlock", "create", level, level >= 3 ? 201 : 403);
            cases.Add("periodlock", "edit-others", level, level >= 4 ? 200 : 403); // moving a lock can reopen days
            cases.Add("periodlock", "remove-others", level, level >= 4 ? 200 : 403);
            cases.Add("workdayday", "read-others", level, 200);
            cases.Add("workdayday", "create", level, level == 5 ? 201 : 403);
            cases.Add("workdayday", "edit-others", level, level == 5 ? 200 : 403);
            cases.Add("workdayday", "remove-others", level, level == 5 ? 200 : 403);
            foreach (var (form, writeLevel) in KeptAboutUser)
            {
                cases.Add(form, "read-others", level, level >= 3 ? 200 : 403);
                cases.Add(form, "read-own", level, 200);
                cases.Add(form, "create", level, level >= writeLevel ? 201 : 403);
                cases.Add(form, "edit-others", level, level >= writeLevel ? 200 : 403);
                // Balance inputs about oneself are written by a second person below level 5 (docs/time-accounting.md).
                cases.Add(form, "edit-own", level, level >= writeLevel && level == 5 ? 200 : 403);
                cases.Add(form, "remove-others", level, level >= writeLevel ? 200 : 403);
                cases.Add(form, "remove-own", level, level >= writeLevel && level == 5 ? 200 : 403);
            }
            cases.Add("user", "read-others", level, level >= 4 ? 200 : 403);
            cases.Add("user", "read-own", level, 200);
            cases.Add("user", "create", level, level == 5 ? 201 : 403);
            cases.Add("user", "edit-others", level, level == 5 ? 200 : 403);
            cases.Add("user", "edit-own", level, 200);
            cases.Add("user", "remove-others", level, level == 5 ? 200 : 403);
            cases.Add("user", "remove-own", level, 403);
            if (level < 5)
            {
                cases.Add("user", "raise-own-level", level, 403);
            }
        }
        return cases;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Privilege(string form, string scenario, int level, int expected)
    {
        var caller = data.T.ByLevel[level];
        var plural = SampleRows.Plural(form);
        var verb = scenario.Split('-')[0];
        var owner = scenario.Contains("-own", StringComparison.Ordinal) ? caller : data.T.OtherWorker;
        var status = scenario.EndsWith("accepted", StringComparison.Ordinal) ? "accepted" : "open";

        if (verb == "create")
        {
            var body = await SampleRows.BodyAsync(form, data.T.Admin);
            if (Personal.Contains(form))
            {
                body.Remove("user");
                if (scenario == "create-for-other")
                {
                    body["user"] = data.T.OtherWorker.Id;
                }
            }
            using var created = await caller.Client.PostJsonAsync($"/{plural}", new Dictionary<string, object> { [form] = body });
            await ExpectAsync(created, expected);
            return;
        }

        var id = await TargetAsync(form, owner, status, own: scenario.Contains("-own", StringComparison.Ordinal));
        using var read = await caller.Client.GetAsync($"/{plural}/{id}");
        if (verb == "read")
        {
            await ExpectAsync(read, expected);
            return;
        }
        if (read.IsSuccessStatusCode)
        {
            var info = (await read.JsonAsync()).GetProperty(form).GetProperty("row_info");
            // accept/raise: the owner may edit the row (the flag is per row), just not that one field.
            info.GetProperty(verb == "remove" ? "privilege_remove" : "privilege_edit").GetBoolean()
                .ShouldBe(expected is 200 || verb is "accept" or "raise", $"{verb} flag of {form} for level {level}");
        }
        using var response = verb switch
        {
            "remove" => await caller.Client.DeleteAsync($"/{plural}/{id}"),
            "accept" => await caller.Client.PutJsonAsync($"/{plural}/{id}", new Dictionary<string, object> { [form] = new { status = "accepted" } }),
            "reject" => await caller.Client.PutJsonAsync($"/{plural}/{id}", new Dictionary<string, object> { [form] = new { status = "rejected", rejection_reason = "No cover" } }),
            "raise" => await caller.Client.PutJsonAsync($"/{plural}/{id}", new Dictionary<string, object> { [form] = new { userlevel = level + 1 } }),
            _ => await caller.Client.PutJsonAsync($"/{plural}/{id}", new Dictionary<string, object> { [form] = Update(form, scenario) }),
        };
        await ExpectAsync(response, expected);
    }

    public static TheoryData<string, int, int> ListScopes()
    {
        var cases = new TheoryData<string, int, int>();
        for (var level = 1; level <= 5; level++)
        {
            cases.Add("worktime", level, level >= 2 ? 2 : 1);
            cases.Add("abcense", level, level >= 2 ? 2 : 1);
            cases.Add("user", level, level >= 4 ? 2 : 1);
            cases.Add("employment", level, level >= 3 ? 2 : 1);
            cases.Add("saldocorrection", level, level >= 3 ? 2 : 1);
        }
        return cases;
    }

    [Theory]
    [MemberData(nameof(ListScopes))]
    public async Task FindAll_ListsOnlyWhatTheLevelMayRead(string form, int level, int expected)
    {
        var caller = data.T.ByLevel[level];
        var own = form == "user" ? caller.Id : await TargetAsync(form, caller, "open", own: true);
        var others = form == "user" ? data.T.OtherWorker.Id : await TargetAsync(form, data.T.OtherWorker, "open", own: false);

        using var response = await caller.Client.GetAsync($"/{SampleRows.Plural(form)}?id={own},{others}");

        (await response.ShouldBeJsonAsync(200)).GetProperty("count").GetInt32().ShouldBe(expected);
    }

    /// <summary>A row for the case: personal forms owned by <paramref name="owner"/>; for the user form, the caller or a fresh user.</summary>
    private async Task<long> TargetAsync(string form, TenantUser owner, string status, bool own)
    {
        if (form == "user")
        {
            return own && owner != data.T.OtherWorker ? owner.Id : (await SampleRows.CreateAsync("user", data.T.Admin)).Id();
        }
        var body = await SampleRows.BodyAsync(form, data.T.Admin);
        if (Personal.Contains(form))
        {
            body["user"] = owner.Id;
            body["status"] = status;
        }
        if (KeptAboutUser.ContainsKey(form))
        {
            body["user"] = owner.Id;
        }
        return (await data.T.Admin.Client.CreateAsync(SampleRows.Plural(form), form, body)).Id();
    }

    private static JsonObject Update(string form, string scenario)
    {
        if (form == "user" && scenario == "edit-own")
        {
            return FormsHttp.Obj(("firstname", "Self"));
        }
        var (field, value) = SampleRows.Update(form);
        return FormsHttp.Obj((field, value));
    }

    private static async Task ExpectAsync(HttpResponseMessage response, int expected)
    {
        if (expected == 403)
        {
            await response.ShouldBeErrorAsync(403, "forbidden");
        }
        else
        {
            await response.ShouldBeJsonAsync(expected);
        }
    }
}
