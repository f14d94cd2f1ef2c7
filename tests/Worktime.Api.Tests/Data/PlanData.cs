using System.Data.Common;
using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;
using Worktime.Api.Forms.Definitions;
using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.Data;

/// <summary>The seeded rows of one form for one partner: ids <see cref="First"/> … <see cref="First"/> + <see cref="Count"/> - 1.</summary>
internal sealed record SeededRows(long First, int Count)
{
    public long Id(long i) => First + (i % Count);
}

/// <summary>
/// Fills every form table straight from the form definitions, in bulk inside the database (one INSERT … SELECT
/// over a generated series per table): a form with a listing date (worktimes, absences) gets
/// <see cref="BigRows"/> rows for the partner under test, every other form <see cref="SmallRows"/>; a second
/// partner gets a tenth of each, so the partner column is not the same in every row. Values follow each field's
/// type: dates spread over the 24 months up to the fake clock's, references to the target's seeded rows, one row in
/// twenty removed. A form added tomorrow is filled the same way, with nothing to write here. Ids come from the one
/// id space every form's rows share (docs/forms.md, "Row ids"), so the API's own inserts afterwards do not collide.
/// </summary>
internal static class PlanData
{
    public const int BigRows = 100_000;
    public const int SmallRows = 10_000;

    /// <summary>Forms whose rows grow with time: their listing is by date.</summary>
    public static bool IsBig(FormDefinition form) => form.DateField is not null;

    private const string FirstDay = "2024-11-01"; // 24 months up to the fake clock's November 2026
    private const int Days = 730;

    public static async Task<Dictionary<FormDefinition, SeededRows>> SeedAsync(
        DbConnection connection, FormRegistry registry, long partner, long creator, int divisor = 1)
    {
        var seeded = new Dictionary<FormDefinition, SeededRows>();
        foreach (var form in InReferenceOrder(registry))
        {
            var count = Math.Max((IsBig(form) ? BigRows : SmallRows) / divisor, 10);
            var first = await ReserveIdsAsync(connection, count);
            var columns = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["id"] = $"{first} + i",
                ["partner_id"] = partner.ToString(CultureInfo.InvariantCulture),
                ["created"] = "'2026-01-01 08:00:00'",
                ["creator_id"] = creator.ToString(CultureInfo.InvariantCulture),
                ["row_status"] = "CASE WHEN i % 20 = 19 THEN 'removed' ELSE 'normal' END",
            };
            foreach (var field in form.StoredFields)
            {
                columns[field.Column!] = Value(connection, form, field, count, seeded, registry);
            }
            foreach (var (column, value) in await RequiredExtraColumnsAsync(connection, form.Table, columns.Keys, partner))
            {
                columns[column] = value;
            }
            await connection.ExecuteAsync(
                $"WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < {count}) "
                + $"INSERT INTO {form.Table} ({string.Join(", ", columns.Keys)}) SELECT {string.Join(", ", columns.Values)} FROM n",
                commandTimeout: 300);
            seeded[form] = new SeededRows(first, count);
        }
        foreach (var form in registry.All)
        {
            foreach (var other in form.Links.Select(registry.Get).Where(o => string.CompareOrdinal(form.Name, o.Name) < 0))
            {
                await LinkAsync(connection, partner, form, seeded[form], other, seeded[other]);
            }
        }
        return seeded;
    }

    /// <summary>Each row of <paramref name="form"/> linked to three rows of <paramref name="other"/>, stored in both directions (docs/forms.md).</summary>
    private static Task<int> LinkAsync(DbConnection connection, long partner, FormDefinition form, SeededRows rows, FormDefinition other, SeededRows others) =>
        connection.ExecuteAsync(
            $"WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < {rows.Count}), k(j) AS (SELECT 0 UNION ALL SELECT 1 UNION ALL SELECT 2), "
            + $"pairs(a, b) AS (SELECT {rows.First} + i, {others.First} + (i * 3 + j) % {others.Count} FROM n, k) "
            + "INSERT INTO form_links (partner_id, a_form, a_id, b_form, b_id) "
            + $"SELECT {partner}, '{form.Name}', a, '{other.Name}', b FROM pairs UNION ALL SELECT {partner}, '{other.Name}', b, '{form.Name}', a FROM pairs",
            commandTimeout: 300);

    /// <summary>Targets before the forms that reference them (a self-reference is filled with the row's own earlier ids).</summary>
    private static List<FormDefinition> InReferenceOrder(FormRegistry registry)
    {
        var ordered = new List<FormDefinition>();
        void Visit(FormDefinition form, HashSet<FormDefinition> path)
        {
            if (ordered.Contains(form) || !path.Add(form))
            {
                return;
            }
            foreach (var target in form.Fields.Where(f => f.Type == FieldType.Database).Select(f => registry.Get(f.Target!)).Where(t => t != form))
            {
                Visit(target, path);
            }
            ordered.Add(form);
        }
        foreach (var form in registry.All)
        {
            Visit(form, []);
        }
        return ordered;
    }

    private static string Value(DbConnection connection, FormDefinition form, FieldDefinition field, int count,
        Dictionary<FormDefinition, SeededRows> seeded, FormRegistry registry)
    {
        var postgres = connection is NpgsqlConnection;
        return field.Type switch
        {
            FieldType.Date => postgres
                ? $"to_char(DATE '{FirstDay}' + (i * {Days} / {count}), 'YYYY-MM-DD')"
                : $"date('{FirstDay}', '+' || (i * {Days} / {count}) || ' days')",
            FieldType.Time => field.Name.StartsWith("end", StringComparison.Ordinal) ? "'16:00'" : "'08:00'",
            FieldType.Minutes => "30",
            FieldType.Computed => "450",
            FieldType.Checkbox => "i % 2",
            FieldType.Number when field is { Min: { } min, Max: { } max } && max - min < 1000 =>
                $"{(long)min} + i % {(long)(max - min) + 1}",
            FieldType.Number => field.Integer ? "i % 100" : "(i % 8) + 0.5",
            FieldType.Dropdown => $"CASE i % {field.Options!.Count} {string.Join(" ", field.Options.Select((o, k) => $"WHEN {k} THEN '{o}'"))} END",
            FieldType.Database when registry.Get(field.Target!) == form => "NULL",
            FieldType.Database => seeded[registry.Get(field.Target!)] is var target ? $"{target.First} + i % {target.Count}" : "NULL",
            FieldType.Array => "NULL",
            _ => $"'{field.Column} ' || i",
        };
    }

    /// <summary>NOT NULL columns without a default that no field names (a user's login key, stamp): a unique text each.</summary>
    private static async Task<List<(string Column, string Value)>> RequiredExtraColumnsAsync(
        DbConnection connection, string table, IEnumerable<string> named, long partner)
    {
        var known = named.ToHashSet(StringComparer.Ordinal);
        var columns = connection is NpgsqlConnection
            ? await connection.QueryAsync<(string Name, string Type)>(
                "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = @table AND is_nullable = 'NO' AND column_default IS NULL",
                new { table })
            : (await connection.QueryAsync<(string Name, string Type, long NotNull, string? Default)>(
                "SELECT name, type, \"notnull\", dflt_value FROM pragma_table_info(@table)", new { table }))
                .Where(c => c.NotNull == 1 && c.Default is null).Select(c => (c.Name, c.Type));
        return columns.Where(c => !known.Contains(c.Name))
            .Select(c => (c.Name, c.Type.Contains("int", StringComparison.OrdinalIgnoreCase) ? "0" : $"'{table}-{partner}-{c.Name}-' || i"))
            .ToList();
    }

    private static Task<long> ReserveIdsAsync(DbConnection connection, int count) =>
        connection is NpgsqlConnection
            ? connection.ExecuteScalarAsync<long>("SELECT setval('row_ids', nextval('row_ids') + @count - 1) - @count + 1", new { count = (long)count })
            : connection.ExecuteScalarAsync<long>("UPDATE row_ids SET last_id = last_id + @count RETURNING last_id - @count + 1", new { count = (long)count });

    /// <summary>A connection of the test's own to the app's database (not the app's pool: nothing here is observed).</summary>
    public static async Task<DbConnection> OpenAsync(WorktimeApplication app)
    {
        DbConnection connection = TestBackend.IsPostgres
            ? new NpgsqlConnection(app.ConnectionString + ";Pooling=false;Command Timeout=300")
            : new SqliteConnection(app.ConnectionString + ";Pooling=False");
        await connection.OpenAsync();
        return connection;
    }
}
