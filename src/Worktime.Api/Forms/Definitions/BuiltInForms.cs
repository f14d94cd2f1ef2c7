
namespace Worktime.Api.Forms.Definitions;

/// <summary>
/// The built-in forms of docs/forms.md. Definitions are code shared by every partner (no per-partner copies):
/// each partner's rows live in the same tables, separated by <c>partner_id</c>.
/// </summary>
internal static class BuiltInForms
{
    private static readonly string[] Open = ["open", "accepted", PeriodLockRule.Locked];

    /// <summary>Worktimes and absences: closed by a period lock of their user (or the whole partner) on or before their date.</summary>
    private static PeriodLockRule LockedBy(string dateField) => new(dateField, "user", "status");

    /// <summary>Bound of a signed minutes value (a balance or a correction): ten years around the clock.</summary>
    private const double SignedMinutesLimit = 10 * 366 * 24 * 60;

    /// <summary>Expected minutes of one day (a schedule's weekday, a workday day): at most the day's 1,440 minutes.</summary>
    private static FieldDefinition DayMinutes(string name) => F.Minutes(name) with { Min = 0, Max = 24 * 60 };

    public static readonly FormDefinition User = new("user", "users",
    [
        F.Text("firstname"), F.Text("lastname"),
        F.Text("username") with { Required = true },
        F.Text("email"), F.Text("phone"),
        F.Number("userlevel") with { Integer = true, Min = 1, Max = 5, Default = "1" },
        F.Ref("worktimegroup", "worktimegroup"),
        F.Dropdown("status", ["active", "inactive"], "active"),
        // The hour balance (docs/time-accounting.md): counted from saldo_start (null: the creation date),
        // starting at saldo_initial signed minutes carried over from before.
        F.Date("saldo_start"),
        F.Number("saldo_initial") with { Integer = true, Min = -SignedMinutesLimit, Max = SignedMinutesLimit },
        // The number payroll knows the person by (docs/exports.md, "Payroll CSV"): the key of the payroll CSV's lines.
        F.Text("employee_number"),
        F.Text("password") with { Column = null, WriteOnly = true },
        // Changing one's own password needs the current one beside it (docs/auth.md); never stored.
        F.Text("current_password") with { Column = null, WriteOnly = true },
    ])
    {
        DisplayFields = ["firstname", "lastname"],
        Access = new AccessRules
        {
            ReadAllLevel = 4,
            OptionsLevel = 2, // foremen filter and supervisors assign worktimes by user: they need the names
            WriteLevel = 5,
            RemoveLevel = 5,
            OwnerField = "id",
            OwnRowRemovable = false,
            OwnerProtectedFields = new HashSet<string> { "username", "userlevel", "worktimegroup", "status", "saldo_start", "saldo_initial", "employee_number" },
        },
    };

    public static readonly FormDefinition Worktime = new("worktime", "worktimes",
    [
        F.Date("date") with { Required = true },
        F.Dropdown("status", Open, "open"),
        F.Ref("user", "user") with { Column = "user_id", Required = true },
        F.Ref("project", "project"), F.Ref("task", "task"), F.Ref("subtask", "subtask"),
        F.Ref("worktype", "worktype"),
        F.Ref("superior", "user"),
        F.Time("starttime"), F.Time("endtime"),
        F.Minutes("pause"),
        F.Computed("work_hours", "work_minutes"),
        F.Text("description"),
    ])
    {
        DateField = "date",
        DisplayFields = ["date"],
        Access = AccessRules.Personal(),
        MonthCounts = "worktime_month_counts",
        PeriodLock = LockedBy("date"),
    };

    public static readonly FormDefinition Project = new("project", "projects",
    [
        F.Text("number"), F.Text("name") with { Required = true },
        F.Text("address"), F.Text("zip"), F.Text("city"),
        F.Text("location_map"), F.Array("image"),
        F.Text("contact_person"), F.Text("phone"), F.Text("email"), F.Text("help"), F.Text("description"),
        F.Ref("contact_user", "user"), F.Ref("customer", "customer"),
    ])
    { Links = ["task"] };

    public static readonly FormDefinition Task = new("task", "tasks",
        [F.Text("number"), F.Text("name") with { Required = true }, F.Text("description")])
    { Links = ["project"] };

    public static readonly FormDefinition Subtask = new("subtask", "subtasks",
        [F.Text("name") with { Required = true }, F.Ref("task", "task") with { Required = true }]);

    public static readonly FormDefinition Customer = new("customer", "customers",
    [
        F.Text("number"), F.Text("name") with { Required = true }, F.Text("business_id"),
        F.Text("address"), F.Text("zip"), F.Text("city"), F.Text("phone"), F.Text("email"), F.Text("contact_person"),
    ]);

    public static readonly FormDefinition Worktype = new("worktype", "worktypes",
        [F.Text("number"), F.Text("name") with { Required = true }]);

    /// <summary>
    /// A working-time schedule: expected minutes per weekday and the country whose public holidays are days off
    /// (docs/time-accounting.md). Its hooks fill the defaults: the partner's country, daily_minutes Mon–Fri.
    /// </summary>
    public static readonly FormDefinition Worktimegroup = new("worktimegroup", "worktimegroups",
    [
        F.Text("name") with { Required = true }, DayMinutes("daily_minutes"),
        F.Text("country"),
        .. WeeklySchedule.WeekdayFields.Select(DayMinutes),
    ])
    {
        Access = AccessRules.Shared(writeLevel: 5),
    };

    /// <summary>A date of a group's calendar that differs from its weekday: a company day off (0), a short eve (240).</summary>
    public static readonly FormDefinition Workdayday = new("workdayday", "workdaydays",
    [
        F.Ref("worktimegroup", "worktimegroup") with { Required = true },
        F.Date("date") with { Required = true },
        F.Text("name"),
        DayMinutes("minutes"),
    ])
    {
        Access = AccessRules.Shared(writeLevel: 5) with { RemoveLevel = 5 },
    };

    /// <summary>Which schedule (and what share of it) applies to a user from a date on; earlier days keep theirs.</summary>
    public static readonly FormDefinition Employment = new("employment", "employments",
    [
        F.Ref("user", "user") with { Column = "user_id", Required = true },
        F.Ref("worktimegroup", "worktimegroup") with { Required = true },
        F.Date("valid_from") with { Required = true },
        F.Number("percent") with { Min = 0, Max = 100, Default = "100" },
    ])
    {
        DisplayFields = ["valid_from"],
        // A balance input: below level 5 nobody writes one about themselves (docs/time-accounting.md).
        Access = AccessRules.ReadByOwner(writeLevel: 4) with { OwnRowsWriteLevel = 5 },
    };

    /// <summary>A manual booking on the balance (signed minutes on a date), audited.</summary>
    public static readonly FormDefinition Saldocorrection = new("saldocorrection", "saldocorrections",
    [
        F.Ref("user", "user") with { Column = "user_id", Required = true },
        F.Date("date") with { Required = true },
        F.Number("minutes") with { Integer = true, Required = true, Min = -SignedMinutesLimit, Max = SignedMinutesLimit },
        F.Text("description") with { Required = true },
    ])
    {
        DisplayFields = ["date"],
        Access = AccessRules.ReadByOwner(writeLevel: 3) with { OwnRowsWriteLevel = 5 },
    };

    public static readonly FormDefinition Abcense = new("abcense", "abcenses",
    [
        F.Ref("user", "user") with { Column = "user_id", Required = true },
        F.Ref("abcensetype", "abcensetype"),
        F.Date("startdate") with { Required = true }, F.Date("enddate"),
        F.Time("starttime"), F.Time("endtime"),
        F.Number("dayamount"),
        // An hour-based absence counts all its hours on its start day (docs/time-accounting.md): at most a day.
        F.Number("absence_hours") with { Min = 0, Max = 24 },
        F.Text("description"),
        F.Dropdown("status", ["open", "accepted", AbsenceApproval.Rejected, PeriodLockRule.Locked], "open"),
        // Absence approval (docs/forms.md): the reason a supervisor gives with status rejected, and whether the
        // absence's type required approval when it was written (set by the server; pending = true and open).
        F.Text(AbsenceApproval.ReasonField),
        F.Checkbox(AbsenceApproval.RequiredField) with { ReadOnly = true },
    ])
    {
        DateField = "startdate",
        DisplayFields = ["startdate"],
        Access = AccessRules.Personal() with { OwnerProtectedFields = new HashSet<string> { "status", AbsenceApproval.ReasonField } },
        PeriodLock = LockedBy("startdate"),
        Description = "Absences. One of a type with `requires_approval` is pending while `open`: the balance leaves it out until a "
            + "supervisor (level 3–5) accepts it (`PUT /abcenses/{id}` or `PUT /abcenses` with `status: \"accepted\"`) or rejects it "
            + "(`status: \"rejected\"` with a `rejection_reason`); both are audited. Pending ones: `GET /abcenses?requires_approval=1&status=open`.",
    };

    public static readonly FormDefinition Abcensetype = new("abcensetype", "abcensetypes",
    [
        F.Text("name") with { Required = true }, F.Dropdown("type", ["days", "hours", "both"], "days"),
        // Paid: the absence counts as time worked for the balance (docs/time-accounting.md).
        F.Checkbox("paid") with { Default = "true" },
        // Absences of this type wait for a supervisor's approval before they count (docs/forms.md, "Absence approval").
        F.Checkbox(AbsenceApproval.RequiredField) with { Default = "false" },
    ])
    { Access = AccessRules.Shared(writeLevel: 5) };

    /// <summary>
    /// Closes worktimes and absences dated on or before <c>enddate</c> (inclusive), of one <c>user</c> or, without
    /// one, of the whole partner (docs/forms.md, "Period locks"). Supervisors lock; moving or removing a lock can
    /// reopen days, so that needs a manager. Every write is audited.
    /// </summary>
    public static readonly FormDefinition Periodlock = new("periodlock", "periodlocks",
    [
        F.Date("enddate") with { Required = true },
        F.Ref("user", "user") with { Column = "user_id" },
        F.Text("description"),
    ])
    {
        DisplayFields = ["enddate"],
        Access = AccessRules.Shared(writeLevel: 3) with { EditLevel = 4, RemoveLevel = 4 },
        Description = "Period locks: worktimes and absences dated on or before `enddate` (of `user`, or of everyone when empty) "
            + "cannot be created, edited or removed (409 `period_locked`) and read `status: \"locked\"`. Level 3 locks; level 4 edits or removes a lock.",
    };

    /// <summary>
    /// A payroll wage type (docs/exports.md, "Payroll CSV"): the code a payroll system books a kind of hours under.
    /// <c>worked</c> maps a worktype's hours (no worktype: every worktype without a mapping of its own), <c>absence</c>
    /// an absence type's (no type: every other absence), <c>overtime</c> the minutes worked beyond each day's expected.
    /// </summary>
    public static readonly FormDefinition Wagetype = new("wagetype", "wagetypes",
    [
        F.Text("code") with { Required = true },
        F.Text("name"),
        F.Dropdown("kind", [WageKinds.Worked, WageKinds.Overtime, WageKinds.Absence], WageKinds.Worked),
        F.Ref("worktype", "worktype"),
        F.Ref("abcensetype", "abcensetype"),
    ])
    {
        DisplayFields = ["code"],
        Access = AccessRules.Shared(writeLevel: 5),
        Description = "Payroll wage types: the code under which the payroll CSV (`GET /exports/payroll/YYYY-MM.csv`) lists "
            + "a kind of hours. `kind` `worked` with a `worktype` (or none: the default for hours worked), `absence` with an "
            + "`abcensetype` (or none: the default for absences), `overtime` (minutes worked beyond each day's expected). Level 5 writes.",
    };

    public static readonly IReadOnlyList<FormDefinition> All =
    [
        User, Worktime, Project, Task, Subtask, Customer, Worktype, Worktimegroup, Abcense, Abcensetype,
        Workdayday, Employment, Saldocorrection, Periodlock, Wagetype,
    ];
}
