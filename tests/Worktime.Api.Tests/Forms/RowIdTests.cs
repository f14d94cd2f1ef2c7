using Dapper;
using Worktime.Api.Data;
using Worktime.Api.Forms.Definitions;
using Worktime.Api.Tests.Infrastructure;
using Worktime.Api.Tests.Resilience;

namespace Worktime.Api.Tests.Forms;

/// <summary>
/// One id space for every form's rows, users included (docs/forms.md "Row ids"): the official PHP client matches
/// sideloaded rows to references by id alone, across forms.
/// </summary>
[VariesWith(Vary.Backend)]
public sealed class RowIdTests(FakeClockFixture fixture) : IClassFixture<FakeClockFixture>
{
    private readonly WorktimeApplication app = fixture.App;

    [Fact]
    public async Task Ids_AreUniqueAcrossEveryFormTable_AfterMixedInserts()
    {
        var tenant = await Tenant.CreateAsync(app, [1, 5]);               // users through the CLI's account service
        foreach (var form in SampleRows.Forms)                              // every form through the API, twice
        {
            await SampleRows.CreateAsync(form, tenant.Admin);
            await SampleRows.CreateAsync(form, tenant.Admin);
        }
        await app.CreateUserAsync(tenant.PartnerId, $"late{Guid.NewGuid():N}", 1);

        var ids = await AllRowIdsAsync(app);
        ids.Count.ShouldBeGreaterThan(SampleRows.Forms.Length * 2);
        ids.GroupBy(i => i.Id).Where(g => g.Count() > 1).Select(g => $"{g.Key}: {string.Join(", ", g.Select(x => x.Table))}")
            .ShouldBeEmpty();
    }

    [Fact]
    public async Task ConcurrentInserts_IntoDifferentForms_NeverShareAnId()
    {
        var tenant = await Tenant.CreateAsync(app, [5]);
        var admin = tenant.Admin.Client;
        var creates = Enumerable.Range(0, 40).Select(i => (i % 4) switch
        {
            0 => admin.CreateAsync("tasks", "task", new { name = $"T{i}" }),
            1 => admin.CreateAsync("worktypes", "worktype", new { name = $"W{i}" }),
            2 => admin.CreateAsync("customers", "customer", new { name = $"C{i}" }),
            _ => admin.CreateAsync("users", "user", new { username = $"c{i}{Guid.NewGuid():N}", userlevel = 1, password = "pw-concurrent-1" }),
        });
        var rows = await Task.WhenAll(creates);

        rows.Select(r => r.Id()).Distinct().Count().ShouldBe(40);
        var ids = await AllRowIdsAsync(app);
        ids.Select(i => i.Id).Distinct().Count().ShouldBe(ids.Count);
    }

    [Fact]
    public async Task Migration_StartsTheAllocatorAboveTheHighestExistingId()
    {
        var connectionString = await TestBackend.CreateDatabaseAsync();
        try
        {
            // A database as it was before the shared id space: rows numbered per table, one of them high.
            await using (var database = new Database(connectionString))
            {
                await using var connection = await database.OpenAsync();
                await connection.ExecuteAsync("CREATE TABLE schema_migrations (version TEXT PRIMARY KEY, applied_at TEXT NOT NULL)");
                foreach (var (version, sql) in Migrator.Scripts(database.Dialect).Where(s => string.CompareOrdinal(s.Version, "004") < 0))
                {
                    await connection.ExecuteAsync(sql);
                    await connection.ExecuteAsync("INSERT INTO schema_migrations VALUES (@version, '2026-01-01 00:00:00')", new { version });
                }
                await connection.ExecuteAsync("INSERT INTO partners (id, name, country, created) VALUES (7, 'Old', 'fi', '2026-01-01 00:00:00')");
                await connection.ExecuteAsync(
                    "INSERT INTO tasks (id, partner_id, created, name) VALUES (5000, 7, '2026-01-01 00:00:00', 'Old task')");
            }
            await using var upgraded = WorktimeApplication.OnDatabase(connectionString);
            var admin = await Tenant.CreateAsync(upgraded, [5]);

            admin.Admin.Id.ShouldBeGreaterThan(5000);
            (await admin.Admin.Client.CreateAsync("projects", "project", new { name = "New" })).Id().ShouldBeGreaterThan(admin.Admin.Id);
        }
        finally
        {
            await TestBackend.DropDatabaseAsync(connectionString);
        }
    }

    /// <summary>(table, id) of every row of every form table the registry knows — forms added later are included by themselves.</summary>
    private static async Task<List<(string Table, long Id)>> AllRowIdsAsync(WorktimeApplication app)
    {
        var tables = app.Service<FormRegistry>().All.Select(f => f.Table).Append("users").Distinct();
        var sql = string.Join(" UNION ALL ", tables.Select(t => $"SELECT '{t}' AS Tbl, id AS Id FROM {t}"));
        await using var connection = await app.Service<Database>().OpenAsync();
        return (await connection.QueryAsync<(string, long)>(sql)).ToList();
    }
}
