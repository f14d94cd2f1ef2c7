using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Worktime.Api.Backups;
using Worktime.Api.Data;
using Worktime.Api.Forms.Definitions;
using Worktime.Api.Tests.Auth;
using Worktime.Api.Tests.Forms;
using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.Upgrades;

/// <summary>
/// Issue 23, "Upgrades": a database made by every earlier schema version, with data in every form
/// (<see cref="UpgradeFixture"/>), opens with the current binary: the pending migrations run once, every row keeps its
/// id and values, passwords still log in, tokens signed with the stored key are still accepted, a refresh token of a
/// stored session still rotates, findAll shows every row, new ids land above the old ones, and <c>db check</c> finds
/// nothing wrong. A migration without a fixture fails here (docs/deploy.md, "Upgrade fixtures").
/// </summary>
[VariesWith(Vary.Backend)]
public sealed class UpgradeTests(UpgradeTests.EveryVersion versions) : IClassFixture<UpgradeTests.EveryVersion>
{
    /// <summary>A database of every earlier version, built in one climb (<see cref="UpgradeFixture.BuildEveryAsync"/>); each test takes one.</summary>
    public sealed class EveryVersion : IAsyncLifetime
    {
        private Dictionary<string, string> _databases = [];

        public async Task InitializeAsync() => _databases = await UpgradeFixture.BuildEveryAsync();

        /// <summary>The database at <paramref name="version"/>, now the caller's to drop.</summary>
        public string Take(string version)
        {
            _databases.Remove(version, out var database).ShouldBeTrue($"version {version} is taken once");
            return database!;
        }

        public async Task DisposeAsync()
        {
            foreach (var database in _databases.Values)
            {
                await TestBackend.DropDatabaseAsync(database);
            }
        }
    }

    private const string FixtureKid = "fixture-key-2025";
    private const string FixtureRefreshJti = "fixture-refresh-jti-1";

    /// <summary>Columns the start-up may change on purpose, with the reason.</summary>
    private static readonly Dictionary<(string Table, string Column), string> ChangedOnPurpose = new()
    {
        [("users", "username_norm")] = "old login keys are renormalised to RFC 8265 at start (migration 006, docs/auth.md)",
        [("users", "username_rules")] = "the same renormalisation records the rules it used",
    };

    public static TheoryData<string> Versions() => [.. UpgradeFixture.Versions];

    [Fact]
    public void EveryMigration_HasAnUpgradeFixture_AndEveryFixtureAMigration()
    {
        var sqlite = Migrator.Scripts(DbDialect.Sqlite).Select(s => s.Version).ToList();
        var fixtures = Directory.GetFiles(UpgradeFixture.Folder, "*.sql").Select(f => Path.GetFileNameWithoutExtension(f)!).Order(StringComparer.Ordinal).ToList();

        Migrator.Scripts(DbDialect.Postgres).Select(s => s.Version).ShouldBe(sqlite, "both dialects carry the same migrations");
        fixtures.ShouldBe(sqlite,
            "every migration needs tests/Worktime.Api.Tests/Upgrades/Fixtures/<version>.sql with the rows that release wrote (docs/deploy.md, \"Upgrade fixtures\")");
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task ADatabaseOfAnEarlierVersion_OpensWithTheCurrentBinary_KeepingRowsPasswordsAndKeys(string version)
    {
        var fixture = versions.Take(version);
        var index = UpgradeFixture.Versions.ToList().IndexOf(version);
        var before = await UpgradeFixture.SnapshotAsync(fixture);
        await using var app = WorktimeApplication.OnDatabase(fixture);
        app.KeepDatabase = false;
        _ = app.Server; // starts: migrates, renormalises usernames, loads the keys

        var after = await UpgradeFixture.SnapshotAsync(fixture);
        RowsLostOrChanged(before, after).ShouldBeEmpty();
        (await MigrationsAsync(app)).ShouldBe(UpgradeFixture.Versions, "every migration recorded exactly once");
        (await app.Service<Migrator>().MigrateAsync()).ShouldBeEmpty("a second run finds nothing to do");
        await using (var connection = await app.Service<Database>().OpenAsync())
        {
            var check = await DatabaseCheck.RunAsync(connection, app.Service<Database>().Dialect);
            check.Problems.ShouldBeEmpty();
        }

        // Passwords of every kind still log in (Straße's login key became 'strasse').
        var admin = await app.LoginAsync("Fixture.Admin", "pw-fixture-admin-1");
        await app.LoginAsync("straße", "pw-fixture-legacy-1");
        await app.LoginAsync("other.user", "pw-fixture-other-1");
        if (index >= 5)
        {
            await app.LoginAsync("new.rules", "pw-fixture-new-rules-1");
        }
        if (index >= 1)
        {
            await TokensOfTheStoredKeyStillWorkAsync(app, securityVersion: index >= 4 ? 2 : 0);
        }
        if (index >= 2)
        {
            // The admin's token of the login above reads and writes (a login per step cost an Argon2 hash each).
            using var client = app.CreateClient();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", admin.GetProperty("access_token").GetString());
            await EveryFormShowsItsRowsAsync(client, fixture);
            await NewIdsLandAboveEveryOldIdAsync(client, before);
        }
    }

    /// <summary>Rows of the fixture missing after the start, or changed in a column that existed before.</summary>
    private static List<string> RowsLostOrChanged(
        Dictionary<string, List<Dictionary<string, string>>> before, Dictionary<string, List<Dictionary<string, string>>> after)
    {
        var problems = new List<string>();
        foreach (var (table, rows) in before)
        {
            var columns = rows.FirstOrDefault()?.Keys.Where(c => !ChangedOnPurpose.ContainsKey((table, c))).ToList() ?? [];
            string Line(Dictionary<string, string> row) => string.Join(" | ", columns.Select(c => $"{c}={row[c]}"));
            var remaining = after[table].Select(Line).ToList();
            foreach (var line in rows.Select(Line))
            {
                if (!remaining.Remove(line))
                {
                    problems.Add($"{table}: {line}");
                }
            }
        }
        return problems;
    }

    private static async Task<List<string>> MigrationsAsync(WorktimeApplication app)
    {
        await using var connection = await app.Service<Database>().OpenAsync();
        return (await connection.QueryAsync<string>("SELECT version FROM schema_migrations")).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>An access and a refresh token signed with the fixture's stored key, as that release issued them.</summary>
    private static async Task TokensOfTheStoredKeyStillWorkAsync(WorktimeApplication app, long securityVersion)
    {
        using var key = await StoredKeyAsync(app);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = JsonSerializer.Serialize(new { alg = "RS256", kid = FixtureKid, typ = "JWT" });
        var claims = new Dictionary<string, object?>
        {
            ["username"] = "fixture.admin",
            ["userid"] = "1",
            ["partnerid"] = "1",
            ["security_version"] = securityVersion == 0 ? null : securityVersion, // tokens before 005 had no such claim
        };
        var access = TokenForge.SignRs256(header, TokenForge.AccessPayload(now, claims), key);
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", access);
        using var me = await client.GetAsync("/me");
        (await me.ShouldBeJsonAsync(200)).GetProperty("user").GetProperty("id").GetInt64().ShouldBe(1);

        claims["jti"] = FixtureRefreshJti;
        claims["token_use"] = "refresh";
        claims["userlevel"] = null;
        claims["country"] = null;
        var refresh = TokenForge.SignRs256(header, TokenForge.AccessPayload(now, claims), key);
        using var anonymous = app.CreateClient();
        using var rotated = await anonymous.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = refresh,
            ["client_id"] = "openapi",
        }));
        var body = await rotated.ShouldBeJsonAsync(200);
        body.GetProperty("refresh_token").GetString().ShouldNotBe(refresh);
    }

    private static async Task<RSA> StoredKeyAsync(WorktimeApplication app)
    {
        await using var connection = await app.Service<Database>().OpenAsync();
        var pkcs8 = await connection.ExecuteScalarAsync<string>("SELECT private_key FROM signing_keys WHERE kid = @FixtureKid", new { FixtureKid });
        var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(Convert.FromBase64String(pkcs8!), out _);
        return rsa;
    }

    /// <summary>findAll of every form, as the fixture's admin, lists exactly the partner's live rows of the fixture.</summary>
    private static async Task EveryFormShowsItsRowsAsync(HttpClient client, string fixture)
    {
        await using var database = new Database(fixture);
        await using var connection = await database.OpenAsync();
        var present = (await SchemaReader.ReadAsync(connection, database.Dialect)).Select(t => t.Name).ToHashSet();
        foreach (var form in FormRegistry.BuiltIn.All.Where(f => present.Contains(f.Table)))
        {
            var expected = (await connection.QueryAsync<long>(
                $"SELECT id FROM {form.Table} WHERE partner_id = 1 AND row_status = 'normal'")).Order().ToList();
            var range = form.DateField is { } date ? $"&{date}=2020-01-01_2030-12-31" : "";
            using var response = await client.GetAsync($"/{form.PluralKey}?limit=100{range}");
            var body = await response.ShouldBeJsonAsync(200);
            body.GetProperty(form.PluralKey).EnumerateArray().Select(r => r.Id()).Order().ToList()
                .ShouldBe(expected, $"findAll of {form.PluralKey}");
        }
    }

    private static async Task NewIdsLandAboveEveryOldIdAsync(HttpClient client, Dictionary<string, List<Dictionary<string, string>>> before)
    {
        var highest = TableCatalog.AllocatorTables.Where(t => before.ContainsKey(t.Name))
            .SelectMany(t => before[t.Name]).Select(r => long.Parse(r["id"], System.Globalization.CultureInfo.InvariantCulture)).Max();
        var created = await client.CreateAsync("worktimes", "worktime",
            new Dictionary<string, object> { ["date"] = "2026-11-02", ["user"] = 2, ["starttime"] = "08:00", ["endtime"] = "12:00" });
        created.Id().ShouldBeGreaterThan(highest);
        using var read = await client.GetAsync($"/worktimes/{created.Id()}");
        read.StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
