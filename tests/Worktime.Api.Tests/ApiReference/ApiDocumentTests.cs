using System.Net;
using System.Text.Json;
using Worktime.Api.Tests.Auth;
using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.ApiReference;

/// <summary>The shape of /openapi/v1.json (docs/api-reference.md), checked against the server's own form list.</summary>
[VariesWith(Vary.Culture)]
public sealed class ApiDocumentTests(WorktimeApplication app) : IClassFixture<WorktimeApplication>
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];

    private async Task<JsonElement> DocumentAsync(string? host = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/openapi/v1.json");
        if (host is not null)
        {
            request.Headers.Host = host;
        }
        using var response = await app.CreateClient().SendAsync(request);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private async Task<List<(string Name, string Plural, JsonElement Form)>> FormsAsync()
    {
        using var client = await AdminAsync();
        using var json = JsonDocument.Parse(await client.GetStringAsync("/forms"));
        return json.RootElement.GetProperty("forms").EnumerateArray()
            .Select(f => (f.GetProperty("name").GetString()!, f.GetProperty("plural").GetString()!, f.Clone())).ToList();
    }

    private async Task<HttpClient> AdminAsync()
    {
        var username = $"doc-admin-{Guid.NewGuid():N}";
        await app.CreateUserAsync(await app.CreatePartnerAsync(), username, 5);
        return await app.LoginClientAsync(username);
    }

    /// <summary>Schema names are the form name in PascalCase (<c>project_task</c> → <c>ProjectTask</c>).</summary>
    private static string Pascal(string name) =>
        string.Concat(name.Split('_').Select(p => char.ToUpperInvariant(p[0]) + p[1..]));

    private static IEnumerable<(string Path, string Method, JsonElement Operation)> Operations(JsonElement document) =>
        document.GetProperty("paths").EnumerateObject().SelectMany(p => p.Value.EnumerateObject()
            .Where(o => Methods.Contains(o.Name)).Select(o => (p.Name, o.Name, o.Value)));

    [Fact]
    public async Task Servers_NeverFollowTheRequestHostHeader()
    {
        var document = await DocumentAsync(host: "attacker.example");

        document.GetProperty("openapi").GetString().ShouldBe("3.1.1");
        document.GetRawText().ShouldNotContain("attacker.example");
        document.GetProperty("servers").EnumerateArray().Select(s => s.GetProperty("url").GetString()).ShouldBe([app.Settings["Auth:Issuer"]]);
    }

    [Fact]
    public async Task FormsClosedByPeriodLocks_Document409OnCreateAndRemove_AndThePeriodlockForm()
    {
        var document = await DocumentAsync();
        var paths = document.GetProperty("paths");

        foreach (var plural in new[] { "worktimes", "abcenses" })
        {
            paths.GetProperty("/" + plural).GetProperty("post").GetProperty("responses").TryGetProperty("409", out _).ShouldBeTrue(plural);
            paths.GetProperty($"/{plural}/{{id}}").GetProperty("delete").GetProperty("responses").TryGetProperty("409", out _).ShouldBeTrue(plural);
        }
        paths.GetProperty("/projects").GetProperty("post").GetProperty("responses").TryGetProperty("409", out _).ShouldBeFalse();
        document.GetProperty("components").GetProperty("responses").GetProperty("Conflict").GetProperty("description").GetString()!.ShouldContain("period_locked");
        paths.GetProperty("/periodlocks").GetProperty("post").GetProperty("operationId").GetString().ShouldBe("createPeriodlock");
        document.GetProperty("tags").EnumerateArray().Single(t => t.GetProperty("name").GetString() == "Periodlocks")
            .GetProperty("description").GetString()!.ShouldContain("period_locked");
    }

    [Fact]
    public async Task EveryForm_HasItsRoutesSchemasAndFindAllParameters()
    {
        var document = await DocumentAsync();
        var paths = document.GetProperty("paths");
        var schemas = document.GetProperty("components").GetProperty("schemas");

        foreach (var (name, plural, form) in await FormsAsync())
        {
            var list = paths.GetProperty("/" + plural);
            list.GetProperty("post").GetProperty("responses").TryGetProperty("201", out _).ShouldBeTrue($"POST /{plural} answers 201");
            list.GetProperty("put").GetProperty("requestBody").GetRawText().ShouldContain("BulkUpdateBody");
            var byId = paths.GetProperty($"/{plural}/{{id}}");
            byId.GetProperty("delete").GetProperty("responses").GetProperty("200").GetRawText().ShouldContain("Removed");
            byId.GetProperty("put").GetProperty("responses").TryGetProperty("409", out _).ShouldBeTrue($"PUT /{plural}/{{id}} documents 409");

            var parameters = list.GetProperty("get").GetProperty("parameters").EnumerateArray()
                .Select(p => p.GetProperty("name").GetString()!).ToList();
            parameters.ShouldContain("limit");
            parameters.ShouldContain("order");
            list.GetProperty("get").GetRawText().ShouldContain($"#/components/schemas/{Pascal(name)}List");
            schemas.GetProperty($"{Pascal(name)}List").GetProperty("required").EnumerateArray().Select(r => r.GetString()).ShouldBe([plural, "count"]);
            var rowSchema = schemas.GetProperty(Pascal(name));
            var properties = rowSchema.GetProperty("properties").EnumerateObject().Select(p => p.Name).ToList();
            properties.Take(2).ShouldBe(["row_info", "id"], $"{name}: row_info first, then id");
            foreach (var field in form.GetProperty("fields").EnumerateArray())
            {
                var fieldName = field.GetProperty("name").GetString()!;
                var type = field.GetProperty("type").GetString();
                var writeOnly = field.TryGetProperty("write_only", out _);
                if (!writeOnly)
                {
                    properties.ShouldContain(fieldName, $"{name}.{fieldName} is in the row schema");
                }
                if (!writeOnly && type != "array")
                {
                    parameters.ShouldContain(fieldName, $"{name}.{fieldName} is a findAll filter");
                }
                var fieldSchema = rowSchema.GetProperty("properties").TryGetProperty(fieldName, out var s) ? s.GetRawText() : "";
                switch (type)
                {
                    case "date":
                        fieldSchema.ShouldContain("\"format\": \"date\"");
                        break;
                    case "time":
                        fieldSchema.ShouldContain("\"format\": \"time\"");
                        break;
                    case "database":
                        fieldSchema.ShouldContain($"\"x-worktime-form\": \"{field.GetProperty("form").GetString()}\"");
                        break;
                    case "dropdown":
                        fieldSchema.ShouldContain("$ref");
                        break;
                }
            }
        }
    }

    [Fact]
    public async Task OptionRoutes_AreListedOncePerReferenceField_AliasesStillServed()
    {
        var document = await DocumentAsync();
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();

        paths.ShouldContain("/worktime/tasks");
        paths.ShouldContain("/project/contactUsers");
        paths.ShouldNotContain("/worktime/task");
        paths.ShouldNotContain("/project/contact_user");
        paths.ShouldNotContain("/project/contact_users");

        using var client = await AdminAsync();
        (await client.GetAsync("/worktime/task")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.GetAsync("/project/contact_user")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Login_ListsOnlyPost_WithEveryBodyEncodingAndTheTokenResponse()
    {
        var document = await DocumentAsync();
        var login = document.GetProperty("paths").GetProperty("/login");

        login.EnumerateObject().Select(p => p.Name).Where(Methods.Contains).ShouldBe(["post"]);
        var content = login.GetProperty("post").GetProperty("requestBody").GetProperty("content");
        content.EnumerateObject().Select(c => c.Name).ShouldBe(["application/x-www-form-urlencoded", "multipart/form-data", "application/json"], ignoreOrder: true);
        login.GetProperty("post").GetProperty("security").GetArrayLength().ShouldBe(0);
        var token = document.GetProperty("components").GetProperty("schemas").GetProperty("TokenResponse");
        token.GetProperty("properties").EnumerateObject().Select(p => p.Name)
            .ShouldBe(["access_token", "expires_in", "token_type", "scope", "refresh_token", "user_id"]);
        document.GetProperty("components").GetProperty("schemas").GetProperty("GrantType").GetRawText().ShouldContain("refresh_token");
    }

    [Fact]
    public async Task EveryProtectedOperation_DocumentsBearerAndItsErrorAnswers()
    {
        var document = await DocumentAsync();
        document.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer").GetProperty("scheme").GetString().ShouldBe("bearer");
        var operations = Operations(document).ToList();

        operations.Select(o => o.Operation.GetProperty("operationId").GetString()).ShouldBeUnique();
        foreach (var (path, method, operation) in operations)
        {
            operation.TryGetProperty("summary", out _).ShouldBeTrue($"{method} {path} has a summary");
            var security = operation.GetProperty("security");
            var responses = operation.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToList();
            if (security.GetArrayLength() > 0)
            {
                security[0].TryGetProperty("bearer", out _).ShouldBeTrue($"{method} {path}");
                responses.ShouldContain("400", $"{method} {path}");
                responses.ShouldContain("401", $"{method} {path}");
                responses.ShouldContain("429", $"{method} {path}");
            }
            else
            {
                // A calendar feed is read by calendar apps that cannot log in: its unguessable token in the path is the credential.
                // /authorize is opened in a person's browser, which signs in on the web app's login page; a device starts its
                // sign-in (/device_authorization) before anyone is signed in.
                (path is "/login" or "/logout" or "/authorize" or "/device_authorization" or "/ics/{file}" || path.StartsWith("/health/", StringComparison.Ordinal) || path.StartsWith("/.well-known/", StringComparison.Ordinal))
                    .ShouldBeTrue($"{method} {path} is anonymous");
            }
        }
        operations.ShouldNotContain(o => o.Path == "/metrics" || o.Path.StartsWith("/docs", StringComparison.Ordinal) || o.Path.StartsWith("/openapi", StringComparison.Ordinal));
    }

    /// <summary>
    /// A partial update sends only what it changes: a default in a changes schema would be put into a generated model's
    /// constructor and sent, overwriting the stored value (a Kiota client's user update set the level to 1).
    /// </summary>
    [Fact]
    public async Task Changes_schemas_carry_no_defaults_and_boolean_defaults_are_booleans()
    {
        var schemas = (await DocumentAsync()).GetProperty("components").GetProperty("schemas");

        foreach (var schema in schemas.EnumerateObject().Where(s => s.Name.EndsWith("Changes", StringComparison.Ordinal)))
        {
            foreach (var property in schema.Value.GetProperty("properties").EnumerateObject())
            {
                property.Value.TryGetProperty("default", out _).ShouldBeFalse($"{schema.Name}.{property.Name}");
            }
        }
        schemas.GetProperty("UserCreate").GetProperty("properties").GetProperty("userlevel").GetProperty("default").GetInt64().ShouldBe(1);
        schemas.GetProperty("AbcensetypeCreate").GetProperty("properties").GetProperty("paid").GetProperty("default").ValueKind.ShouldBe(JsonValueKind.True);
    }

    /// <summary>
    /// Every /ttapi route: its parameters are exactly the ones the route takes (the route's own 400 for an unknown
    /// parameter names them), the ones it cannot answer without are required, dates are <c>format: date</c>, the
    /// answers are named schemas whose date fields are dates, and the split lists its sideload keys.
    /// </summary>
    [Theory]
    [InlineData("/ttapi/workdayCalendar/workdayDays", "getWorkdayDays", "CalendarDayList", "date")]
    [InlineData("/ttapi/saldo/get_current_saldo", "getCurrentSaldo", "Saldo", "")]
    [InlineData("/ttapi/saldo/daily", "getDailySaldo", "SaldoDayList", "date")]
    [InlineData("/ttapi/absence/split", "getAbsenceSplit", "AbsenceSplitList", "startdate")]
    public async Task Ttapi_operations_list_their_parameters_and_typed_answers(string path, string operationId, string answer, string required)
    {
        var document = await DocumentAsync();
        var operation = document.GetProperty("paths").GetProperty(path).GetProperty("get");
        var schemas = document.GetProperty("components").GetProperty("schemas");
        using var client = await AdminAsync();
        using var unknown = await client.GetAsync(path + "?no_such_parameter=1");
        var description = (await unknown.ShouldBeErrorAsync(400, "invalid_filter")).GetProperty("error_description").GetString()!;
        var taken = description[(description.IndexOf("(use ", StringComparison.Ordinal) + 5)..description.LastIndexOf(')')].Split(", ");

        operation.GetProperty("operationId").GetString().ShouldBe(operationId);
        var parameters = operation.GetProperty("parameters").EnumerateArray().ToList();
        parameters.Select(p => p.GetProperty("name").GetString()!).Where(n => !n.StartsWith("sideload", StringComparison.Ordinal))
            .ShouldBe(taken, ignoreOrder: true);
        parameters.Where(p => p.TryGetProperty("required", out var r) && r.GetBoolean()).Select(p => p.GetProperty("name").GetString()!)
            .ShouldBe(required.Length == 0 ? Array.Empty<string>() : new[] { required });
        foreach (var parameter in parameters.Where(p => p.GetProperty("name").GetString() is "startdate" or "enddate" || path.EndsWith("get_current_saldo", StringComparison.Ordinal) && p.GetProperty("name").GetString() == "date"))
        {
            parameter.GetProperty("schema").GetProperty("format").GetString().ShouldBe("date");
        }
        operation.GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("schema")
            .GetProperty("$ref").GetString().ShouldBe("#/components/schemas/" + answer);
        var dateFields = new List<string>();
        void Collect(JsonElement schema)
        {
            foreach (var property in schema.GetProperty("properties").EnumerateObject())
            {
                if (property.Name is "date" or "from" or "to" or "saldo_start")
                {
                    property.Value.GetProperty("format").GetString().ShouldBe("date", $"{answer}.{property.Name}");
                    dateFields.Add(property.Name);
                }
                if (property.Value.TryGetProperty("items", out var items) && items.GetProperty("$ref").GetString()!.Replace("#/components/schemas/", "", StringComparison.Ordinal) is { } item
                    && !item.EndsWith("Sideload", StringComparison.Ordinal))
                {
                    Collect(schemas.GetProperty(item));
                }
            }
        }
        Collect(schemas.GetProperty(answer));
        dateFields.ShouldNotBeEmpty();
        if (path.EndsWith("split", StringComparison.Ordinal))
        {
            var properties = schemas.GetProperty(answer).GetProperty("properties");
            properties.GetProperty("users").GetProperty("items").GetProperty("$ref").GetString().ShouldBe("#/components/schemas/UserSideload");
            properties.GetProperty("abcensetypes").GetProperty("items").GetProperty("$ref").GetString().ShouldBe("#/components/schemas/AbcensetypeSideload");
            parameters.Select(p => p.GetProperty("name").GetString()!).ShouldContain("sideload[]");
        }
    }
}
