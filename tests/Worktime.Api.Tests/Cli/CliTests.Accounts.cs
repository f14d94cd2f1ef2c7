using Microsoft.Extensions.DependencyInjection;
using Worktime.Api.Accounts;
using Worktime.Api.Tests.Auth;
using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.Cli;

/// <summary>The CLI's side of the account rules (issue 8, items 7 and 11).</summary>
public sealed partial class CliTests
{
    [Theory]
    [InlineData("zero\u200Bwidth", "The username must not contain invisible format characters (zero-width, bidi controls).")]
    [InlineData("   ", "The username must not be empty or only spaces.")]
    public async Task UserAdd_RefusesAUsernameOutsideRfc8265_WithOneLine(string username, string message)
    {
        var (exit, _, stderr) = await RunAsync("cli-password-1\n", "user", "add", "--partner",
            _partner.ToString(System.Globalization.CultureInfo.InvariantCulture), "--username", username, "--level", "1", "--password-stdin");

        exit.ShouldBe(1);
        stderr.TrimEnd().ShouldBe($"worktime: {message}");
    }

    [Fact]
    public async Task Audit_EscapesControlAndBidiCharacters_SoNoFieldOrLineCanBeForged()
    {
        var forged = "evil\n2026-01-01 00:00:00  login_succeeded  partner=1  user=1  username=admin";
        await _app.Services.GetRequiredService<AuditLog>().WriteAsync("login_failed", username: forged,
            ip: "10.0.0.1\u202E", detail: "tab\there  two  spaces \\u{000A}");

        var (exit, stdout, stderr) = await RunAsync(null, "audit", "--since", "1h");

        exit.ShouldBe(0, stderr);
        var line = stdout.Split('\n').Single(l => l.Contains("username=evil", StringComparison.Ordinal));
        line.ShouldContain(@"username=evil\u{000A}2026-01-01 00:00:00 \u{0020}login_succeeded");
        line.ShouldContain(@"ip=10.0.0.1\u{202E}");
        line.ShouldContain(@"tab\u{0009}here \u{0020}two \u{0020}spaces \\u{000A}");
        stdout.Split('\n').ShouldNotContain(l => l.StartsWith("2026-01-01 00:00:00  login_succeeded", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DbMigrate_RenormalisesOldUsernames_AndReportsCollisions()
    {
        // Two names the old rules (lower-case only) kept apart and RFC 8265 folds together, plus one it refuses.
        var tag = Guid.NewGuid().ToString("N")[..8];
        long older = await InsertOldRulesUserAsync($"Stra\u00DFe.{tag}", $"stra\u00DFe.{tag}");
        long newer = await InsertOldRulesUserAsync($"STRASSE.{tag}", $"strasse.{tag}");
        long refused = await InsertOldRulesUserAsync($"zero\u200B.{tag}", $"zero\u200B.{tag}");

        var (exit, stdout, _) = await RunAsync(null, "db", "migrate");

        exit.ShouldBe(1); // conflicts are reported, not silently fixed
        stdout.ShouldContain($"user {newer} ");
        stdout.ShouldContain($"user {refused} ");
        stdout.ShouldNotContain($"user {older} ");
        stdout.ShouldContain(@"zero\u{200B}"); // the report escapes what it prints
        (await _app.ScalarAsync<string>("SELECT username_norm FROM users WHERE id = @older", new { older })).ShouldBe($"strasse.{tag}");
        (await _app.ScalarAsync<long>("SELECT username_rules FROM users WHERE id = @newer", new { newer })).ShouldBe(0);
        (await _app.LoginAsync($"STRASSE.{tag}", "old-rules-pw")).GetProperty("user_id").GetInt64().ShouldBe(older);
    }

    private async Task<long> InsertOldRulesUserAsync(string username, string key)
    {
        var id = await _app.CreateUserAsync(_partner, "placeholder." + Guid.NewGuid().ToString("N")[..12], 1, "old-rules-pw");
        await _app.ExecuteAsync("UPDATE users SET username = @username, username_norm = @key, username_rules = 0 WHERE id = @id",
            new { username, key, id });
        return id;
    }
}
