using System.Net;
using System.Text;
using CsCheck;
using Worktime.Api.Accounts;
using Worktime.Api.Accounts.Argon2;
using Worktime.Api.Tests.Forms;
using Worktime.Api.Tests.Infrastructure;

using Worktime.Api.Tests.Auth;

namespace Worktime.Api.Tests.Accounts;

/// <summary>
/// docs/auth.md, "Password hashing": Argon2id through libargon2 (the reference implementation, with each hashing
/// thread's memory kept) or libsodium. Both read and write the same PHC strings, so a server can switch either way
/// without a password reset, and a stored string that is not one is a failed login, never an error.
/// </summary>
[VariesWith(Vary.Nothing)]
public sealed class Argon2ImplementationTests
{
    private const string Implementation = "Auth:Argon2:Implementation";

    [Fact]
    public async Task The_default_is_the_reference_implementation_on_a_system_that_has_it()
    {
        // scripts/test installs libargon2-1, as docs/deploy.md asks of a server.
        LibArgon2Engine.TryLoad().ShouldNotBeNull();
        await using var app = await WorktimeApplication.StartAsync();

        app.Service<PasswordHasher>().Implementation.ShouldBe("libargon2");
        CapturedLogs.All.ShouldContain(line => line.Contains("Argon2id through libargon2", StringComparison.Ordinal)); // docs/deploy.md
    }

    [Theory]
    [InlineData("libsodium", "libargon2")]
    [InlineData("libargon2", "libsodium")]
    public async Task A_password_set_through_one_implementation_logs_in_through_the_other(string before, string after)
    {
        string database;
        long partner;
        await using (var first = await WorktimeApplication.StartAsync(o => { o.Settings[Implementation] = before; o.KeepDatabase = true; }))
        {
            first.Service<PasswordHasher>().Implementation.ShouldBe(before);
            partner = await first.CreatePartnerAsync();
            await first.CreateUserAsync(partner, "switch-" + before, 1, "kesä-salasana ünïcode");
            await first.LoginAsync("switch-" + before, "kesä-salasana ünïcode");
            database = first.ConnectionString;
        }

        await using var second = WorktimeApplication.OnDatabase(database, o => { o.Settings[Implementation] = after; o.KeepDatabase = false; });
        second.Service<PasswordHasher>().Implementation.ShouldBe(after);
        var stored = await second.ScalarAsync<string>("SELECT password_hash FROM users WHERE username = @u", new { u = "switch-" + before });
        stored.ShouldStartWith("$argon2id$v=19$m=8192,t=1,p=1$");
        using var client = second.ClientFrom("10.0.92.1");

        using (var right = await client.PasswordGrantAsync("switch-" + before, "kesä-salasana ünïcode"))
        {
            right.StatusCode.ShouldBe(HttpStatusCode.OK);
        }
        using var wrong = await client.PasswordGrantAsync("switch-" + before, "kesä-salasana unicode");
        (await wrong.ShouldBeJsonAsync(400)).GetProperty("error").GetString().ShouldBe("invalid_grant");
        (await second.ScalarAsync<string>("SELECT password_hash FROM users WHERE username = @u", new { u = "switch-" + before }))
            .ShouldBe(stored); // same parameters: nothing to rehash
    }

    [Theory]
    [InlineData("libargon2")]
    [InlineData("libsodium")]
    public async Task A_stored_string_that_is_not_a_valid_argon2id_hash_is_a_failed_login(string implementation)
    {
        var valid = Argon2idEngine.Select(implementation).Hash(Encoding.UTF8.GetBytes(AuthTestExtensions.DefaultPassword), 1, 8192);
        var parts = valid.Split('$'); // "", "argon2id", "v=19", "m=8192,t=1,p=1", salt, hash
        string[] broken =
        [
            $"$argon2id$v=19$m=8192,t=1,p=1${parts[4]}$",                         // no hash
            $"$argon2id$v=19$m=8192,t=1,p=1$${parts[5]}",                         // no salt
            $"$argon2id$v=18$m=8192,t=1,p=1${parts[4]}${parts[5]}",                // another version
            $"$argon2id$v=19$m=08192,t=1,p=1${parts[4]}${parts[5]}",               // leading zero
            $"$argon2id$v=19$m=4,t=1,p=1${parts[4]}${parts[5]}",                   // too little memory
            $"$argon2id$v=19$m=99999999999,t=1,p=1${parts[4]}${parts[5]}",         // more than a uint
            $"$argon2id$v=19$m=8192,t=1,p=0${parts[4]}${parts[5]}",                // no lanes
            $"$argon2id$v=19$t=1,m=8192,p=1${parts[4]}${parts[5]}",                // parameters out of order
            $"$argon2id$v=19$m=8192,t=1,p=1${parts[4]}=${parts[5]}",               // padding
            $"$argon2id$v=19$m=8192,t=1,p=1${parts[4]} ${parts[5]}",               // white space
            $"$argon2id$v=19$m=8192,t=1,p=1${parts[4]}${parts[5]}$",               // trailing field
            $"$argon2i$v=19$m=8192,t=1,p=1${parts[4]}${parts[5]}",                 // another variant
            $"$argon2id$v=19$m=8192,t=1,p=1${parts[4]}${StrayBit(parts[5])}",      // same bytes, not the canonical text
            $"$argon2id$v=19$m=8192,t=1,p=1${parts[4]}${parts[5][..16]}",          // a 12-byte hash (both need 16 or more)
        ];
        await using var app = await WorktimeApplication.StartAsync(o => o.Settings[Implementation] = implementation);
        var partner = await app.CreatePartnerAsync();
        using var client = app.ClientFrom("10.0.93.1");
        for (var i = 0; i < broken.Length; i++)
        {
            var id = await app.CreateUserAsync(partner, $"broken-{implementation}-{i}", 1);
            await app.ExecuteAsync("UPDATE users SET password_hash = @hash WHERE id = @id", new { hash = broken[i], id });

            using var response = await client.PasswordGrantAsync($"broken-{implementation}-{i}");

            (await response.ShouldBeJsonAsync(400)).GetProperty("error").GetString().ShouldBe("invalid_grant", broken[i]);
        }
        var control = await app.CreateUserAsync(partner, $"intact-{implementation}", 1);
        await app.ExecuteAsync("UPDATE users SET password_hash = @valid WHERE id = @id", new { valid, id = control });
        using var intact = await client.PasswordGrantAsync($"intact-{implementation}");
        intact.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    /// <summary>The 32-byte hash in base64 leaves 4 unused bits in its last character; this sets one of them.</summary>
    private static string StrayBit(string base64)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        return base64[..^1] + alphabet[alphabet.IndexOf(base64[^1], StringComparison.Ordinal) ^ 1];
    }

    /// <summary>
    /// Any password (any UTF-8), any salt: a hash made by one implementation verifies with the other, and only for
    /// that password. Small memory keeps the hundred hashes fast; the code path is the one logins take.
    /// </summary>
    [Fact]
    public void Hashes_agree_between_the_implementations_for_any_password()
    {
        var reference = LibArgon2Engine.TryLoad().ShouldNotBeNull();
        var sodium = Argon2idEngine.Select("libsodium");
        Gen.String.Select(Gen.Bool, Gen.Int[1, 3], Gen.Int[8, 64]).Sample((password, referenceFirst, iterations, memoryKiB) =>
        {
            var bytes = Encoding.UTF8.GetBytes(password);
            var (maker, checker) = referenceFirst ? ((Argon2idEngine)reference, sodium) : (sodium, reference);
            var hash = maker.Hash(bytes, iterations, memoryKiB);
            return checker.Verify(hash, bytes)
                && !checker.Verify(hash, [.. bytes, 0x21])
                && PhcString.TryParse(hash, out var phc) && phc!.ToString() == hash;
        }, iter: 50);
    }

    /// <summary>Any string, and any one-character change to a valid hash: a failed check, never an exception.</summary>
    [Fact]
    public void The_parser_rejects_or_accepts_without_throwing()
    {
        var reference = LibArgon2Engine.TryLoad().ShouldNotBeNull();
        var valid = reference.Hash("pw"u8, 1, 8);
        Gen.String.Sample(s => reference.Verify(s, "pw"u8) == false, iter: 200);
        Gen.Int[0, valid.Length - 1].Select(Gen.Char["ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/$=,"]).Sample((at, c) =>
        {
            var mutated = valid[..at] + c + valid[(at + 1)..];
            return reference.Verify(mutated, "pw"u8) == (mutated == valid);
        }, iter: 300);
    }
}
