using System.Data.Common;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Dapper;
using Microsoft.Extensions.Primitives;
using Worktime.Api.Auth;
using Worktime.Api.Data;
using Worktime.Api.Forms.Definitions;
using Worktime.Api.Forms.Query;
using Worktime.Api.Tests.Forms;
using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.Hardening;

/// <summary>
/// Filters the database could not run (expression depth, bind-parameter limits, quadratic lists) are refused by
/// documented limits before any SQL is built; lists within the limits are bound as one parameter (docs/forms.md).
/// </summary>
[VariesWith(Vary.Backend)]
public sealed class QueryLimitsTests(FindAllFixture data) : IClassFixture<FindAllFixture>
{
    private HttpClient Admin => data.T.Admin.Client;

    private static string Repeat(string value, int count, string separator) => string.Join(separator, Enumerable.Repeat(value, count));

    private static string Numbers(int count, int from = 1) => string.Join(',', Enumerable.Range(from, count));

    private static async Task ShouldNameAsync(HttpResponseMessage response, string parameter, string limit)
    {
        var description = (await response.ShouldBeErrorAsync(400, "invalid_filter")).GetProperty("error_description").GetString()!;
        description.ShouldContain(parameter);
        description.ShouldContain(limit);
    }

    public static TheoryData<string, string, string> OverLimit => new()
    {
        { "id=" + Numbers(1001), "id", "1000" },
        { "user=" + Numbers(1001), "user", "1000" },
        { "project=" + Numbers(1001), "project", "1000" },
        { "link.tasks=" + Numbers(1001), "link.tasks", "1000" },
        { "description=" + Repeat("x", 101, "||"), "description", "100" },
        { "date=" + Repeat("2026-11-01_2026-11-02", 101, "||"), "date", "100" },
        { "project=" + Repeat("(empty)", 1100, "||"), "project", "100" }, // the OR chain that overflowed SQLite's expression depth
        { "sideload[]=" + Repeat("project.name", 1001, ","), "sideload[]", "1000" },
        { string.Join('&', Enumerable.Range(0, 101).Select(i => $"sideload[{i}]=project")), "(parameters)", "100" },
    };

    [Theory]
    [MemberData(nameof(OverLimit))]
    public async Task Query_over_a_documented_limit_is_refused_naming_the_parameter_and_the_limit(string query, string parameter, string limit)
    {
        var path = (query.StartsWith("link.", StringComparison.Ordinal) ? "/projects?" : "/worktimes?") + query;

        using var get = await Admin.GetAsync(path);
        using var post = await PostFindAllAsync(path.StartsWith("/projects", StringComparison.Ordinal) ? "project" : "worktime", query);

        await ShouldNameAsync(get, parameter, limit);
        await ShouldNameAsync(post, parameter, limit);
    }

    [Fact]
    public async Task Lists_at_the_limit_work_on_every_kind_of_list()
    {
        var ids = Numbers(999, 1_000_000) + "," + data.Ids["a"].ToString(CultureInfo.InvariantCulture);
        using var byId = await Admin.GetAsync("/worktimes?id=" + ids);
        using var byUser = await Admin.GetAsync($"/worktimes?user={Numbers(999, 1_000_000)},{data.Ids["worker"]}&date=2026-11-03");
        using var byDate = await Admin.GetAsync("/worktimes?date=" + Repeat("2026-11-03", 100, "||"));
        using var byLink = await Admin.GetAsync($"/projects?link.tasks={Numbers(999, 1_000_000)}");
        using var options = await Admin.GetAsync($"/worktime/tasks?project={Numbers(1000, 1_000_000)}");

        (await byId.ShouldBeJsonAsync(200)).GetProperty("count").GetInt32().ShouldBe(1);
        (await byUser.ShouldBeJsonAsync(200)).GetProperty("count").GetInt32().ShouldBe(1);
        (await byDate.ShouldBeJsonAsync(200)).GetProperty("count").GetInt32().ShouldBe(1);
        (await byLink.ShouldBeJsonAsync(200)).GetProperty("count").GetInt32().ShouldBe(0);
        await options.ShouldBeJsonAsync(200);
    }

    [Fact]
    public async Task PostFindAll_body_over_64_KiB_is_refused_and_a_long_list_within_it_works()
    {
        var big = "description=" + new string('x', 64 * 1024);
        var ids = "id=" + Numbers(999, 1_000_000) + "," + data.Ids["a"].ToString(CultureInfo.InvariantCulture);

        using var tooBig = await PostFindAllAsync("worktime", big);
        using var fine = await PostFindAllAsync("worktime", ids);

        await ShouldNameAsync(tooBig, "(body)", "64 KiB");
        (await fine.ShouldBeJsonAsync(200)).GetProperty("count").GetInt32().ShouldBe(1);
    }

    [Fact]
    public async Task An_order_naming_one_column_a_thousand_times_sorts_once()
    {
        using var response = await Admin.GetAsync("/worktimes?order=" + Repeat("-date", 1000, ","));

        string.Join(' ', (await response.ShouldBeJsonAsync(200)).GetProperty("worktimes").EnumerateArray()
            .Select(r => r.GetProperty("description").GetString())).ShouldBe("g c b a");
    }

    /// <summary>The one-parameter list keeps the plan index-friendly: SQLite probes the primary key / partner indexes per value.</summary>
    [Fact]
    public async Task A_long_list_is_one_bound_parameter_and_the_plan_uses_the_indexes()
    {
        var caller = new CurrentUser(data.T.Admin.Id, data.T.PartnerId, 5, data.T.Admin.Username, "openapi");
        var database = data.App.Service<Database>();
        var parameters = new Dictionary<string, StringValues>
        {
            ["id"] = Numbers(1000),
            ["user"] = Numbers(1000),
        };
        var compiled = QueryCompiler.Compile(BuiltInForms.Worktime, parameters, caller, FormRegistry.BuiltIn, database.Dialect,
            new DateOnly(2026, 11, 15));
        compiled.Error.ShouldBeNull();
        var query = compiled.Value!;
        query.Args.Parameters.ParameterNames.Count().ShouldBeLessThan(10); // 2,000 values, a constant number of parameters

        await using var connection = await database.OpenAsync();
        var plan = string.Join('\n', await ExplainAsync(connection, database.Dialect, $"SELECT id FROM worktimes WHERE {query.Where}", query));

        if (database.Dialect == DbDialect.Sqlite)
        {
            plan.ShouldContain("json_each", Case.Insensitive, plan);
            plan.ShouldNotContain("SCAN worktimes\n", Case.Sensitive, plan);
            plan.ShouldMatch("(?s).*(SEARCH worktimes USING|USING INTEGER PRIMARY KEY|USING INDEX).*", plan);
        }
        else
        {
            plan.ShouldContain("ANY", Case.Sensitive, plan);
        }
    }

    private static async Task<IEnumerable<string>> ExplainAsync(DbConnection connection, DbDialect dialect, string sql, FindAllQuery query)
    {
        if (dialect == DbDialect.Sqlite)
        {
            var rows = await connection.QueryAsync("EXPLAIN QUERY PLAN " + sql, query.Args.Parameters);
            return rows.Select(r => (string)((IDictionary<string, object>)r)["detail"] + "\n");
        }
        return await connection.QueryAsync<string>("EXPLAIN " + sql, query.Args.Parameters);
    }

    private Task<HttpResponseMessage> PostFindAllAsync(string form, string body)
    {
        var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        return Admin.PostAsync($"/service/postFindAll?form={form}", content);
    }
}
