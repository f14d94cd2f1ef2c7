using Microsoft.Extensions.DependencyInjection;
using Worktime.Api.Data;
using Worktime.Api.Forms.Definitions;
using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.Backups;

/// <summary>
/// Every table the migrations create is classified in <see cref="TableCatalog"/> — whose rows they are, what an export
/// carries, what erasure does — and the tables about one person have every column classified, so a new table or a new
/// personal column fails here until someone decided how <c>db copy</c>, <c>partner export</c> and <c>user erase</c>
/// treat it (docs/deploy.md, "Adding a table"). Reads the migrated schema of the suite's backend.
/// </summary>
[VariesWith(Vary.Backend)]
public sealed class TableCatalogTests(WorktimeApplication app) : IClassFixture<WorktimeApplication>
{
    [Fact]
    public async Task EveryTableOfTheSchema_IsClassified()
    {
        var tables = await SchemaAsync();

        var unclassified = tables.Select(t => t.Name).Where(name => TableCatalog.Find(name) is null).ToList();

        unclassified.ShouldBeEmpty(
            "every table needs an entry in src/Worktime.Api/Data/TableCatalog.cs (docs/deploy.md, \"Adding a table\")");
    }

    [Fact]
    public async Task EveryCatalogEntry_IsATableOfTheSchema()
    {
        var names = (await SchemaAsync()).Select(t => t.Name).ToHashSet();

        // On PostgreSQL the allocator is a sequence, not a table.
        var missing = TableCatalog.All.Select(e => e.Name)
            .Where(name => !names.Contains(name) && !(TestBackend.IsPostgres && name == TableCatalog.RowIds))
            .ToList();

        missing.ShouldBeEmpty("catalog entries without a table");
    }

    [Fact]
    public void TheFormTables_AreExactlyTheTablesOfTheFormDefinitions()
    {
        var formTables = FormRegistry.BuiltIn.All.Select(f => f.Table).Order().ToList();

        TableCatalog.All.Where(e => e.IsForm).Select(e => e.Name).Order().ToList().ShouldBe(formTables);
    }

    [Fact]
    public async Task EveryColumnTheCatalogNames_Exists()
    {
        var tables = (await SchemaAsync()).ToDictionary(t => t.Name);
        var problems = new List<string>();
        foreach (var entry in TableCatalog.All.Where(e => tables.ContainsKey(e.Name)))
        {
            var table = tables[entry.Name];
            var named = entry.Personal.Keys.Concat(entry.FreeText).Concat(entry.NotPersonal).Concat(entry.Credentials)
                .Concat(entry.RowIdColumns).Concat(entry.GeneratedColumns).Concat(entry.OwnerColumn is { } owner ? [owner] : []);
            problems.AddRange(named.Where(column => !table.Has(column)).Select(column => $"{entry.Name}.{column}"));
        }

        problems.ShouldBeEmpty("the catalog names columns the schema does not have");
    }

    [Fact]
    public async Task TablesAboutOnePerson_HaveEveryColumnClassified()
    {
        var tables = (await SchemaAsync()).ToDictionary(t => t.Name);
        var problems = new List<string>();
        foreach (var entry in TableCatalog.All.Where(e => e.ColumnsReviewed && tables.ContainsKey(e.Name)))
        {
            var classified = entry.Personal.Keys.Concat(entry.FreeText).Concat(entry.NotPersonal).Concat(entry.Credentials).ToHashSet();
            problems.AddRange(tables[entry.Name].Columns.Where(c => !classified.Contains(c.Name)).Select(c => $"{entry.Name}.{c.Name}"));
        }

        problems.ShouldBeEmpty(
            "columns of a table about one person must be classified as Personal, FreeText, Credentials or NotPersonal in TableCatalog.cs");
    }

    [Fact]
    public void EveryTableOfOnePersonOrPartner_SaysHowToFindItsOwner()
    {
        var problems = TableCatalog.All
            .Where(e => e.Scope != TableScope.Installation && e.OwnerColumn is null && e.Erasure != ErasureRule.EndedWithSessions)
            .Select(e => e.Name)
            .ToList();

        problems.ShouldBeEmpty("partner and person tables need an owner column");
    }

    private async Task<IReadOnlyList<TableInfo>> SchemaAsync()
    {
        var database = app.Services.GetRequiredService<Database>();
        await using var connection = await database.OpenAsync();
        return await SchemaReader.ReadAsync(connection, database.Dialect);
    }
}
