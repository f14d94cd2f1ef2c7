using Worktime.Api.Accounts;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Worktime.Api.Auth;
using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.Auth;

/// <summary>docs/security.md: the shape of token requests, and the success shape of docs/auth.md.</summary>
[VariesWith(Vary.BackendAndCulture)]
public sealed class TokenEndpointRequestTests(WorktimeApplication app) : IClassFixture<WorktimeApplication>, IAsyncLifetime
{
    private const string User = "shape.user";

    public async Task InitializeAsync()
    {
        if (!await UserExistsAsync())
        {
            await app.CreateUserAsync(await app.CreatePartnerAsync(), User, 2);
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<bool> UserExistsAsync()
    {
        return (await app.Services.GetRequiredService<Worktime.Api.Accounts.UserAccounts>().FindIdAsync(User)).Error is null;
    }

    private AuthCounters? _counters;

    /// <summary>Hashes computed since this test first asked (xUnit makes a new instance per test).</summary>
    private long Hashes => (_counters ??= new AuthCounters(app)).Hashes;

    [Theory]
    [InlineData("/login")]
    [InlineData("/1.1/login")]
    public async Task PasswordGrant_Success_HasExactShapeAndKeyOrder(string path)
    {
        using var response = await app.CreateClient().PostFormAsync(path,
            ("grant_type", "password"), ("username", User), ("password", AuthTestExtensions.DefaultPassword), ("client_id", "openapi"));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.ToString().ShouldBe("application/json; charset=utf-8");
        var body = await response.JsonAsync();
        body.EnumerateObject().Select(p => p.Name).ShouldBe(["access_token", "expires_in", "token_type", "scope", "refresh_token", "user_id"]);
        body.GetProperty("expires_in").GetInt32().ShouldBe(3600);
        body.GetProperty("token_type").GetString().ShouldBe("Bearer");
        body.GetProperty("scope").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);
        body.GetProperty("user_id").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Number);
        body.GetProperty("access_token").GetString()!.Split('.').Length.ShouldBe(3);
        body.GetProperty("refresh_token").GetString().ShouldNotBe(body.GetProperty("access_token").GetString());
    }

    [Fact]
    public async Task PasswordGrant_AsMultipartForm_Succeeds()
    {
        using var content = new MultipartFormDataContent
        {
            { new StringContent("password"), "grant_type" },
            { new StringContent(User), "username" },
            { new StringContent(AuthTestExtensions.DefaultPassword), "password" },
            { new StringContent("ember_app"), "client_id" },
        };
        using var response = await app.CreateClient().PostAsync("/login", content);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.JsonAsync()).GetProperty("token_type").GetString().ShouldBe("Bearer");
    }

    [Fact]
    public async Task PasswordGrant_AsJson_Succeeds()
    {
        using var content = new StringContent(
            $$"""{"grant_type":"password","username":"{{User}}","password":"{{AuthTestExtensions.DefaultPassword}}","client_id":"openapi"}""",
            Encoding.UTF8, "application/json");
        using var response = await app.CreateClient().PostAsync("/login", content);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.JsonAsync()).GetProperty("token_type").GetString().ShouldBe("Bearer");
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    [InlineData("PATCH")]
    public async Task Other_methods_on_login_answer_405_and_issue_no_token(string method)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), "/login")
        {
            Content = new FormUrlEncodedContent([new("grant_type", "password"), new("username", User), new("password", AuthTestExtensions.DefaultPassword), new("client_id", "openapi")]),
        };
        using var response = await app.CreateClient().SendAsync(request);

        var body = await response.ShouldBeErrorAsync(405, "method_not_allowed");
        response.Content.Headers.Allow.ShouldBe(["POST"]);
        body.TryGetProperty("access_token", out _).ShouldBeFalse();
        response.Headers.CacheControl!.NoStore.ShouldBeTrue();
    }

    [Fact]
    public async Task Missing_grant_type_is_invalid_request()
    {
        using var response = await app.CreateClient().PostFormAsync("/login", ("username", User), ("password", "x"), ("client_id", "openapi"));

        await response.ShouldBeErrorAsync(400, "invalid_request", "The grant_type parameter is missing.");
    }

    [Theory]
    [InlineData("client_credentials")]
    [InlineData("PASSWORD")]
    [InlineData("password ")]
    [InlineData("Authorization_code")] // authorization_code itself is a grant of registered clients (OAuth/AuthorizationCodeTests)
    [InlineData("urn:ietf:params:oauth:grant-type:jwt-bearer")]
    public async Task Unknown_or_misspelled_grant_type_is_unsupported(string grantType)
    {
        using var response = await app.CreateClient().PostFormAsync("/login",
            ("grant_type", grantType), ("username", User), ("password", AuthTestExtensions.DefaultPassword), ("client_id", "openapi"));

        await response.ShouldBeErrorAsync(400, "unsupported_grant_type");
    }

    [Theory]
    [InlineData("grant_type=password&grant_type=password&username=shape.user&password=pw-correct-horse&client_id=openapi")]
    [InlineData("grant_type=password&username=shape.user&username=other&password=pw-correct-horse&client_id=openapi")]
    [InlineData("grant_type=password&username=shape.user&password=pw-correct-horse&password=pw-correct-horse&client_id=openapi")]
    [InlineData("grant_type=password&username=shape.user&password=pw-correct-horse&client_id=openapi&client_id=openapi")]
    public async Task Form_parameter_given_twice_is_invalid_request(string body)
    {
        var before = Hashes;
        using var response = await app.CreateClient().PostAsync("/login", new StringContent(body, Encoding.ASCII, "application/x-www-form-urlencoded"));

        await response.ShouldBeErrorAsync(400, "invalid_request");
        Hashes.ShouldBe(before);
    }

    [Fact]
    public async Task Json_member_given_twice_is_invalid_request()
    {
        using var response = await app.CreateClient().PostAsync("/login", new StringContent(
            """{"grant_type":"password","username":"shape.user","username":"x","password":"pw-correct-horse","client_id":"openapi"}""",
            Encoding.UTF8, "application/json"));

        await response.ShouldBeErrorAsync(400, "invalid_request");
    }

    [Theory]
    [InlineData("password")]
    [InlineData("username")]
    [InlineData("client_id")]
    [InlineData("grant_type")]
    public async Task Empty_value_is_refused_before_any_hashing(string emptied)
    {
        var fields = new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["username"] = User, ["password"] = AuthTestExtensions.DefaultPassword, ["client_id"] = "openapi",
        };
        fields[emptied] = "";
        var before = Hashes;

        using var response = await app.CreateClient().PostAsync("/login", new FormUrlEncodedContent(fields));

        await response.ShouldBeErrorAsync(400, "invalid_request", $"The {emptied} parameter is empty.");
        Hashes.ShouldBe(before);
    }

    [Theory]
    [InlineData(1024 * 1024, 10)]
    [InlineData(10, 100 * 1024)]
    [InlineData(1025, 10)]
    [InlineData(10, 201)]
    public async Task Huge_password_or_username_is_refused_before_hashing(int passwordLength, int usernameLength)
    {
        var before = Hashes;
        using var response = await app.CreateClient().PostFormAsync("/login",
            ("grant_type", "password"), ("username", new string('u', usernameLength)), ("password", new string('p', passwordLength)), ("client_id", "openapi"));

        await response.ShouldBeErrorAsync(400, "invalid_request");
        Hashes.ShouldBe(before);
    }

    /// <summary>
    /// The bound of Http/BoundedBody on the token endpoint (16 KiB), also without a Content-Length (a chunked body is
    /// counted while read): one byte over is refused before any parsing or hashing, exactly at the bound it is read.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_body_over_the_bound_is_refused_before_hashing_and_one_at_the_bound_is_read(bool withLength)
    {
        var before = Hashes;
        using var over = await app.CreateClient().SendAsync(LoginOfSize(TokenRequestReader.MaxBodyBytes + 1, withLength));
        await over.ShouldBeErrorAsync(400, "invalid_request", "The request body is too large.");
        Hashes.ShouldBe(before);

        using var at = await app.CreateClient().SendAsync(LoginOfSize(TokenRequestReader.MaxBodyBytes, withLength));
        at.StatusCode.ShouldBe(HttpStatusCode.OK);
        Hashes.ShouldBe(before + 1);
    }

    /// <summary>A password grant of exactly <paramref name="size"/> bytes (an unknown parameter pads it; RFC 6749 section 3.2 ignores it).</summary>
    private static HttpRequestMessage LoginOfSize(int size, bool withLength)
    {
        var head = $"grant_type=password&username={User}&password={AuthTestExtensions.DefaultPassword}&client_id=openapi&pad=";
        var bytes = Encoding.ASCII.GetBytes(head + new string('x', size - head.Length));
        HttpContent content = withLength ? new ByteArrayContent(bytes) : new StreamContent(new UnknownLengthStream(bytes));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        return new HttpRequestMessage(HttpMethod.Post, "/login") { Content = content };
    }

    [Fact]
    public async Task Password_of_exactly_the_limit_is_accepted()
    {
        var before = Hashes;
        using var response = await app.CreateClient().PostFormAsync("/login",
            ("grant_type", "password"), ("username", User), ("password", new string('p', 1024)), ("client_id", "openapi"));

        await response.ShouldBeErrorAsync(400, "invalid_grant", OAuthResults.InvalidGrantDescription);
        Hashes.ShouldBe(before + 1);
    }

    [Theory]
    [InlineData("?username=shape.user&password=pw-correct-horse")]
    [InlineData("?password=pw-correct-horse")]
    [InlineData("?grant_type=password&username=shape.user&password=pw-correct-horse&client_id=openapi")]
    public async Task Credentials_in_the_query_string_are_refused(string query)
    {
        using var response = await app.CreateClient().PostFormAsync("/login" + query,
            ("grant_type", "password"), ("username", User), ("password", AuthTestExtensions.DefaultPassword), ("client_id", "openapi"));

        var body = await response.ShouldBeErrorAsync(400, "invalid_request");
        body.TryGetProperty("access_token", out _).ShouldBeFalse();
    }

    [Theory]
    [InlineData("grant_type=password&username=shape%ZZuser&password=pw-correct-horse&client_id=openapi")]
    [InlineData("grant_type=password&username=shape.user%&password=pw-correct-horse&client_id=openapi")]
    [InlineData("grant_type=password&username=shape%2&password=pw-correct-horse&client_id=openapi")]
    [InlineData("grant_type=password&username=shape%00user&password=pw-correct-horse&client_id=openapi")]
    [InlineData("grant_type=password&username=shape.user&password=pw%00correct&client_id=openapi")]
    [InlineData("grant_type=password&username=%ED%A0%80user&password=pw-correct-horse&client_id=openapi")]
    [InlineData("grant_type=password&username=%C3%28&password=pw-correct-horse&client_id=openapi")]
    [InlineData("grant_type=password&username=%FF%FE&password=pw-correct-horse&client_id=openapi")]
    public async Task Broken_encoding_nul_or_lone_surrogate_is_400(string body)
    {
        var before = Hashes;
        using var response = await app.CreateClient().PostAsync("/login", new StringContent(body, Encoding.ASCII, "application/x-www-form-urlencoded"));

        await response.ShouldBeErrorAsync(400, "invalid_request");
        Hashes.ShouldBe(before);
    }

    [Theory]
    [InlineData("""{"grant_type":"password","username":"\ud800user","password":"pw-correct-horse","client_id":"openapi"}""")]
    [InlineData("""{"grant_type":"password","username":"user\u0000","password":"pw-correct-horse","client_id":"openapi"}""")]
    [InlineData("""{"grant_type":"password","username":["a"],"password":"pw-correct-horse","client_id":"openapi"}""")]
    [InlineData("""["grant_type","password"]""")]
    [InlineData("""{"grant_type":"password",""")]
    public async Task Json_with_lone_surrogate_nul_or_wrong_shape_is_400(string json)
    {
        using var response = await app.CreateClient().PostAsync("/login", new StringContent(json, Encoding.UTF8, "application/json"));

        await response.ShouldBeErrorAsync(400, "invalid_request");
    }

    [Theory]
    [InlineData("SHAPE.USER")]
    [InlineData("  shape.user\t")]
    [InlineData(" Shape.User ")]
    public async Task Case_and_surrounding_spaces_reach_the_same_account(string variant)
    {
        using var response = await app.CreateClient().PasswordGrantAsync(variant);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var userId = (await app.Services.GetRequiredService<Worktime.Api.Accounts.UserAccounts>().FindIdAsync(User)).OrThrow();
        (await response.JsonAsync()).GetProperty("user_id").GetInt64().ShouldBe(userId);
    }

    [Fact]
    public async Task Nfc_and_nfd_reach_the_same_account_and_cannot_collide()
    {
        var partner = await app.CreatePartnerAsync("Unicode");
        var nfc = "j\u00F6rg.m\u00E4kinen"; // precomposed ö, ä
        var nfd = "jo\u0308rg.ma\u0308kinen"; // o + combining diaeresis
        var id = await app.CreateUserAsync(partner, nfc, 1);

        using var response = await app.CreateClient().PasswordGrantAsync(nfd.ToUpperInvariant());
        var duplicate = (await app.Services.GetRequiredService<Worktime.Api.Accounts.UserAccounts>()
            .CreateAsync(partner, " " + nfd.ToUpperInvariant(), 1, AuthTestExtensions.DefaultPassword)).Error!;

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.JsonAsync()).GetProperty("user_id").GetInt64().ShouldBe(id);
        duplicate.Description.ShouldBe("A user with that username already exists.");
    }

    [Theory]
    [InlineData("grant_type=password&username=shape.user&password=pw-correct-horse&client_id=openapi")]
    [InlineData("grant_type=password&username=shape.user&password=wrong&client_id=openapi")]
    [InlineData("grant_type=nope")]
    [InlineData("username=x")]
    [InlineData("grant_type=password&username=shape.user&password=pw-correct-horse&client_id=evil")]
    [InlineData("grant_type=refresh_token&refresh_token=abc&client_id=openapi")]
    public async Task Every_login_response_is_json_no_store_without_cookies(string body)
    {
        using var response = await app.CreateClient().PostAsync("/login", new StringContent(body, Encoding.ASCII, "application/x-www-form-urlencoded"));

        response.Headers.CacheControl!.NoStore.ShouldBeTrue();
        response.Headers.Pragma.ToString().ShouldBe("no-cache");
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        response.Headers.Contains("Set-Cookie").ShouldBeFalse();
        (await response.JsonAsync()).ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Object);
    }

    [Fact]
    public async Task Unreadable_content_type_still_answers_json_no_store()
    {
        using var content = new ByteArrayContent([1, 2, 3]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await app.CreateClient().PostAsync("/login", content);

        await response.ShouldBeErrorAsync(400, "invalid_request");
        response.Headers.CacheControl!.NoStore.ShouldBeTrue();
        response.Headers.Pragma.ToString().ShouldBe("no-cache");
    }

    [Theory]
    [InlineData("evil")]
    [InlineData("OPENAPI")]
    [InlineData(null)]
    public async Task Unknown_or_missing_client_id_is_invalid_client(string? clientId)
    {
        var fields = new List<(string, string)> { ("grant_type", "password"), ("username", User), ("password", AuthTestExtensions.DefaultPassword) };
        if (clientId is not null)
        {
            fields.Add(("client_id", clientId));
        }
        var before = Hashes;
        using var response = await app.CreateClient().PostFormAsync("/login", [.. fields]);

        await response.ShouldBeErrorAsync(400, "invalid_client");
        Hashes.ShouldBe(before);
    }
}
