using System.Text;

using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.Hardening;

/// <summary>
/// Inputs that once broke the server (the adversarial review's reproductions, and any input the properties of
/// <see cref="HostileInputProperties"/> find), replayed through the same check: no 5xx, no leak, a bounded answer.
/// A new failing input goes here as one more row, with a comment saying what it broke.
/// </summary>
[VariesWith(Vary.BackendAndCulture)]
public sealed class HostileInputRegressions(HostileInputFixture data) : IClassFixture<HostileInputFixture>
{
    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    public static TheoryData<string, HostileRequest> Inputs => new()
    {
        // 1,100 OR alternatives overflowed SQLite's expression depth (500).
        { "long OR chain", new("GET", "/worktimes?project=" + string.Join("||", Enumerable.Repeat("(empty)", 1100))) },
        // 16,000 ids: past SQLite's bind-parameter limit on some builds and quadratic CPU on others.
        { "16,000 ids in a postFindAll body", new("POST", "/service/postFindAll?form=worktime",
            Utf8("id=" + string.Join(',', Enumerable.Range(1, 16_000))), "application/x-www-form-urlencoded") },
        // A worker read a supervisor's username and email through a sideload of its own worktime.
        { "sideload of private user fields", new("GET", "/worktimes?sideload[]=superior.username,superior.email,superior.phone,superior.userlevel") },
        { "sideload through contact_user", new("GET", "/projects?sideload[]=contact_user.email") },
        // Explicit null for a column with a default answered 500.
        { "status null on create", new("POST", "/worktimes", Utf8("{\"worktime\":{\"date\":\"2026-11-15\",\"status\":null}}"), "application/json") },
        { "userlevel null on own user row", new("PUT", "/users/1", Utf8("{\"user\":{\"userlevel\":null}}"), "application/json") },
        // Raw UTF-8 in a login body became '?', so "Päss" matched an account whose password is "P??ss".
        { "raw UTF-8 login body", new("POST", "/login", [.. Utf8("grant_type=password&client_id=openapi&username=admin&password=P"), 0xc3, 0xa4, .. Utf8("ss")],
            "application/x-www-form-urlencoded") },
        { "Latin-1 login body", new("POST", "/login", [.. Utf8("grant_type=password&client_id=openapi&username=admin&password=P"), 0xe4, .. Utf8("ss")],
            "application/x-www-form-urlencoded") },
    };

    [Theory]
    [MemberData(nameof(Inputs))]
    public async Task Known_hostile_input_never_fails_or_leaks(string what, HostileRequest request)
    {
        what.ShouldNotBeEmpty();
        await HostileCheck.AssertAsync(data, request);
    }
}
