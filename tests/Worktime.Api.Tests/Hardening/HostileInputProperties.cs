using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using CsCheck;
using Worktime.Api.Forms.Definitions;

using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.Hardening;

/// <summary>One generated request: method, path with query, body bytes and their content type.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1819:Properties should not return arrays",
    Justification = "A generated request: plain data, built once and only read.")]
public sealed record HostileRequest(string Method, string Path, byte[]? Body = null, string? ContentType = null)
{
    public override string ToString() =>
        $"{Method} {Path}" + (Body is null ? "" : $" [{ContentType}] {Convert.ToHexString(Body.AsSpan(0, Math.Min(Body.Length, 600)))}");
}

/// <summary>
/// Property-based tests (CsCheck): random and mutated findAll queries, bodies of every form and login bodies, sent
/// through HTTP to the real app as a worker. For every one: never a 5xx, never a marker of data the worker may not
/// read, and an answer within a generous per-request timeout. A failing input CsCheck finds (it prints the shrunk
/// request and the seed) is added to <see cref="HostileInputRegressions"/> as a regular test.
/// A thousand requests per property (CsCheck's default is a hundred): in-process they take seconds, and each pass of the
/// test matrix that runs this class (every backend and culture) samples afresh.
/// </summary>
[VariesWith(Vary.BackendAndCulture)]
public sealed class HostileInputProperties(HostileInputFixture data) : IClassFixture<HostileInputFixture>
{
    private const int Iterations = 1000;

    [Fact]
    public async Task Random_and_mutated_findAll_queries_never_fail_or_leak() =>
        await HostileGen.FindAll(data).SampleAsync(r => HostileCheck.AssertAsync(data, r), iter: Iterations, threads: 1);

    [Fact]
    public async Task Random_bodies_of_every_form_never_fail_or_leak() =>
        await HostileGen.FormWrite(data).SampleAsync(r => HostileCheck.AssertAsync(data, r), iter: Iterations, threads: 1);

    [Fact]
    public async Task Random_login_bodies_never_fail_or_leak() =>
        await HostileGen.Login(data).SampleAsync(r => HostileCheck.AssertAsync(data, r), iter: Iterations / 2, threads: 1);
}

/// <summary>Sends a <see cref="HostileRequest"/> as the fixture's worker and checks the three properties.</summary>
public static class HostileCheck
{
    /// <summary>Generous on a loaded 2-core machine; a pathological query used to hold a core for minutes.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    public static async Task AssertAsync(HostileInputFixture data, HostileRequest request)
    {
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), request.Path);
        if (request.Body is not null)
        {
            message.Content = new ByteArrayContent(request.Body);
            if (request.ContentType is not null && MediaTypeHeaderValue.TryParse(request.ContentType, out var type))
            {
                message.Content.Headers.ContentType = type;
            }
        }
        using var timeout = new CancellationTokenSource(RequestTimeout);
        HttpResponseMessage response;
        try
        {
            response = await data.Caller.Client.SendAsync(message, timeout.Token);
        }
        catch (OperationCanceledException e) when (timeout.IsCancellationRequested)
        {
            throw new TimeoutException($"No answer within {RequestTimeout.TotalSeconds} s: {request}", e);
        }
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(timeout.Token);
            ((int)response.StatusCode).ShouldBeLessThan(500, $"{request}\n=> {text}");
            text.ShouldNotContain(HostileInputFixture.Marker, Case.Insensitive, $"{request}\n=> {text}");
            foreach (var username in data.ForeignUsernames)
            {
                text.ShouldNotContain(username, Case.Insensitive, $"{request}\n=> {text}");
            }
        }
    }
}

/// <summary>The generators: pieces a client (or an attacker) would send, assembled into requests.</summary>
public static class HostileGen
{
    private static readonly FormDefinition[] Forms = [.. FormRegistry.BuiltIn.All];

    private static readonly string[] RawValues =
    [
        "", "1", "0", "-1", "007", "1.5", "1e308", "99999999999999999999", "2026-11-03", "2026-11-01_2026-11-30", "2026-13-45",
        "2026-11-30_2026-11-01", "_", "CURRENT", "current", "self", "(empty)", "open", "accepted", "locked", "removed", "all",
        "normal", "true", "false", "null", "08:00", "25:61", "7:30", "a,b", ",,,", "||", "|", "%", "%25", "%00", "%C3", "%C3%A4",
        "%ED%A0%80", "%FF", "%2C", "%7C%7C", "+", "%20", "'", "\"", "\\", "' OR 1=1 --", "\"id\"", ";DROP TABLE users",
        "%E2%80%AE", "%F0%9F%98%80", "ä", "[]", "{}", "[0]", "-date", "date,-id", "row_info.created", "project.name",
        "superior.email", "user.username", "contact_user.phone", "id",
    ];

    private static readonly string[] SpecialKeys =
    [
        "id", "limit", "offset", "order", "sort", "pid", "row_info.status", "_", "sideload", "sideload[]", "sideload[0]",
        "sideload[9999]", "sideload[x]", "sideload[", "form", "validation", "access_token", "date[gt]", "name[like]", "",
        "%00", "%C3", "user%00", "link.tasks", "link.projects",
    ];

    private static string Escape(string text) => Uri.EscapeDataString(text);

    /// <summary>One of the constants.</summary>
    private static Gen<T> Pick<T>(params T[] values) => Gen.OneOf(values);

    /// <summary>One of the generators, by weight: mostly sensible input (it reaches the SQL and the rows), some hostile.</summary>
    private static Gen<T> Weighted<T>(params (int Weight, Gen<T> Gen)[] options) =>
        Gen.Frequency([.. options.Select(o => (o.Weight, (IGen<T>)o.Gen))]);

    /// <summary>One of the generators (CsCheck's constant overload would otherwise pick the generators themselves).</summary>
    private static Gen<T> Any<T>(params Gen<T>[] gens) => Gen.OneOf<T>([.. gens.Cast<IGen<T>>()]);

    /// <summary>A value: a known piece, a list of pieces joined by , or ||, random text, a number, or a long list.</summary>
    private static Gen<string> Value(FormDefinition form) => Any(
        Pick(RawValues),
        Pick(RawValues).Array[1, 6].Select(Pick(",", "||"), (parts, sep) => string.Join(sep, parts)),
        Gen.String[0, 40].Select(Escape),
        Gen.Long.Select(n => n.ToString(CultureInfo.InvariantCulture)),
        Gen.Int[1, 1500].Select(Pick(",", "||"), (count, sep) => string.Join(sep, Enumerable.Range(1, count))),
        Pick(form.Fields.Select(f => f.Name).ToArray()).Select(name => "-" + name),
        Pick(form.Fields.Where(f => f.Target is not null).Select(f => f.Name).DefaultIfEmpty("id").ToArray())
            .Select(Pick(Forms.SelectMany(f => f.Fields).Select(f => f.Name).Distinct().ToArray()), (f, d) => $"{f}.{d}"));

    private static Gen<string> Key(FormDefinition form) => Any(
        Pick(form.Fields.Select(f => f.Name).ToArray()),
        Pick(SpecialKeys),
        Gen.String[0, 12].Select(Escape));

    private static Gen<FormDefinition> AnyForm => Pick(Forms);

    /// <summary>Inserts a structural character at a random place: mutation of an otherwise sensible request.</summary>
    private static Gen<string> Mutate(Gen<string> query) => Weighted(
        (8, query),
        (1, query.Select(Gen.Int[0, 10_000], Pick("&", "=", "%", "[", "]", "||", ",", "%00", "%C3", "&&", "=="),
            (q, at, piece) => q.Insert(at % (q.Length + 1), piece))),
        (1, query.Select(q => q + "&" + q))); // every parameter twice

    /// <summary>A value that fits the field: what real clients send, so the query reaches the database.</summary>
    private static Gen<string> Sensible(FieldDefinition field, HostileInputFixture data) => field.Type switch
    {
        FieldType.Date => Pick("2026-11-15", "2026-11-01_2026-11-30", "CURRENT", "2026-10-01_2026-12-31", "2026-11-15||(empty)"),
        FieldType.Database => Any(Pick(data.Ids.Values.Select(id => id.ToString(CultureInfo.InvariantCulture)).ToArray()),
            Pick("self", "(empty)", "1,2,3", "1||2")),
        FieldType.Dropdown => Pick(field.Options!.Append("(empty)").ToArray()),
        FieldType.Number or FieldType.Minutes => Pick("1", "5", "30", "1,2", "(empty)"),
        FieldType.Time => Pick("08:00", "16:00", "(empty)"),
        _ => Any(Pick("Site", "mine", "Visible", "(empty)", HostileInputFixture.Marker), Gen.String[0, 8].Select(Escape)),
    };

    private static Gen<string> SensiblePair(FormDefinition form, HostileInputFixture data) => Any(
        Pick(form.Fields.Where(f => f.Queryable).ToArray()).SelectMany(f => Sensible(f, data).Select(v => f.Name + "=" + v)),
        Pick(form.Fields.Where(f => f.Target is not null).Select(f => f.Name).DefaultIfEmpty("id").ToArray())
            .SelectMany(f => Pick(Forms.SelectMany(x => x.Fields).Select(x => x.Name).Append("id").Distinct().ToArray())
                .Select(d => $"sideload[]={f}.{d}")),
        Pick("sideload=true", "limit=5", "offset=1", "row_info.status=all", "order=-id", "id=" + string.Join(',', data.Ids.Values)));

    private static Gen<string> Query(FormDefinition form, HostileInputFixture data) =>
        Mutate(Weighted(
                (3, SensiblePair(form, data)),
                (1, Gen.Select(Key(form), Value(form), (k, v) => k + "=" + v)))
            .Array[0, 5].Select(pairs => string.Join('&', pairs.Distinct())));

    /// <summary>GET /&lt;forms&gt;?..., the options route, or postFindAll with the query as a form or JSON body.</summary>
    public static Gen<HostileRequest> FindAll(HostileInputFixture data) =>
        from form in AnyForm
        from query in Query(form, data)
        from route in Gen.Int[0, 4]
        from reference in Pick(form.Fields.Where(f => f.Target is not null).Select(f => f.Name).DefaultIfEmpty("nosuch").ToArray())
        select route switch
        {
            0 or 1 => new HostileRequest("GET", $"/{form.Plural}?{query}"),
            2 => new HostileRequest("GET", $"/{form.Name}/{reference}?{query}"),
            3 => new HostileRequest("POST", $"/service/postFindAll?form={form.Name}", Encoding.UTF8.GetBytes(query),
                "application/x-www-form-urlencoded"),
            _ => new HostileRequest("POST", $"/1.1/service/postFindAll?form={form.PluralKey}", Encoding.UTF8.GetBytes(AsJson(query)),
                "application/json"),
        };

    private static string AsJson(string query) =>
        "{" + string.Join(',', query.Split('&').Select(p => p.Split('=', 2))
            .Select(kv => $"{Json(Uri.UnescapeDataString(kv[0]))}:{Json(kv.Length > 1 ? Uri.UnescapeDataString(kv[1]) : "")}")) + "}";

    private static string Json(string text) => System.Text.Json.JsonSerializer.Serialize(text);

    /// <summary>Raw JSON values: every type, boundary numbers, escapes the parser must refuse, deep nesting.</summary>
    private static readonly string[] JsonValues =
    [
        "null", "\"\"", "true", "false", "0", "-1", "1", "2", "5", "6", "1.5", "1e308", "-1e308", "1e400", "12345678901234567890",
        "\"2026-11-15\"", "\"2026-02-30\"", "\"08:00\"", "\"24:00\"", "\"open\"", "\"accepted\"", "\"locked\"", "\"OPEN\"",
        "\"active\"", "\"inactive\"", "\"days\"", "\"x\"", "\"\\u0000\"", "\"\\ud800\"", "\"\\udc00x\"", "\"a\\u202eb\"", "[]", "[1,2]",
        "[\"1\",\"2\"]", "[null]", "{}", "{\"a\":1}", "\"normal\"", "\"removed\"", "\"1\"", "\" 1 \"", "\"-5\"",
        new string('[', 70) + new string(']', 70), "\"" + new string('x', 5000) + "\"",
    ];

    private static Gen<string> JsonValue(HostileInputFixture data) => Any(
        Pick(JsonValues),
        Pick(data.Ids.Values.Select(id => id.ToString(CultureInfo.InvariantCulture)).ToArray()),
        Gen.String[0, 30].Select(Json),
        Gen.Long.Select(n => n.ToString(CultureInfo.InvariantCulture)),
        Pick(data.Ids.Values.ToArray()).Array[0, 5].Select(ids => "[" + string.Join(',', ids) + "]"));

    private static Gen<string> BodyKey(FormDefinition form) => Weighted(
        // No "password": a worker changing its own password would end its own session and blind the rest of the run.
        (6, Pick(form.Fields.Where(f => f.Name != "password").Select(f => f.Name).ToArray())),
        (1, Pick("id", "row_info", "row_info.status", "row_info.created", "link.tasks", "link.projects", "", "validation")),
        (1, Gen.String[0, 10]));

    /// <summary>A body value that fits the field (so the write gets past parsing), as JSON.</summary>
    private static Gen<string> SensibleJson(FieldDefinition field, HostileInputFixture data) => field.Type switch
    {
        FieldType.Date => Pick("\"2026-11-15\"", "\"2026-11-16\""),
        FieldType.Database => Pick(data.Ids.Values.Select(id => id.ToString(CultureInfo.InvariantCulture)).Append("null").ToArray()),
        FieldType.Dropdown => Pick(field.Options!.Select(Json).ToArray()),
        FieldType.Number or FieldType.Minutes => Pick("1", "30", "\"2\""),
        FieldType.Time => Pick("\"08:00\"", "\"16:30\""),
        FieldType.Array => Pick("[\"a.jpg\"]", "[]"),
        _ => Gen.String[0, 20].Select(Json),
    };

    private static Gen<string> BodyField(FormDefinition form, HostileInputFixture data) => Weighted(
        (3, Pick(form.Fields.Where(f => f.Writable && !f.WriteOnly).ToArray())
            .SelectMany(f => SensibleJson(f, data).Select(v => Json(f.Name) + ":" + v))),
        (2, Gen.Select(BodyKey(form), JsonValue(data), (k, v) => Json(k) + ":" + v)));

    /// <summary>Create, update (own row, a colleague's, another partner's, any id) and bulk update of any form.</summary>
    public static Gen<HostileRequest> FormWrite(HostileInputFixture data) =>
        from form in AnyForm
        from fields in BodyField(form, data).Array[0, 8]
        from root in Weighted((8, Gen.Const(form.Key)), (1, Gen.Const(form.Name)), (1, Pick(Forms.Select(f => f.Key).ToArray())))
        from shape in Weighted((1, Gen.Int[0, 5]), (3, Gen.Const(3)))
        from target in Any(Pick(data.Ids.Values.ToArray()), Gen.Long[-2, 3], Gen.Const(long.MaxValue))
        from method in Gen.Int[0, 2]
        let inner = "{" + string.Join(',', fields) + "}"
        let body = shape switch
        {
            0 => inner, // no root key
            1 => $"{{{Json(root)}:{inner},\"validation\":\"off\"}}",
            2 => $"{{{Json(root)}:{inner},{Json(root)}:{{}}}}", // the root key twice
            _ => $"{{{Json(root)}:{inner}}}",
        }
        select method switch
        {
            0 => new HostileRequest("POST", $"/{form.Plural}", Encoding.UTF8.GetBytes(body), "application/json"),
            1 => new HostileRequest("PUT", $"/{form.Plural}/{target.ToString(CultureInfo.InvariantCulture)}" + (shape == 4 ? "?validation=off" : ""),
                Encoding.UTF8.GetBytes(body), shape == 5 ? "application/x-www-form-urlencoded" : "application/json"),
            _ => new HostileRequest("PUT", $"/{form.Plural}", Encoding.UTF8.GetBytes(body), "application/json"),
        };

    private static readonly byte[][] RawBytes =
    [
        [], [0xc3, 0xa4], [0xe4], [0xc3], [0xff, 0xfe], [0xed, 0xa0, 0x80], [0xc0, 0xaf], [0x00], [0x7f], [0x25], [0x26], [0x3d],
        [0x2b], [0x0d, 0x0a], "%C3%A4"u8.ToArray(), "%E4"u8.ToArray(), "%"u8.ToArray(), "%G1"u8.ToArray(), "%00"u8.ToArray(),
    ];

    private static Gen<byte[]> LoginValue(HostileInputFixture data) => Any(
        Pick("password", "refresh_token", "client_credentials", "openapi", "ember_app", "admin", data.Caller.Username,
            "pw-correct-horse", "eyJhbGciOiJSUzI1NiJ9.e30.x", "").Select(Encoding.UTF8.GetBytes),
        Pick(RawBytes).Array[1, 4].Select(parts => parts.SelectMany(p => p).ToArray()),
        Gen.Byte.Array[0, 40],
        Gen.String[0, 30].Select(Encoding.UTF8.GetBytes));

    /// <summary>Login bodies: form-urlencoded, multipart and JSON, with sensible and random names and raw bytes.</summary>
    public static Gen<HostileRequest> Login(HostileInputFixture data) =>
        from pairs in Weighted(
            (3, Pick(("grant_type", "password"u8.ToArray()), ("client_id", "openapi"u8.ToArray()),
                ("username", Encoding.UTF8.GetBytes(data.Caller.Username)), ("username", "admin"u8.ToArray()))),
            (2, Gen.Select(Pick("grant_type", "username", "password", "client_id", "refresh_token", "scope", "", "user%00name"),
                LoginValue(data), (k, v) => (k, v))))
            .Select(p => (Key: p.Item1, Value: p.Item2)).Array[0, 6]
        from encoding in Gen.Int[0, 3]
        from path in Weighted((8, Pick("/login", "/1.1/login")), (1, Pick("/login?password=x", "/login?grant_type=password")))
        select encoding switch
        {
            0 or 1 => new HostileRequest("POST", path, Join(pairs.Select(p => Concat(Encoding.ASCII.GetBytes(p.Key + "="), p.Value)), "&"u8.ToArray()),
                "application/x-www-form-urlencoded"),
            2 => new HostileRequest("POST", path, Join(pairs.Select(p => Concat(
                    Encoding.ASCII.GetBytes($"--B0undary\r\nContent-Disposition: form-data; name=\"{p.Key}\"\r\n\r\n"), p.Value, "\r\n"u8.ToArray()))
                    .Append("--B0undary--\r\n"u8.ToArray()), []), "multipart/form-data; boundary=B0undary"),
            _ => new HostileRequest("POST", path, Encoding.UTF8.GetBytes("{" + string.Join(',', pairs.Select(p =>
                    Json(p.Key) + ":" + Json(Encoding.UTF8.GetString(p.Value)))) + "}"), "application/json"),
        };

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    private static byte[] Join(IEnumerable<byte[]> parts, byte[] separator)
    {
        var result = new List<byte>();
        foreach (var part in parts)
        {
            if (result.Count > 0)
            {
                result.AddRange(separator);
            }
            result.AddRange(part);
        }
        return [.. result];
    }
}
