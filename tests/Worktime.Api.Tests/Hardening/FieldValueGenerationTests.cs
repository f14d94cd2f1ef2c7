using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Worktime.Api.Forms.Definitions;
using Worktime.Api.Tests.Forms;
using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.Hardening;

/// <summary>
/// Explicit <c>null</c>, <c>""</c> and a value of the wrong type, for every writable field of every form (read from
/// <c>GET /forms</c>, so a new field is covered without touching this test), on create, update and bulk update:
/// never a 5xx; a required field, a field with a default and every wrong type are a 400 <c>validation_failed</c>
/// naming the field; a refused call changes nothing.
/// </summary>
[VariesWith(Vary.BackendAndCulture)]
public sealed class FieldValueGenerationTests(FakeClockFixture fixture) : IClassFixture<FakeClockFixture>
{
    private readonly WorktimeApplication app = fixture.App;

    public static TheoryData<string> Forms => new(SampleRows.Forms);

    /// <summary>A JSON value no field of <paramref name="type"/> accepts.</summary>
    private static JsonNode WrongType(string type, bool writeOnly) => type switch
    {
        _ when writeOnly => JsonValue.Create(12345),
        "text" => new JsonObject { ["nested"] = 1 },
        "number" => JsonValue.Create("twelve"),
        "date" => JsonValue.Create("31.12.2026"),
        "time" => JsonValue.Create("25:99"),
        "minutes" => JsonValue.Create("lots"),
        "checkbox" => JsonValue.Create("maybe"),
        "dropdown" => JsonValue.Create("no-such-option"),
        "database" => JsonValue.Create("abc"),
        "array" => JsonValue.Create("not-an-array"),
        _ => new JsonArray(1, 2),
    };

    [Theory]
    [MemberData(nameof(Forms))]
    public async Task Required_or_defaulted_field_given_null_empty_or_wrong_type_is_a_400_naming_it(string form)
    {
        var t = await Tenant.CreateAsync(app, [5]);
        var admin = t.Admin.Client;
        using var meta = await admin.GetAsync("/forms/" + form);
        var definition = (await meta.ShouldBeJsonAsync(200)).GetProperty("form");
        var plural = definition.GetProperty("plural").GetString()!;
        var dateField = definition.GetProperty("date_field") is { ValueKind: JsonValueKind.String } d ? d.GetString() : null;
        var template = await SampleRows.BodyAsync(form, t.Admin);
        var row = await admin.CreateAsync(plural, form, Fresh(form, template));

        foreach (var field in definition.GetProperty("fields").EnumerateArray().Where(f => !f.TryGetProperty("read_only", out _)))
        {
            var name = field.GetProperty("name").GetString()!;
            var mustRefuseEmpty = field.TryGetProperty("required", out _) || field.TryGetProperty("default", out _);
            var wrong = WrongType(field.GetProperty("type").GetString()!, field.TryGetProperty("write_only", out _));
            foreach (var (label, value) in new (string, JsonNode?)[] { ("null", null), ("\"\"", JsonValue.Create("")), ("wrong type", wrong) })
            {
                var because = $"{form}.{name} = {label}";
                var refuse = label == "wrong type" || mustRefuseEmpty;

                // Create. A form's owner field (the user of a worktime, absence, employment, correction) is the exception:
                // left empty it means "myself" (docs/forms.md).
                var body = Fresh(form, template);
                body[name] = value?.DeepClone();
                var before = await CountAsync(admin, plural, dateField);
                using (var created = await admin.PostJsonAsync("/" + plural, new JsonObject { [form] = body }))
                {
                    var ownerDefault = label != "wrong type" && name == OwnerField(form);
                    await ExpectAsync(created, refuse && !ownerDefault, name, because + " (create)");
                    if ((int)created.StatusCode >= 400)
                    {
                        (await CountAsync(admin, plural, dateField)).ShouldBe(before, because + ": a refused create wrote a row");
                    }
                }

                // Update and bulk update of an existing row.
                foreach (var bulk in new[] { false, true })
                {
                    var stored = await GetAsync(admin, plural, row.Id());
                    var change = new JsonObject { [name] = value?.DeepClone() };
                    if (bulk)
                    {
                        change["id"] = new JsonArray(row.Id());
                    }
                    var path = bulk ? "/" + plural : $"/{plural}/{row.Id()}";
                    using var updated = await admin.PutJsonAsync(path, new JsonObject { [form] = change });
                    await ExpectAsync(updated, refuse, name, because + (bulk ? " (bulk update)" : " (update)"));
                    if ((int)updated.StatusCode >= 400)
                    {
                        (await GetAsync(admin, plural, row.Id())).ShouldBe(stored, because + ": a refused update changed the row");
                    }
                }
            }
        }
    }

    [Theory]
    [InlineData("userlevel")]
    [InlineData("status")]
    public async Task Defaulted_user_field_set_to_null_with_validation_off_is_still_a_400(string field)
    {
        var t = await Tenant.CreateAsync(app, [5]);
        var body = new JsonObject { ["user"] = new JsonObject { ["username"] = $"n{Guid.NewGuid():N}"[..12], [field] = null }, ["validation"] = "off" };
        var other = await t.Admin.Client.CreateAsync("users", "user", new { username = $"o{Guid.NewGuid():N}"[..12] });

        using var create = await t.Admin.Client.PostJsonAsync("/users", body);
        using var update = await t.Admin.Client.PutJsonAsync($"/users/{other.Id()}?validation=off", new JsonObject { ["user"] = new JsonObject { [field] = null } });

        (await create.ShouldBeErrorAsync(400, "validation_failed")).GetProperty("fields").TryGetProperty(field, out _).ShouldBeTrue();
        (await update.ShouldBeErrorAsync(400, "validation_failed")).GetProperty("fields").TryGetProperty(field, out _).ShouldBeTrue();
    }

    /// <summary>The field the engine fills with the caller when a create leaves it empty (null for forms without one).</summary>
    private string? OwnerField(string form) =>
        app.Services.GetRequiredService<FormRegistry>().Get(form).Access.OwnerField is { } owner && owner != "id" ? owner : null;

    private static async Task ExpectAsync(HttpResponseMessage response, bool refuse, string field, string because)
    {
        var text = await response.Content.ReadAsStringAsync();
        ((int)response.StatusCode).ShouldBeLessThan(500, $"{because}: {text}");
        if (refuse)
        {
            ((int)response.StatusCode).ShouldBe(400, $"{because}: {text}");
        }
        if ((int)response.StatusCode == 400)
        {
            var body = JsonDocument.Parse(text).RootElement;
            body.GetProperty("error").GetString().ShouldBe("validation_failed", $"{because}: {text}");
            body.GetProperty("fields").TryGetProperty(field, out _).ShouldBeTrue($"{because}: {text}");
        }
    }

    private static int _freshDays;

    /// <summary>
    /// A copy of the sample body that can be created again: user rows get a new username (usernames are unique),
    /// workday days a new date (one per worktime group and date).
    /// </summary>
    private static JsonObject Fresh(string form, JsonObject template)
    {
        var body = (JsonObject)template.DeepClone();
        if (form == "user")
        {
            body["username"] = $"g{Guid.NewGuid():N}"[..14];
        }
        if (form == "workdayday")
        {
            var day = new DateOnly(2030, 1, 1).AddDays(Interlocked.Increment(ref _freshDays));
            body["date"] = day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        }
        return body;
    }

    private static async Task<string> GetAsync(HttpClient client, string plural, long id)
    {
        using var response = await client.GetAsync($"/{plural}/{id}");
        return (await response.ShouldBeJsonAsync(200)).GetRawText();
    }

    private static async Task<long> CountAsync(HttpClient client, string plural, string? dateField)
    {
        var range = dateField is null ? "" : $"&{dateField}=1900-01-01_2999-12-31";
        using var response = await client.GetAsync($"/{plural}?limit=0&row_info.status=all{range}");
        return (await response.ShouldBeJsonAsync(200)).GetProperty("count").GetInt64();
    }
}
