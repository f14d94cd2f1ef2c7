using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.Forms;

/// <summary>The findAll query language of docs/forms.md, row by row, over the dataset of <see cref="FindAllFixture"/>.</summary>
[VariesWith(Vary.BackendAndCulture)]
public sealed class FindAllTests(FindAllFixture data) : IClassFixture<FindAllFixture>
{
    [Theory]
    [InlineData("admin", "", "a b c g", 4)] // implicit current month, default order date then id
    [InlineData("admin", "date=CURRENT", "a b c g", 4)]
    [InlineData("admin", "date=", "a b c g", 4)] // an empty filter filters nothing
    [InlineData("admin", "date=2026-10-01_2026-11-04", "d a", 2)] // inclusive range
    [InlineData("admin", "date=2026-11-05", "b c", 2)]
    [InlineData("admin", "date=2026-11-05||2026-12-01", "b c e", 3)]
    [InlineData("admin", "date=2026-10-31,2026-12-01", "d e", 2)]
    [InlineData("admin", "date=2026-10-01_2026-12-31&project={P1}", "d a g", 3)]
    [InlineData("admin", "date=2026-10-01_2026-12-31&project={P1},{P2}", "d a b g e", 5)]
    [InlineData("admin", "project={P2}", "b", 1)]
    [InlineData("admin", "project=(empty)", "c", 1)]
    [InlineData("admin", "project={P1}||(empty)", "a c g", 3)]
    // Null sort semantics hold whether or not the filter lets a NULL through (the SQL then differs, docs/forms.md).
    [InlineData("admin", "project={P1}||(empty)&order=project", "a g c", 3)] // unset last ascending
    [InlineData("admin", "project={P1}||(empty)&order=-project", "c g a", 3)] // unset first descending
    [InlineData("admin", "project={P1}&order=-project", "g a", 2)]
    [InlineData("admin", "date=2026-11-01_2026-11-30&order=-date", "g c b a", 4)]
    [InlineData("admin", "status=accepted,locked", "b c", 2)]
    [InlineData("admin", "status=open", "a g", 2)]
    [InlineData("admin", "user={other}", "b g", 2)]
    [InlineData("admin", "user=self", "", 0)]
    [InlineData("worker", "", "a c", 2)] // a worker reads only their own worktimes
    [InlineData("worker", "user=self", "a c", 2)]
    [InlineData("worker", "user={other}", "", 0)]
    [InlineData("foreman", "", "a b c g", 4)] // a foreman reads everyone's
    [InlineData("admin", "id={a}", "a", 1)]
    [InlineData("admin", "id={d}", "d", 1)] // an id filter is not narrowed to the current month
    [InlineData("admin", "id={a},{e}", "a e", 2)]
    [InlineData("admin", "id={f}", "", 0)] // removed rows only on request
    [InlineData("admin", "row_info.status=removed", "f", 1)]
    [InlineData("admin", "row_info.status=all", "a b c g f", 5)]
    [InlineData("admin", "row_info.status=normal", "a b c g", 4)]
    [InlineData("admin", "order=-date", "g c b a", 4)] // ties broken by id in the direction of the first key
    [InlineData("admin", "order=work_hours", "g a b c", 4)] // computed field sorts by its minutes; unset last
    [InlineData("admin", "sort=-work_hours", "c b a g", 4)]
    [InlineData("admin", "order=description", "a b c g", 4)]
    [InlineData("admin", "order=-description", "g c b a", 4)]
    [InlineData("admin", "order=status,-date", "b c g a", 4)]
    [InlineData("admin", "limit=2", "a b", 4)] // count ignores paging
    [InlineData("admin", "limit=2&offset=2", "c g", 4)]
    [InlineData("admin", "offset=3", "g", 4)]
    [InlineData("admin", "offset=99", "", 4)]
    [InlineData("admin", "limit=0", "", 4)]
    [InlineData("admin", "limit=1000000000", "a b c g", 4)] // capped at 100
    [InlineData("admin", "work_hours=8:00", "b", 1)]
    [InlineData("admin", "pause=30", "a", 1)]
    [InlineData("admin", "starttime=(empty)", "c", 1)]
    [InlineData("admin", "starttime=22:00", "g", 1)]
    [InlineData("admin", "worktype={W1}", "g", 1)]
    [InlineData("admin", "task={T1}", "c", 1)]
    [InlineData("admin", "description=a", "a", 1)]
    [InlineData("admin", "description=a||b", "a b", 2)]
    [InlineData("admin", "description=a,b", "", 0)] // text fields take commas literally
    [InlineData("admin", "pid={own}", "a b c g", 4)]
    [InlineData("admin", "_=1700000000", "a b c g", 4)] // jQuery cache buster
    public async Task Worktimes_FindAll(string caller, string query, string expected, int count)
    {
        using var response = await data.Caller(caller).Client.GetAsync("/worktimes?" + data.Expand(query));

        var body = await response.ShouldBeJsonAsync(200);
        body.Keys().ShouldBe(["worktimes", "count"]);
        Labels(body.GetProperty("worktimes"), "description").ShouldBe(expected);
        body.GetProperty("count").GetInt32().ShouldBe(count);
    }

    [Theory]
    [InlineData("admin", "", "x z")] // implicit current month on startdate
    [InlineData("admin", "startdate=2026-10-01_2026-10-31", "y")]
    [InlineData("admin", "startdate=2026-10-01_2026-11-30&order=-startdate", "z x y")]
    [InlineData("worker", "", "x")]
    [InlineData("worker", "startdate=2026-10-01_2026-11-30", "y x")]
    public async Task Abcenses_FindAll(string caller, string query, string expected)
    {
        using var response = await data.Caller(caller).Client.GetAsync("/abcenses?" + data.Expand(query));

        Labels((await response.ShouldBeJsonAsync(200)).GetProperty("abcenses"), "description").ShouldBe(expected);
    }

    [Theory]
    [InlineData("", "Alpha Beta Gamma")] // not date-indexed: all rows, by id
    [InlineData("order=number", "Beta Gamma Alpha")]
    [InlineData("order=-name", "Gamma Beta Alpha")]
    [InlineData("name=Beta", "Beta")]
    [InlineData("name=Beta||Gamma&order=-id", "Gamma Beta")]
    [InlineData("number=(empty)", "")]
    [InlineData("id={Alpha},{Gamma}", "Alpha Gamma")]
    public async Task Tasks_FindAll(string query, string expected)
    {
        using var response = await data.T.Worker.Client.GetAsync("/tasks?" + data.Expand(query));

        Labels((await response.ShouldBeJsonAsync(200)).GetProperty("tasks"), "name").ShouldBe(expected);
    }

    [Theory]
    [InlineData("limit=-1", "limit")]
    [InlineData("limit=abc", "limit")]
    [InlineData("limit=1e9", "limit")]
    [InlineData("limit=", "limit")]
    [InlineData("offset=-5", "offset")]
    [InlineData("offset=abc", "offset")]
    [InlineData("limit=1&limit=2", "limit")]
    [InlineData("nosuchfield=1", "nosuchfield")]
    [InlineData("date=2026-13-01", "date")]
    [InlineData("date=2026-11-31", "date")]
    [InlineData("date=yesterday", "date")]
    [InlineData("date=2026-11-30_2026-11-01", "date")]
    [InlineData("date=2026-11-01_", "date")]
    [InlineData("date[gt]=2026-11-01", "date[gt]")]
    [InlineData("user[]=1", "user[]")]
    [InlineData("pause=abc", "pause")]
    [InlineData("pause=-5", "pause")]
    [InlineData("project=abc", "project")]
    [InlineData("project=1.5", "project")]
    [InlineData("user=someone", "user")]
    [InlineData("status=finished", "status")]
    [InlineData("starttime=25:00", "starttime")]
    [InlineData("work_hours=8", "work_hours")]
    [InlineData("id=abc", "id")]
    [InlineData("link.tasks=1", "link.tasks")]
    [InlineData("order=nosuch", "order")]
    [InlineData("order=-", "order")]
    [InlineData("sort=row_info.partnerid", "sort")]
    [InlineData("sideload=maybe", "sideload")]
    [InlineData("sideload[]=description", "sideload[]")]
    [InlineData("sideload[]=project.nosuch", "sideload[]")]
    [InlineData("sideload[]=user.password", "sideload[]")]
    [InlineData("sideload[x]=project", "sideload[x]")]
    [InlineData("row_info.status=deleted", "row_info.status")]
    [InlineData("row_info.created=2026-11-02", "row_info.created")]
    [InlineData("pid=abc", "pid")]
    public async Task Worktimes_InvalidParameter_Returns400InvalidFilterNamingIt(string query, string parameter)
    {
        using var response = await data.T.Admin.Client.GetAsync("/worktimes?" + query);

        var body = await response.ShouldBeErrorAsync(400, "invalid_filter");
        body.GetProperty("error_description").GetString()!.ShouldContain($"'{parameter}'");
    }

    [Theory]
    [InlineData("/projects?order=image")] // arrays cannot be sorted
    [InlineData("/projects?image=a.jpg")]
    [InlineData("/users?password=x")] // write-only fields cannot be probed
    [InlineData("/users?order=password")]
    [InlineData("/tasks?link.worktimes=1")]
    public async Task FieldsThatCannotBeQueried_Return400InvalidFilter(string path)
    {
        using var response = await data.T.Admin.Client.GetAsync(path);

        await response.ShouldBeErrorAsync(400, "invalid_filter");
    }

    private static string Labels(System.Text.Json.JsonElement rows, string field) =>
        string.Join(' ', rows.EnumerateArray().Select(r => r.GetProperty(field).GetString()));
}
