using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Dapper;
using Worktime.Api.Data;

namespace Worktime.Api.Backups;

/// <summary>
/// <c>worktime partner export --partner N</c> (docs/deploy.md, "A tenant's data in and out"): every row of one partner
/// that <see cref="TableCatalog"/> marks <see cref="PartnerExport.Rows"/>, read in one snapshot (a running server is not
/// blocked) and written to a stream as <see cref="TenantFile"/> NDJSON. Credential columns (password hashes) are left
/// out unless asked for. Nothing but the file is written to the stream; the summary is the caller's to print elsewhere.
/// </summary>
internal static class TenantExport
{
    public static async Task<BackupOutcome> ExportAsync(string connectionString, long partner, bool withCredentials, Stream output,
        TimeProvider time, CancellationToken ct)
    {
        var dialect = DbDialectExtensions.FromConnectionString(connectionString);
        if (dialect == DbDialect.Sqlite && (SqliteBackups.DataSource(connectionString) is not { } path || !File.Exists(path)))
        {
            return BackupOutcome.Fail($"there is no database at {SqliteBackups.DataSource(connectionString) ?? ":memory:"}");
        }
        await using var source = await DatabaseCopy.OpenAsync(connectionString, dialect, ct);
        if (await TenantFile.SchemaProblemAsync(source, dialect, "source") is { } problem)
        {
            return BackupOutcome.Fail(problem);
        }
        await using var read = await DatabaseCopy.BeginSnapshotAsync(source, ct);
        if (await source.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM partners WHERE id = @partner", new { partner }, read) == 0)
        {
            return BackupOutcome.Fail(string.Create(CultureInfo.InvariantCulture, $"there is no partner {partner}"));
        }
        var schema = (await SchemaReader.ReadAsync(source, dialect, read)).ToDictionary(t => t.Name, StringComparer.Ordinal);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = false });

        json.WriteStartObject();
        json.WriteString("format", TenantFile.Format);
        json.WriteNumber("version", TenantFile.Version);
        json.WriteString("schema", Migrator.LatestVersion(dialect));
        json.WriteNumber("partner", partner);
        json.WriteBoolean("with_credentials", withCredentials);
        json.WriteString("exported_at", time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        json.WriteEndObject();
        await EndLineAsync(json, output, ct);

        foreach (var entry in TenantFile.ExportedTables)
        {
            var table = schema.GetValueOrDefault(entry.Name);
            if (table is null)
            {
                continue; // a catalog entry for a table a later migration adds
            }
            var columns = table.Columns.Select(c => c.Name)
                .Where(c => withCredentials || !entry.Credentials.Contains(c))
                .ToList();
            counts[entry.Name] = await WriteRowsAsync(source, read, entry, columns, partner, json, output, ct);
        }

        json.WriteStartObject();
        json.WriteStartObject("end");
        json.WriteStartObject("rows");
        foreach (var (table, rows) in counts)
        {
            json.WriteNumber(table, rows);
        }
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();
        await EndLineAsync(json, output, ct);
        await output.FlushAsync(ct);
        return BackupOutcome.Done(string.Create(CultureInfo.InvariantCulture,
            $"Exported partner {partner}: {counts.Values.Sum()} rows of {counts.Count} tables ({counts.GetValueOrDefault(TableCatalog.Users)} users, {(withCredentials ? "with" : "without")} password hashes)."));
    }

    private static async Task<long> WriteRowsAsync(DbConnection source, DbTransaction read, TableEntry entry, List<string> columns, long partner,
        Utf8JsonWriter json, Stream output, CancellationToken ct)
    {
        await using var select = source.CreateCommand();
        select.Transaction = read;
#pragma warning disable CA2100 // identifiers from the catalog and the database's own schema, quoted; the partner bound
        select.CommandText = TenantFile.SelectRows(entry, columns);
#pragma warning restore CA2100
        var parameter = select.CreateParameter();
        parameter.ParameterName = "partner";
        parameter.Value = partner;
        select.Parameters.Add(parameter);
        await using var reader = await select.ExecuteReaderAsync(ct);
        long rows = 0;
        while (await reader.ReadAsync(ct))
        {
            json.WriteStartObject();
            json.WriteString("table", entry.Name);
            json.WriteStartObject("row");
            for (var i = 0; i < columns.Count; i++)
            {
                json.WritePropertyName(columns[i]);
                TenantFile.WriteValue(json, await reader.IsDBNullAsync(i, ct) ? null : reader.GetValue(i));
            }
            json.WriteEndObject();
            json.WriteEndObject();
            await EndLineAsync(json, output, ct);
            rows++;
        }
        return rows;
    }

    /// <summary>Ends one NDJSON line: the object written so far, then a newline.</summary>
    private static async Task EndLineAsync(Utf8JsonWriter json, Stream output, CancellationToken ct)
    {
        await json.FlushAsync(ct);
        json.Reset();
        output.WriteByte((byte)'\n');
    }
}
