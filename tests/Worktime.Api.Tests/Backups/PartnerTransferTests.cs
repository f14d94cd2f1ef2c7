using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Worktime.Api.Accounts;
using Worktime.Api.Data;
using Worktime.Api.Tests.Forms;
using Worktime.Api.Tests.Infrastructure;
using Worktime.Api.Tests.MultiNode;

namespace Worktime.Api.Tests.Backups;

/// <summary>
/// Issue 23, "A tenant's data in and out": <c>worktime partner export</c> and <c>partner import</c> through the real
/// CLI and HTTP. Partner A (a row of every form, project-task links, an audit trail) is exported with its password
/// hashes and imported into a database of the same backend that already holds partner B: A's admin logs in with the
/// same password and findAll of every form reads what it read before, differing only by ids that the import mapped
/// (old to new, in order); B's rows are untouched. The export without credentials goes into a database of the other
/// backend (SQLite to PostgreSQL in the sqlite pass, back in the postgres pass): nobody logs in until a password is set.
/// A second import (the usernames are taken), a cut-off file and a newer version are refused with one line and write
/// nothing.
/// </summary>
[VariesWith(Vary.Backend)]
[Collection(Cli.SerialCollection.Name)]
public sealed partial class PartnerTransferTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "worktime-tests", $"transfer-{Guid.NewGuid():N}");
    private string _source = "";
    private string _target = "";
    private string _other = "";

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        _source = await TestBackend.CreateDatabaseAsync();
        _target = await TestBackend.CreateDatabaseAsync();
        _other = await DatabaseCopyTests.OtherBackendDatabaseAsync();
    }

    public async Task DisposeAsync()
    {
        await TestBackend.DropDatabaseAsync(_source);
        await TestBackend.DropDatabaseAsync(_target);
        await DatabaseCopyTests.DropOtherBackendDatabaseAsync(_other);
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task ExportAndImport_IntoADatabaseWithAnotherPartner_ReadTheSameRowsUnderNewIds()
    {
        long partnerA;
        long adminId;
        await using (var admin = WorktimeApplication.OnDatabase(_source))
        {
            partnerA = (await admin.Services.GetRequiredService<PartnerStore>().AddAsync("Leaving Oy", "fi")).OrThrow();
            var accounts = admin.Services.GetRequiredService<UserAccounts>();
            adminId = (await accounts.CreateAsync(partnerA, "leave.admin", 5, Node.Password)).OrThrow();
            (await accounts.CreateAsync(partnerA, "leave.worker", 1, Node.Password)).OrThrow();
        }
        Dictionary<string, string> before;
        await using (var node = await Node.StartAsync(_source))
        {
            var tokens = await TokenClient.LoginAsync(node, "leave.admin", Node.Password);
            await TenantData.FillAsync(TenantData.As(node, adminId, 5, "leave.admin", tokens.Access));
            before = await TenantData.FindAllAsync(TenantData.As(node, adminId, 5, "leave.admin", tokens.Access).Client);
        }
        // Partner B in the target, with rows of its own, so A's old ids are taken there.
        var otherAdmin = await Node.AddUserAsync(_target, "stay.admin", 5, "Staying Oy");
        Dictionary<string, string> otherBefore;
        await using (var node = await Node.StartAsync(_target))
        {
            var tokens = await TokenClient.LoginAsync(node, "stay.admin", Node.Password);
            await TenantData.FillAsync(TenantData.As(node, otherAdmin, 5, "stay.admin", tokens.Access));
            otherBefore = await TenantData.FindAllAsync(TenantData.As(node, otherAdmin, 5, "stay.admin", tokens.Access).Client);
        }

        var withCredentials = await ExportAsync(partnerA, "with.ndjson", "--with-credentials");
        (await File.ReadAllTextAsync(withCredentials)).ShouldContain("\"password_hash\":\"");
        var imported = await ImportAsync(withCredentials, _target);
        var map = await IdMapAsync(withCredentials, _target, imported);
        map[adminId].ShouldNotBe(adminId, "B's rows hold A's old ids in the target");
        var audit = await AuditRowsAsync(_source, partnerA);
        audit.ShouldNotBeEmpty();
        (await AuditRowsAsync(_target, imported)).ShouldBe(audit, "the audit trail came along");

        await using (var node = await Node.StartAsync(_target))
        {
            var tokens = await TokenClient.LoginAsync(node, "leave.admin", Node.Password);
            var after = await TenantData.FindAllAsync(TenantData.As(node, map[adminId], 5, "leave.admin", tokens.Access).Client);
            ShouldReadTheSame(before, after, map);
            var other = await TenantData.FindAllAsync(TenantData.As(node, otherAdmin, 5, "stay.admin",
                (await TokenClient.LoginAsync(node, "stay.admin", Node.Password)).Access).Client);
            other.ShouldBe(otherBefore, "the other partner's rows after the import");
        }

        // Refused, one line, nothing written: the same people again, a cut-off file, a file of a later version.
        var state = await StateAsync(_target);
        await ShouldRefuseAsync(withCredentials, "already exist");
        var lines = await File.ReadAllLinesAsync(withCredentials);
        var cut = Path.Combine(_folder, "cut.ndjson");
        await File.WriteAllLinesAsync(cut, lines[..^1]);
        await ShouldRefuseAsync(cut, "cut off");
        var newer = Path.Combine(_folder, "newer.ndjson");
        await File.WriteAllLinesAsync(newer, [lines[0].Replace("\"version\":1", "\"version\":2", StringComparison.Ordinal), .. lines[1..]]);
        await ShouldRefuseAsync(newer, "newer than this binary");
        (await StateAsync(_target)).ShouldBe(state, "a refused import writes nothing");

        // Without credentials, into the other backend: nobody logs in until a password is set.
        var withoutCredentials = await ExportAsync(partnerA, "without.ndjson");
        (await File.ReadAllTextAsync(withoutCredentials)).ShouldNotContain("password_hash");
        var moved = await ImportAsync(withoutCredentials, _other);
        var otherMap = await IdMapAsync(withoutCredentials, _other, moved);
        await using (var node = await Node.StartAsync(_other))
        {
            using (var refused = await TokenClient.PasswordAsync(node, "leave.admin", Node.Password))
            {
                refused.StatusCode.ShouldNotBe(HttpStatusCode.OK, "an imported user without a password hash");
            }
            var passwd = await WorktimeCli.RunAsync(["user", "passwd", "--username", "leave.admin", "--password-stdin", "--db", _other],
                stdin: Node.Password + "\n", timeout: TimeSpan.FromMinutes(2));
            passwd.ExitCode.ShouldBe(0, passwd.Stderr);
            var tokens = await TokenClient.LoginAsync(node, "leave.admin", Node.Password);
            var after = await TenantData.FindAllAsync(TenantData.As(node, otherMap[adminId], 5, "leave.admin", tokens.Access).Client);
            // Setting the password is a change of the user: their row's modified time moves on, nothing else does.
            ShouldReadTheSame(before, after, otherMap, path => path.StartsWith("users.", StringComparison.Ordinal) && path.EndsWith(".row_info.modified", StringComparison.Ordinal));
        }
    }

    /// <summary>Runs the export; standard output must be the file alone (NDJSON: a header, rows, an end line).</summary>
    private async Task<string> ExportAsync(long partner, string name, params string[] options)
    {
        var export = await WorktimeCli.RunAsync(
            ["partner", "export", "--partner", partner.ToString(CultureInfo.InvariantCulture), .. options, "--db", _source],
            timeout: TimeSpan.FromMinutes(2));
        export.ExitCode.ShouldBe(0, export.Stderr);
        export.Stderr.ShouldStartWith("Exported partner");
        var lines = export.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var documents = lines.Select(line => JsonDocument.Parse(line).RootElement).ToList();
        documents[0].GetProperty("format").GetString().ShouldBe("worktime-partner-export");
        documents[0].GetProperty("version").GetInt32().ShouldBe(1);
        documents[^1].TryGetProperty("end", out _).ShouldBeTrue("the last line ends the file");
        foreach (var row in documents.Skip(1).SkipLast(1))
        {
            row.GetProperty("table").GetString().ShouldNotBeNull();
            row.GetProperty("row").ValueKind.ShouldBe(JsonValueKind.Object);
        }
        var path = Path.Combine(_folder, name);
        await File.WriteAllTextAsync(path, export.Stdout);
        return path;
    }

    /// <summary>Runs the import; returns the new partner's id from its summary.</summary>
    private static async Task<long> ImportAsync(string file, string database)
    {
        var import = await WorktimeCli.RunAsync(["partner", "import", file, "--db", database], timeout: TimeSpan.FromMinutes(3));
        import.ExitCode.ShouldBe(0, import.Stderr);
        var match = ImportedAs().Match(import.Stdout);
        match.Success.ShouldBeTrue(import.Stdout);
        return long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    private async Task ShouldRefuseAsync(string file, string because)
    {
        var import = await WorktimeCli.RunAsync(["partner", "import", file, "--db", _target], timeout: TimeSpan.FromMinutes(2));
        import.ExitCode.ShouldBe(1, import.Stdout);
        import.Stdout.ShouldBeEmpty();
        var line = import.Stderr.TrimEnd().Split('\n').ShouldHaveSingleItem(because);
        line.ShouldStartWith("worktime: ");
        line.ShouldContain(because);
    }

    /// <summary>
    /// Old id to new: the form rows' ids of the file, in order, against the imported partner's ids in the database, in
    /// order (the import hands out new ids in the order of the old ones). Partner ids are a space of their own
    /// (row_info.partnerid), kept under <see cref="PartnerKey"/> minus the old id.
    /// </summary>
    private static async Task<Dictionary<long, long>> IdMapAsync(string file, string database, long partner)
    {
        var old = new List<long>();
        long oldPartner = 0;
        await foreach (var line in File.ReadLinesAsync(file))
        {
            var root = JsonDocument.Parse(line).RootElement;
            if (root.TryGetProperty("partner", out var p))
            {
                oldPartner = p.GetInt64();
            }
            if (root.TryGetProperty("table", out var table) && TableCatalog.Find(table.GetString()!) is { IsForm: true })
            {
                old.Add(root.GetProperty("row").GetProperty("id").GetInt64());
            }
        }
        await using var db = new Database(database);
        await using var connection = await db.OpenAsync();
        var fresh = new List<long>();
        foreach (var table in TableCatalog.AllocatorTables)
        {
            fresh.AddRange(await connection.QueryAsync<long>($"SELECT id FROM {table.Name} WHERE partner_id = @partner", new { partner }));
        }
        fresh.Count.ShouldBe(old.Count, "every form row of the file is in the database");
        oldPartner.ShouldBeGreaterThan(0);
        var map = old.Order().Zip(fresh.Order()).ToDictionary(p => p.First, p => p.Second);
        map[PartnerKey - oldPartner] = partner; // row_info.partnerid: see Compare
        return map;
    }

    /// <summary>Every difference between two findAll bodies must be an id and its mapped id.</summary>
    private static void ShouldReadTheSame(Dictionary<string, string> before, Dictionary<string, string> after, Dictionary<long, long> map,
        Func<string, bool>? changed = null)
    {
        after.Keys.ShouldBe(before.Keys, ignoreOrder: true);
        var remapped = 0;
        foreach (var (form, body) in before)
        {
            Compare(JsonDocument.Parse(body).RootElement, JsonDocument.Parse(after[form]).RootElement, form, map, changed ?? (_ => false), ref remapped);
        }
        remapped.ShouldBeGreaterThan(0, "ids were remapped");
    }

    private static void Compare(JsonElement old, JsonElement now, string path, Dictionary<long, long> map, Func<string, bool> changed, ref int remapped)
    {
        if (changed(path))
        {
            return;
        }
        if (old.ValueKind != now.ValueKind)
        {
            throw new ShouldAssertException($"{path}: {old.GetRawText()} became {now.GetRawText()}");
        }
        switch (old.ValueKind)
        {
            case JsonValueKind.Object:
                now.EnumerateObject().Select(p => p.Name).ShouldBe(old.EnumerateObject().Select(p => p.Name), path);
                foreach (var property in old.EnumerateObject())
                {
                    Compare(property.Value, now.GetProperty(property.Name), $"{path}.{property.Name}", map, changed, ref remapped);
                }
                break;
            case JsonValueKind.Array:
                now.GetArrayLength().ShouldBe(old.GetArrayLength(), path);
                for (var i = 0; i < old.GetArrayLength(); i++)
                {
                    Compare(old[i], now[i], $"{path}[{i}]", map, changed, ref remapped);
                }
                break;
            default:
                var (a, b) = (old.ValueKind == JsonValueKind.String ? old.GetString()! : old.GetRawText(),
                    now.ValueKind == JsonValueKind.String ? now.GetString()! : now.GetRawText());
                if (a == b)
                {
                    return;
                }
                long.TryParse(a, NumberStyles.None, CultureInfo.InvariantCulture, out var oldId).ShouldBeTrue($"{path}: '{a}' became '{b}'");
                oldId = path.EndsWith(".partnerid", StringComparison.Ordinal) ? PartnerKey - oldId : oldId;
                map.GetValueOrDefault(oldId).ToString(CultureInfo.InvariantCulture).ShouldBe(b, $"{path}: id {a} maps to");
                remapped++;
                break;
        }
    }

    /// <summary>Partner ids in the id map: below zero, apart from the row ids.</summary>
    private const long PartnerKey = -1;

    /// <summary>The partner's audit records as text (time, event, name, address, detail), in their order.</summary>
    private static async Task<List<string>> AuditRowsAsync(string database, long partner)
    {
        await using var db = new Database(database);
        await using var connection = await db.OpenAsync();
        return [.. await connection.QueryAsync<string>(
            "SELECT CAST(at AS TEXT) || '|' || event || '|' || COALESCE(username, '') || '|' || COALESCE(ip, '') || '|' || COALESCE(detail, '') FROM audit_records WHERE partner_id = @partner ORDER BY id",
            new { partner })];
    }

    /// <summary>The partners, users and the id allocator of a database, as text.</summary>
    private static async Task<string> StateAsync(string database)
    {
        await using var db = new Database(database);
        await using var connection = await db.OpenAsync();
        var partners = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM partners");
        var users = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM users");
        var allocator = await Worktime.Api.Backups.DatabaseCheck.ReadAllocatorAsync(connection, db.Dialect);
        return string.Create(CultureInfo.InvariantCulture, $"{partners} partners, {users} users, allocator {allocator}");
    }

    [GeneratedRegex(@"as partner (\d+):")]
    private static partial Regex ImportedAs();
}
