using Worktime.Api.Accounts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Worktime.Api.Auth;
using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.Auth;

/// <summary>docs/configuration.md: the Auth section is typed, bound, and invalid values fail start-up naming the key.</summary>
[VariesWith(Vary.BackendAndCulture)]
public sealed class AuthOptionsTests
{
    [Theory]
    [InlineData("Auth:Issuer", " ", "Auth:Issuer")]
    [InlineData("Auth:Audience", "", "Auth:Audience")]
    [InlineData("Auth:AccessTokenLifetime", "00:00:10", "Auth:AccessTokenLifetime")]
    [InlineData("Auth:AccessTokenLifetime", "not-a-timespan", "Auth:AccessTokenLifetime")]
    [InlineData("Auth:RefreshTokenLifetime", "00:30:00", "Auth:RefreshTokenLifetime")]
    [InlineData("Auth:Clients:0", "bad client", "Auth:Clients")]
    [InlineData("Auth:CountryHeader", "Bad Header:", "Auth:CountryHeader")]
    [InlineData("Auth:Argon2:MemoryKiB", "4", "Auth:Argon2:MemoryKiB")]
    [InlineData("Auth:Argon2:MemoryKiB", "lots", "Auth:Argon2:MemoryKiB")]
    [InlineData("Auth:Argon2:Iterations", "0", "Auth:Argon2:Iterations")]
    [InlineData("Auth:Argon2:Implementation", "bcrypt", "Auth:Argon2:Implementation")]
    [InlineData("Auth:KeyRefreshInterval", "00:00:00", "Auth:KeyRefreshInterval")]
    [InlineData("Auth:KeyEncryptionKey", "c2hvcnQ=", "Auth:KeyEncryptionKey")]
    [InlineData("Auth:KeyEncryptionKey", "not base64 at all", "Auth:KeyEncryptionKey")]
    [InlineData("Auth:StrictClients:0", "not-a-client", "Auth:StrictClients")]
    public async Task InvalidSetting_FailsStartUp_WithAMessageNamingTheKey(string key, string value, string named)
    {
        var settings = new WorktimeApplicationOptions().Settings;
        settings[key] = value;
        var database = await TestBackend.CreateDatabaseAsync();

        var error = await StartupProbe.FailureAsync(database, settings);

        error.ShouldContain(named);
        (await DatabaseUntouchedAsync(database)).ShouldBeTrue(); // validation runs before migrations
        await TestBackend.DropDatabaseAsync(database);
    }

    private static async Task<bool> DatabaseUntouchedAsync(string database)
    {
        if (!TestBackend.IsPostgres)
        {
            return !File.Exists(database["Data Source=".Length..]) || new FileInfo(database["Data Source=".Length..]).Length == 0;
        }
        await using var connection = new Npgsql.NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'", connection);
        return (long)(await command.ExecuteScalarAsync())! == 0;
    }

    [Fact]
    public async Task Defaults_AreTheDocumentedOnes()
    {
        await using var app = new WorktimeApplication(o =>
        {
            foreach (var key in o.Settings.Keys.Where(k => k.StartsWith("Auth:", StringComparison.Ordinal)).ToList())
            {
                o.Settings.Remove(key);
            }
        });
        await app.InitializeAsync();

        var options = app.Services.GetRequiredService<IOptions<AuthOptions>>().Value;

        // Unset: the server's own listening URL (a test server has no socket, so the configured default urls).
        options.Issuer.ShouldBeNull();
        options.Audience.ShouldBeNull();
        app.Services.GetRequiredService<IssuerAddress>().Issuer.ShouldBe("http://127.0.0.1:5080");
        app.Services.GetRequiredService<IssuerAddress>().Audience.ShouldBe("http://127.0.0.1:5080");
        options.AccessTokenLifetime.ShouldBe(TimeSpan.FromHours(1));
        options.RefreshTokenLifetime.ShouldBe(TimeSpan.FromDays(30));
        options.EffectiveClients.ShouldBe(["openapi", "ember_app"]);
        options.CountryHeader.ShouldBeNull();
        options.Argon2.MemoryKiB.ShouldBe(19456);
        options.Argon2.Iterations.ShouldBe(2);
        options.KeyRefreshInterval.ShouldBe(TimeSpan.FromMinutes(1));
        options.RefreshGracePeriod.ShouldBe(TimeSpan.FromSeconds(30));
        var hasher = app.Services.GetRequiredService<PasswordHasher>();
        hasher.Concurrency.ShouldBe(Environment.ProcessorCount);
        var hash = hasher.Hash("production-defaults");
        hash.ShouldStartWith("$argon2id$v=19$m=19456,t=2,p=1$"); // OWASP: 19 MiB, 2 passes, 1 lane
        hasher.Verify(hash, "production-defaults").ShouldBeTrue();
        hasher.Verify(hash, "production-default").ShouldBeFalse();
        hasher.NeedsRehash(hash).ShouldBeFalse();
    }

    [Fact]
    public async Task ConfiguredClients_ReplaceTheDefaults()
    {
        await using var app = await WorktimeApplication.StartAsync(o => o.Settings["Auth:Clients:0"] = "mobile");

        app.Services.GetRequiredService<IOptions<AuthOptions>>().Value.EffectiveClients.ShouldBe(["mobile"]);
        using var response = await app.CreateClient().PasswordGrantAsync("admin", "x", clientId: "openapi");
        await response.ShouldBeErrorAsync(400, "invalid_client");
    }
}
