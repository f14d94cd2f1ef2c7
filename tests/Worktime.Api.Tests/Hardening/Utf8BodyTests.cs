using System.Net.Http.Headers;
using System.Text;
using Worktime.Api.Tests.Forms;
using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.Hardening;

/// <summary>
/// Form-urlencoded and multipart bodies are decoded as strict UTF-8, raw or percent-encoded; invalid UTF-8 is a 400
/// <c>invalid_request</c>, and a credential is never compared after a lossy conversion (raw bytes used to become '?').
/// </summary>
[VariesWith(Vary.Backend)]
public sealed class Utf8BodyTests(FakeClockFixture fixture) : IClassFixture<FakeClockFixture>
{
    private readonly WorktimeApplication app = fixture.App;

    private static ByteArrayContent Raw(string mediaType, params byte[][] parts)
    {
        var content = new ByteArrayContent(parts.SelectMany(p => p).ToArray());
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(mediaType);
        return content;
    }

    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    private static ByteArrayContent Login(string username, byte[] password) =>
        Raw("application/x-www-form-urlencoded",
            Ascii($"grant_type=password&client_id=openapi&username={Uri.EscapeDataString(username)}&password="), password);

    [Fact]
    public async Task Login_body_with_raw_or_percent_encoded_UTF8_matches_the_real_password()
    {
        var partner = await app.CreatePartnerAsync();
        var name = $"utf{Guid.NewGuid():N}"[..12];
        await app.CreateUserAsync(partner, name, 1, "Päss-wörd");
        using var client = app.CreateClient();

        using var raw = await client.PostAsync("/login", Login(name, [.. Ascii("P"), 0xc3, 0xa4, .. Ascii("ss-w"), 0xc3, 0xb6, .. Ascii("rd")]));
        using var escaped = await client.PostAsync("/login", Login(name, Ascii("P%C3%A4ss-w%C3%B6rd")));

        await raw.ShouldBeJsonAsync(200);
        await escaped.ShouldBeJsonAsync(200);
    }

    [Fact]
    public async Task Login_body_with_non_ASCII_bytes_never_matches_a_password_of_question_marks()
    {
        var partner = await app.CreatePartnerAsync();
        var name = $"qm{Guid.NewGuid():N}"[..12];
        await app.CreateUserAsync(partner, name, 1, "P??ss");
        using var client = app.CreateClient();

        using var utf8 = await client.PostAsync("/login", Login(name, [.. Ascii("P"), 0xc3, 0xa4, .. Ascii("ss")]));

        await utf8.ShouldBeErrorAsync(400, "invalid_grant");
    }

    public static TheoryData<byte[]> InvalidUtf8 => new()
    {
        { [.. Ascii("P"), 0xe4, .. Ascii("ss")] }, // Latin-1 ä sent raw
        { Ascii("P%E4ss") }, // Latin-1 ä percent-encoded
        { [.. Ascii("P"), 0xc3] }, // truncated sequence
        { Ascii("P%C0%AFss") }, // overlong encoding of '/'
        { Ascii("P%ED%A0%80ss") }, // an encoded surrogate
    };

    [Theory]
    [MemberData(nameof(InvalidUtf8))]
    public async Task Login_body_with_invalid_UTF8_is_invalid_request(byte[] password)
    {
        using var client = app.CreateClient();

        using var response = await client.PostAsync("/login", Login("anyone", password));

        await response.ShouldBeErrorAsync(400, "invalid_request");
    }

    [Fact]
    public async Task Multipart_login_with_invalid_UTF8_is_invalid_request_and_raw_UTF8_works()
    {
        var partner = await app.CreatePartnerAsync();
        var name = $"mp{Guid.NewGuid():N}"[..12];
        await app.CreateUserAsync(partner, name, 1, "Päss");
        using var client = app.CreateClient();
        static ByteArrayContent Multipart(string username, byte[] password) => Raw("multipart/form-data; boundary=XyZ",
            Ascii("--XyZ\r\nContent-Disposition: form-data; name=\"grant_type\"\r\n\r\npassword\r\n"
                + "--XyZ\r\nContent-Disposition: form-data; name=\"client_id\"\r\n\r\nopenapi\r\n"
                + $"--XyZ\r\nContent-Disposition: form-data; name=\"username\"\r\n\r\n{username}\r\n"
                + "--XyZ\r\nContent-Disposition: form-data; name=\"password\"\r\n\r\n"), password, Ascii("\r\n--XyZ--\r\n"));

        using var good = await client.PostAsync("/login", Multipart(name, [.. Ascii("P"), 0xc3, 0xa4, .. Ascii("ss")]));
        using var bad = await client.PostAsync("/login", Multipart(name, [.. Ascii("P"), 0xe4, .. Ascii("ss")]));

        await good.ShouldBeJsonAsync(200);
        await bad.ShouldBeErrorAsync(400, "invalid_request");
    }

    [Fact]
    public async Task PostFindAll_form_body_is_strict_UTF8_raw_or_percent_encoded()
    {
        var t = await Tenant.CreateAsync(app, [5]);
        var admin = t.Admin.Client;
        await admin.CreateAsync("tasks", "task", new { name = "Päivä" });
        await admin.CreateAsync("tasks", "task", new { name = "P?iv?" });

        using var raw = await admin.PostAsync("/service/postFindAll?form=task",
            Raw("application/x-www-form-urlencoded", [.. Ascii("name=P"), 0xc3, 0xa4, .. Ascii("iv"), 0xc3, 0xa4]));
        using var escaped = await admin.PostAsync("/service/postFindAll?form=task",
            Raw("application/x-www-form-urlencoded", Ascii("name=P%C3%A4iv%C3%A4")));
        using var latin1 = await admin.PostAsync("/service/postFindAll?form=task",
            Raw("application/x-www-form-urlencoded", [.. Ascii("name=P"), 0xe4, .. Ascii("iv"), 0xe4]));
        using var latin1Escaped = await admin.PostAsync("/service/postFindAll?form=task",
            Raw("application/x-www-form-urlencoded", Ascii("name=P%E4iv%E4")));
        using var badJson = await admin.PostAsync("/service/postFindAll?form=task",
            Raw("application/json", [.. Ascii("{\"name\":\"P"), 0xe4, .. Ascii("\"}")]));

        foreach (var response in new[] { raw, escaped })
        {
            var body = await response.ShouldBeJsonAsync(200);
            body.GetProperty("tasks").EnumerateArray().Select(r => r.GetProperty("name").GetString()).ShouldBe(["Päivä"]);
        }
        await latin1.ShouldBeErrorAsync(400, "invalid_request");
        await latin1Escaped.ShouldBeErrorAsync(400, "invalid_request");
        await badJson.ShouldBeErrorAsync(400, "invalid_request");
    }

    [Fact]
    public async Task Row_body_with_invalid_UTF8_is_invalid_request_whatever_the_content_type()
    {
        var t = await Tenant.CreateAsync(app, [5]);

        using var json = await t.Admin.Client.PostAsync("/tasks", Raw("application/json", [.. Ascii("{\"task\":{\"name\":\"P"), 0xe4, .. Ascii("\"}}")]));
        using var form = await t.Admin.Client.PostAsync("/tasks",
            Raw("application/x-www-form-urlencoded", [.. Ascii("{\"task\":{\"name\":\"P"), 0xe4, .. Ascii("\"}}")]));

        await json.ShouldBeErrorAsync(400, "invalid_request");
        await form.ShouldBeErrorAsync(400, "invalid_request");
    }
}
