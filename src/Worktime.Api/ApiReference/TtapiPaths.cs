using System.Globalization;
using Microsoft.OpenApi;
using Worktime.Api.Forms.Definitions;
using Worktime.Api.TimeAccounting;
using static Worktime.Api.ApiReference.SharedComponents;

namespace Worktime.Api.ApiReference;

/// <summary>
/// The time-accounting routes under <c>/ttapi</c> (docs/time-accounting.md, "Routes"). Their parameters are read by
/// hand (<see cref="TtapiParameters"/>: only the route's own names, dates, ranges), so the generator cannot see them;
/// they and the answers (with the split's sideload keys, which reuse the forms' sideload rows) are written here.
/// </summary>
internal sealed class TtapiPaths(OpenApiDocument document, FormRegistry registry, FormPaths paths, FormSchemas schemas)
{
    public const string Tag = "Time accounting";

    private static readonly string Range = string.Create(CultureInfo.InvariantCulture,
        $"A date `YYYY-MM-DD` or a range `from_to` of at most {TtapiParameters.MaxRangeDays} days, between `0001-01-01` and `9999-12-31`.");

    public void Add()
    {
        RegisterSchemas();
        var calendar = paths.Operation(Tag, "getWorkdayDays", "Days of a calendar that differ from their weekday",
            "The days of a worktime group's calendar whose expected minutes differ from their weekday's: public holidays of the " +
            "group's country and `workdayday` rows, with the caller's own absence minutes on each. Everyone may read it.",
            FormPaths.Ok("200", "The differing days, in date order.", schemas.Ref("CalendarDayList")), "404");
        calendar.Parameters =
        [
            Parameter("date", RangeSchema(), true, Range, "2026-01-01_2026-12-31"),
            Parameter("worktimegroup", Id(), false, "The worktime group; default: the caller's own (400 when they have none). Another partner's is a 404.", "3"),
        ];

        var saldo = paths.Operation(Tag, "getCurrentSaldo", "A user's hour balance",
            "The balance from the user's `saldo_start` to `date`: `saldo = initial + worked + absence + correction − expected`, with each part. " +
            "Levels 1–2 may ask only about themselves (403 otherwise); levels 3–5 about anyone of their partner.",
            FormPaths.Ok("200", "The balance and its parts.", schemas.Ref("Saldo")), "403", "404");
        saldo.Parameters =
        [
            Parameter("userid", UserId(), false, "A user id or `self`; default: the caller.", "self"),
            Parameter("date", DateSchema(), false, "The last day counted, `YYYY-MM-DD` between `0001-01-01` and `9999-12-31`; default: yesterday (UTC).", "2026-01-31"),
        ];

        var daily = paths.Operation(Tag, "getDailySaldo", "A user's balance day by day",
            "One row per day of the range: expected, worked, absence, correction, the day's balance and the running balance at its end " +
            "(the last row's is the balance at `date`'s end). The same privileges as `getCurrentSaldo`.",
            FormPaths.Ok("200", "The days of the range, in date order.", schemas.Ref("SaldoDayList")), "403", "404");
        daily.Parameters =
        [
            Parameter("userid", UserId(), false, "A user id or `self`; default: the caller.", "self"),
            Parameter("date", RangeSchema(), true, Range, "2026-01-01_2026-01-31"),
        ];

        var abcense = registry.Get("abcense");
        var split = paths.Operation(Tag, "getAbsenceSplit", "Absences cut into calendar days",
            "Every absence overlapping [`startdate`, `enddate`], one row per calendar day inside the range, with that day's minutes. " +
            "The absence form's read scope: level 1 sees only their own (asking for someone else gives no rows), levels 2–5 everyone's.",
            FormPaths.Ok("200", "The day rows and, when asked for, the sideloaded rows.", schemas.Ref("AbsenceSplitList")));
        split.Parameters =
        [
            Parameter("startdate", DateSchema(), true, "The first day, `YYYY-MM-DD` between `0001-01-01` and `9999-12-31`.", "2026-02-01"),
            Parameter("enddate", DateSchema(), false, string.Create(CultureInfo.InvariantCulture,
                $"The last day (default `startdate`); the range, both ends included, is at most {TtapiParameters.MaxRangeDays} days."), "2026-02-28"),
            Parameter("user", UserId(), false, "Only this user's absences: an id or `self`; default: every user the caller may read.", "self"),
            Parameter("order", new OpenApiSchema { Type = JsonSchemaType.String }, false,
                "Sort keys separated by `,`, `-` for descending: `date`, `startdate`, `starttime`, `endtime`, `id`, `user`, `abcensetype`, " +
                "`minutes`, `absence_hours`. Unless it names the date, rows are sorted by date first and this sorts within a day. " +
                string.Create(CultureInfo.InvariantCulture, $"At most {TtapiParameters.MaxValues} keys."), "starttime,endtime"),
            Parameter("sideload", schemas.NamedEnum("SideloadSwitch", "Sideload every reference field.", "true", "false"), false,
                "`true` adds the top-level keys `users` and `abcensetypes` with the referenced rows, as findAll does.", "true"),
            new OpenApiParameter
            {
                Name = "sideload[]",
                In = ParameterLocation.Query,
                Style = ParameterStyle.Form,
                Explode = true,
                Schema = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
                Description = "Sideload only these fields, as on findAll: `<referenceField>.<field>` (repeat the parameter, or separate with `,`). " +
                    $"Example: `abcensetype.{registry.Get(abcense.Field("abcensetype")!.Target!).DisplayFields[0]}`.",
            },
        ];

        paths.AddPath("/ttapi/workdayCalendar/workdayDays", (HttpMethod.Get, calendar));
        paths.AddPath("/ttapi/saldo/get_current_saldo", (HttpMethod.Get, saldo));
        paths.AddPath("/ttapi/saldo/daily", (HttpMethod.Get, daily));
        paths.AddPath("/ttapi/absence/split", (HttpMethod.Get, split));
    }

    private void RegisterSchemas()
    {
        var components = document.Components!.Schemas!;
        components["CalendarDay"] = Object("A day whose expected minutes differ from its weekday's.", new()
        {
            ["id"] = Nullable(Integer("The `workdayday` row's id; null for a public holiday.")),
            ["date"] = DateSchema(),
            ["name"] = Nullable(Text("The holiday's or the workday day's name.", "Loppiainen")),
            ["minutes"] = Integer("How much shorter than its weekday the day is (negative when a weekend day becomes a working day)."),
            ["expected_minutes"] = Integer("The day's expected minutes at 100 %."),
            ["absence_minutes"] = Integer("The caller's absence minutes that day (paid or not)."),
        }, "id", "date", "name", "minutes", "expected_minutes", "absence_minutes");
        components["CalendarDayList"] = Object("The differing days of the range.", new()
        {
            ["workdayDays"] = Array("CalendarDay"),
            ["count"] = Integer("How many rows."),
        }, "workdayDays", "count");

        components["Saldo"] = Object("A balance: `saldo = initial_minutes + worked_minutes + absence_minutes + correction_minutes − expected_minutes`.", new()
        {
            ["saldo"] = Integer("The balance in minutes (signed)."),
            ["from"] = DateSchema("The first day counted: the user's `saldo_start`."),
            ["to"] = DateSchema("The last day counted. Before `from`, nothing is counted and `saldo` is `initial_minutes`."),
            ["worked_minutes"] = Integer("Minutes of the user's worktimes."),
            ["absence_minutes"] = Integer("Minutes of paid absences."),
            ["correction_minutes"] = Integer("Minutes of saldo corrections (signed)."),
            ["expected_minutes"] = Integer("Minutes the calendar expected."),
            ["initial_minutes"] = Integer("The user's `saldo_initial`."),
        }, "saldo", "from", "to", "worked_minutes", "absence_minutes", "correction_minutes", "expected_minutes", "initial_minutes");

        components["SaldoDay"] = Object("One day of the balance.", new()
        {
            ["date"] = DateSchema(),
            ["expected_minutes"] = Integer("Minutes the calendar expected."),
            ["worked_minutes"] = Integer("Minutes of worktimes."),
            ["absence_minutes"] = Integer("Minutes of paid absences."),
            ["unpaid_absence_minutes"] = Integer("Minutes of unpaid absences (not in the balance)."),
            ["correction_minutes"] = Integer("Minutes of saldo corrections (signed)."),
            ["balance_minutes"] = Integer("worked + absence + correction − expected; 0 before `saldo_start`."),
            ["running_minutes"] = Integer("The balance at the end of the day."),
            ["counted"] = new OpenApiSchema { Type = JsonSchemaType.Boolean, Description = "False before the user's `saldo_start`." },
        }, "date", "expected_minutes", "worked_minutes", "absence_minutes", "unpaid_absence_minutes", "correction_minutes",
            "balance_minutes", "running_minutes", "counted");
        components["SaldoDayList"] = Object("The balance day by day.", new()
        {
            ["user"] = Integer("The user's id."),
            ["saldo_start"] = DateSchema("The day the balance is counted from."),
            ["initial_minutes"] = Integer("The user's `saldo_initial`."),
            ["days"] = Array("SaldoDay"),
            ["count"] = Integer("How many days."),
        }, "user", "saldo_start", "initial_minutes", "days", "count");

        components["AbsenceSplitDay"] = Object("One calendar day of an absence.", new()
        {
            ["id"] = Integer("The absence's id."),
            ["date"] = DateSchema(),
            ["user"] = Integer("The absence's user."),
            ["abcensetype"] = Nullable(Integer("The absence's type.")),
            ["absence_hours"] = new OpenApiSchema { Type = JsonSchemaType.Number, Format = "double", Description = "That day's share in hours (`minutes` / 60)." },
            ["minutes"] = Integer("That day's minutes."),
            ["starttime"] = Nullable(Text("`HH:MM`, only on the row that carries an hour-based absence's minutes.", "08:00")),
            ["endtime"] = Nullable(Text("`HH:MM`, as `starttime`.", "12:00")),
        }, "id", "date", "user", "abcensetype", "absence_hours", "minutes", "starttime", "endtime");
        var abcense = registry.Get("abcense");
        var split = new Dictionary<string, IOpenApiSchema>
        {
            ["abcenses"] = Array("AbsenceSplitDay"),
            ["count"] = Integer("How many day rows."),
        };
        foreach (var field in abcense.Fields.Where(f => f.Type == FieldType.Database))
        {
            var target = registry.Get(field.Target!);
            split[target.PluralKey] = new OpenApiSchema
            {
                Type = JsonSchemaType.Array,
                Items = schemas.Ref(FormSchemas.Name(target, "Sideload")),
                Description = $"Only with `sideload`: the {target.Plural} referenced by the rows, in id order.",
            };
        }
        components["AbsenceSplitList"] = Object("The day rows. Sideload keys appear only when asked for.", split, "abcenses", "count");
    }

    private OpenApiSchema Array(string item) => new() { Type = JsonSchemaType.Array, Items = schemas.Ref(item) };

    private static OpenApiSchema Nullable(OpenApiSchema schema)
    {
        schema.Type |= JsonSchemaType.Null;
        return schema;
    }

    private static OpenApiSchema DateSchema(string description = "`YYYY-MM-DD`.") =>
        new() { Type = JsonSchemaType.String, Format = "date", Description = description };

    private static OpenApiSchema RangeSchema() => new()
    {
        Type = JsonSchemaType.String,
        Pattern = @"^\d{4}-\d{2}-\d{2}(_\d{4}-\d{2}-\d{2})?$",
        Description = "`YYYY-MM-DD` or `YYYY-MM-DD_YYYY-MM-DD`.",
    };

    private static OpenApiSchema Id() => new() { Type = JsonSchemaType.Integer, Format = "int64", Minimum = "1" };

    private static OpenApiSchema UserId() => new()
    {
        Type = JsonSchemaType.String,
        Pattern = "^([1-9][0-9]*|self)$",
        Description = "A user id or `self`.",
    };

    /// <summary>The example goes into the description, as for findAll's parameters (docs/api-reference.md, "Choices").</summary>
    private static OpenApiParameter Parameter(string name, IOpenApiSchema schema, bool required, string description, string example) => new()
    {
        Name = name,
        In = ParameterLocation.Query,
        Required = required,
        Description = $"{description} Example: `{example}`.",
        Schema = schema,
    };
}
