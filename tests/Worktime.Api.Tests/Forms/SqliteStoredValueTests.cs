using System.Text.Json;
using Worktime.Api.Tests.Auth;
using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.Forms;

/// <summary>
/// SQLite keeps a value's own storage class when the column's affinity cannot convert it losslessly (a REAL in an
/// INTEGER column, https://www.sqlite.org/datatype3.html#type_affinity). The server reads SQLite rows through the C
/// API (docs/architecture.md, "reading rows on SQLite" in the path of a findAll); such values must come out as the provider's reader gave them:
/// converted to the field's type, never dropped and never a 500.
/// </summary>
[VariesWith(Vary.Nothing)]
public sealed class SqliteStoredValueTests(FakeClockFixture fixture) : IClassFixture<FakeClockFixture>
{
    private readonly WorktimeApplication app = fixture.App;

    [SqlitePassFact("SQLite-specific: PostgreSQL columns are strictly typed.")]
    public async Task ValuesStoredInAnotherClass_ReadAsTheFieldsType_InAPageAndByIdAlike()
    {
        var t = await Tenant.CreateAsync(app, [5]);
        var admin = t.Admin.Client;
        var worktime = await admin.CreateAsync("worktimes", "worktime", new
        {
            date = WorktimeApplication.CurrentMonthDay, user = t.Admin.Id, starttime = "08:00", endtime = "16:00", pause = 30, description = "Concrete",
        });
        var type = await admin.CreateAsync("abcensetypes", "abcensetype", new { name = "Odd", type = "days", paid = false });

        // A REAL in an INTEGER column (pause), NULL in TEXT (description), 2 in a checkbox (paid), a number in a TEXT column
        // that its affinity turns into text (name).
        await app.ExecuteAsync("UPDATE worktimes SET pause = 44.75, description = NULL WHERE id = @id", new { id = worktime.Id() });
        await app.ExecuteAsync("UPDATE abcensetypes SET paid = 2, name = 12 WHERE id = @id", new { id = type.Id() });
        (await app.ScalarAsync<string>("SELECT typeof(pause) FROM worktimes WHERE id = @id", new { id = worktime.Id() })).ShouldBe("real");

        using var byId = await admin.GetAsync($"/worktimes/{worktime.Id()}");
        using var page = await admin.GetAsync($"/worktimes?id={worktime.Id()}");
        using var typeById = await admin.GetAsync($"/abcensetypes/{type.Id()}");

        var one = (await byId.ShouldBeJsonAsync(200)).GetProperty("worktime");
        var listed = (await page.ShouldBeJsonAsync(200)).GetProperty("worktimes").EnumerateArray().Single();
        foreach (var row in new[] { one, listed })
        {
            row.GetProperty("pause").GetInt64().ShouldBe(45); // Convert.ToInt64 rounds to even, as the provider path did
            row.GetProperty("description").ValueKind.ShouldBe(JsonValueKind.Null);
            row.GetProperty("starttime").GetString().ShouldBe("08:00");
        }
        var odd = (await typeById.ShouldBeJsonAsync(200)).GetProperty("abcensetype");
        odd.GetProperty("paid").GetBoolean().ShouldBeTrue();
        odd.GetProperty("name").GetString().ShouldBe("12");
    }
}
