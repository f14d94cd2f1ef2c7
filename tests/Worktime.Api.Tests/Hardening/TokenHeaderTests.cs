using System.Net;
using Worktime.Api.Tests.Auth;
using Worktime.Api.Tests.Forms;
using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.Hardening;

/// <summary>
/// Tokens signed with our own key but issued more than the clock skew (60 s) in the future, or with a <c>crit</c>
/// header (RFC 7515 §4.1.11: an extension we do not understand), are refused with the usual 401.
/// </summary>
[VariesWith(Vary.Backend)]
public sealed class TokenHeaderTests(FakeClockFixture fixture) : IClassFixture<FakeClockFixture>
{
    private readonly WorktimeApplication app = fixture.App;

    private long Now => app.Clock.GetUtcNow().ToUnixTimeSeconds();

    /// <summary>A token like ours for a real user (version 0: never changed), signed with the current key.</summary>
    private async Task<string> ForgeAsync(long iat, string? extraHeader = null)
    {
        var partner = await app.CreatePartnerAsync();
        var name = $"hdr{Guid.NewGuid():N}"[..12];
        var id = await app.CreateUserAsync(partner, name, 1);
        var (key, kid) = await app.CurrentKeyAsync();
        var payload = TokenForge.AccessPayload(iat, new Dictionary<string, object?>
        {
            ["username"] = name,
            ["userid"] = id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["partnerid"] = partner.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["userlevel"] = "1",
            ["security_version"] = 0,
        }, issuer: "http://worktime.test");
        return TokenForge.SignRs256($$"""{"alg":"RS256","typ":"JWT","kid":"{{kid}}"{{extraHeader}}}""", payload, key);
    }

    private async Task<HttpResponseMessage> MeAsync(string token) => await app.BearerClient(token).GetAsync("/me");

    [Theory]
    [InlineData(0)]
    [InlineData(60)] // within the allowed skew
    public async Task Token_issued_now_or_within_the_skew_is_accepted(long ahead)
    {
        using var response = await MeAsync(await ForgeAsync(Now + ahead));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData(61)]
    [InlineData(3600)]
    [InlineData(10L * 365 * 24 * 3600)]
    public async Task Token_issued_in_the_future_beyond_the_skew_is_refused(long ahead)
    {
        using var response = await MeAsync(await ForgeAsync(Now + ahead));

        await FormsHttp.ShouldBeErrorAsync(response, 401, "invalid_token");
        response.Headers.WwwAuthenticate.ToString().ShouldBe("Bearer realm=\"api\", error=\"invalid_token\"");
    }

    [Theory]
    [InlineData(",'crit':['exp']")]
    [InlineData(",'crit':['x-unknown'],'x-unknown':true")]
    [InlineData(",'crit':[]")]
    [InlineData(",'crit':'b64'")]
    public async Task Token_with_a_crit_header_is_refused(string header)
    {
        using var response = await MeAsync(await ForgeAsync(Now, header.Replace('\'', '"')));

        await FormsHttp.ShouldBeErrorAsync(response, 401, "invalid_token");
    }
}
