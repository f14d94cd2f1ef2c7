using System.Text.Json;
using System.Text.Json.Nodes;

using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.Forms;

/// <summary>A valid create body for each built-in form (creating the rows it references first) and a partial update for it.</summary>
public static class SampleRows
{
    public static readonly string[] Forms =
    [
        "user", "worktime", "project", "task", "subtask", "customer", "worktype", "worktimegroup", "abcense", "abcensetype",
        "workdayday", "employment", "saldocorrection", "periodlock", "wagetype",
    ];

    public static string Plural(string form) => form + "s";

    /// <summary>The create body of <paramref name="form"/>; references are created by <paramref name="by"/> (an admin).</summary>
    public static async Task<JsonObject> BodyAsync(string form, TenantUser by) => form switch
    {
        "user" => FormsHttp.Obj(("firstname", "Ann"), ("lastname", "Lee"), ("username", $"u{Guid.NewGuid():N}"),
            ("email", "ann@example.test"), ("phone", "+358 40 1"), ("userlevel", 2), ("status", "active"), ("saldo_start", "2026-01-01"), ("saldo_initial", -45),
            ("employee_number", "E-7"),
            ("password", "pw-new-user-1")),
        "worktime" => FormsHttp.Obj(("date", WorktimeApplication.CurrentMonthDay), ("user", by.Id),
            ("project", (await by.Client.CreateAsync("projects", "project", new { name = "Ref project" })).Id()),
            ("starttime", "08:00"), ("endtime", "16:00"), ("pause", 30), ("description", "Concrete")),
        "project" => FormsHttp.Obj(("number", "P-1"), ("name", "Bridge"), ("address", "Main st 1"), ("zip", "00100"), ("city", "Helsinki"),
            ("location_map", "{\"lat\":60.17,\"lng\":24.94}"), ("image", new JsonArray("front.jpg", "back.jpg")), ("contact_person", "Bob"),
            ("phone", "555"), ("email", "site@example.test"), ("help", "Gate code 12"), ("description", "North side"),
            ("contact_user", by.Id), ("customer", (await by.Client.CreateAsync("customers", "customer", new { name = "Ref customer" })).Id())),
        "task" => FormsHttp.Obj(("number", "T-1"), ("name", "Painting"), ("description", "Two coats")),
        "subtask" => FormsHttp.Obj(("name", "Priming"), ("task", (await by.Client.CreateAsync("tasks", "task", new { name = "Ref task" })).Id())),
        "customer" => FormsHttp.Obj(("number", "C-1"), ("name", "Acme Oy"), ("business_id", "1234567-8"), ("address", "Street 2"),
            ("zip", "00200"), ("city", "Espoo"), ("phone", "556"), ("email", "acme@example.test"), ("contact_person", "Carol")),
        "worktype" => FormsHttp.Obj(("number", "W-1"), ("name", "Overtime")),
        "worktimegroup" => FormsHttp.Obj(("name", "Office"), ("daily_minutes", 450), ("country", "se"), ("minutes_fri", 360)),
        "abcense" => FormsHttp.Obj(("user", by.Id),
            ("abcensetype", (await by.Client.CreateAsync("abcensetypes", "abcensetype", new { name = "Sick", type = "days" })).Id()),
            ("startdate", WorktimeApplication.CurrentMonthDay), ("enddate", "2026-11-16"), ("dayamount", 1.5), ("absence_hours", 7.5),
            ("description", "Flu"), ("status", "open")),
        "abcensetype" => FormsHttp.Obj(("name", "Vacation"), ("type", "both"), ("paid", true)),
        "workdayday" => FormsHttp.Obj(("worktimegroup", await GroupAsync(by)), ("date", "2026-12-24"), ("name", "Christmas Eve"), ("minutes", 240)),
        "employment" => FormsHttp.Obj(("user", by.Id), ("worktimegroup", await GroupAsync(by)), ("valid_from", "2026-01-01"), ("percent", 80)),
        "saldocorrection" => FormsHttp.Obj(("user", by.Id), ("date", WorktimeApplication.CurrentMonthDay), ("minutes", -90), ("description", "Overtime paid out")),
        // Long before any sample row's date, and of the creator only: a shared tenant's other tests are not locked out.
        "periodlock" => FormsHttp.Obj(("enddate", "2020-12-31"), ("user", by.Id), ("description", "Payroll 2020 closed")),
        "wagetype" => FormsHttp.Obj(("code", "2010"), ("name", "Annual leave"), ("kind", "absence"),
            ("abcensetype", (await by.Client.CreateAsync("abcensetypes", "abcensetype", new { name = "Vacation", type = "days" })).Id())),
        _ => throw new ArgumentOutOfRangeException(nameof(form)),
    };

    /// <summary>A partial update (field, new value) valid for <paramref name="form"/>.</summary>
    public static (string Field, object Value) Update(string form) => form switch
    {
        "user" => ("phone", "+358 40 2"),
        "worktime" => ("description", "Formwork"),
        "abcense" => ("description", "Cold"),
        "worktimegroup" => ("daily_minutes", 480L),
        "abcensetype" => ("type", "hours"),
        "workdayday" => ("minutes", 0L),
        "employment" => ("valid_from", "2026-02-01"),
        "saldocorrection" => ("minutes", 30L),
        "periodlock" => ("description", "Payroll 2020 audited"),
        _ => ("name", "Renamed"),
    };

    /// <summary>The fields of each form in definition order (the row shape after row_info and id).</summary>
    public static readonly IReadOnlyDictionary<string, string[]> FieldOrder = new Dictionary<string, string[]>
    {
        ["user"] = ["firstname", "lastname", "username", "email", "phone", "userlevel", "worktimegroup", "status", "saldo_start", "saldo_initial", "employee_number"],
        ["worktime"] = ["date", "status", "user", "project", "task", "subtask", "worktype", "superior", "starttime", "endtime", "pause", "work_hours", "description"],
        ["project"] = ["number", "name", "address", "zip", "city", "location_map", "image", "contact_person", "phone", "email", "help", "description", "contact_user", "customer"],
        ["task"] = ["number", "name", "description"],
        ["subtask"] = ["name", "task"],
        ["customer"] = ["number", "name", "business_id", "address", "zip", "city", "phone", "email", "contact_person"],
        ["worktype"] = ["number", "name"],
        ["worktimegroup"] = ["name", "daily_minutes", "country", "minutes_mon", "minutes_tue", "minutes_wed", "minutes_thu", "minutes_fri", "minutes_sat", "minutes_sun"],
        ["abcense"] = ["user", "abcensetype", "startdate", "enddate", "starttime", "endtime", "dayamount", "absence_hours", "description", "status", "rejection_reason", "requires_approval"],
        ["abcensetype"] = ["name", "type", "paid", "requires_approval"],
        ["workdayday"] = ["worktimegroup", "date", "name", "minutes"],
        ["employment"] = ["user", "worktimegroup", "valid_from", "percent"],
        ["saldocorrection"] = ["user", "date", "minutes", "description"],
        ["periodlock"] = ["enddate", "user", "description"],
        ["wagetype"] = ["code", "name", "kind", "worktype", "abcensetype"],
    };

    private static async Task<long> GroupAsync(TenantUser by) =>
        (await by.Client.CreateAsync("worktimegroups", "worktimegroup", new { name = "Ref group" })).Id();

    /// <summary>Creates a row of <paramref name="form"/> as <paramref name="by"/> and returns it.</summary>
    public static async Task<JsonElement> CreateAsync(string form, TenantUser by) =>
        await by.Client.CreateAsync(Plural(form), form, await BodyAsync(form, by));
}
