using Worktime.Api.Forms.Definitions;

namespace Worktime.Api.WebApp.Admin;

/// <summary>
/// One page of the admin's generic form editor (docs/webapp.md, "Admin pages"): the form it edits, its address under
/// <c>/app/admin/</c>, the list's order and columns. The editor's fields are the form definition's own.
/// </summary>
internal sealed record AdminForm(string Slug, string Form, string Order, IReadOnlyList<string> Columns);

/// <summary>
/// The forms the admin pages edit. Every read and write goes through <see cref="PageForms"/> (the forms engine's door,
/// what the REST routes call), so the API's levels, validation, hooks and audit decide.
/// </summary>
internal static class AdminCatalog
{
    public static readonly IReadOnlyList<AdminForm> All =
    [
        new("users", "user", "lastname,firstname,id", ["firstname", "lastname", "username", "userlevel", "worktimegroup", "status"]),
        new("worktimegroups", "worktimegroup", "name,id", ["name", "country", "daily_minutes"]),
        new("workdaydays", "workdayday", "date,id", ["date", "name", "minutes", "worktimegroup"]),
        new("employments", "employment", "valid_from,id", ["user", "worktimegroup", "valid_from", "percent"]),
        new("saldocorrections", "saldocorrection", "date,id", ["date", "user", "minutes", "description"]),
        new("projects", "project", "name,id", ["number", "name", "customer", "city"]),
        new("tasks", "task", "name,id", ["number", "name"]),
        new("subtasks", "subtask", "name,id", ["name", "task"]),
        new("customers", "customer", "name,id", ["number", "name", "city", "contact_person"]),
        new("worktypes", "worktype", "name,id", ["number", "name"]),
        new("abcensetypes", "abcensetype", "name,id", ["name", "type", "paid", "requires_approval"]),
    ];

    /// <summary>
    /// Fields a person never types on these pages: one's own current password (the API asks it only of someone
    /// changing their own), a project's map link and help text (integrations fill them; its images are a JSON array).
    /// </summary>
    private static readonly HashSet<string> NotEdited = new(StringComparer.Ordinal) { "current_password", "location_map", "help" };

    public static AdminForm? Find(string? slug) => All.FirstOrDefault(a => string.Equals(a.Slug, slug, StringComparison.Ordinal));

    /// <summary>The fields of the editor: what a client may write, in the definition's order.</summary>
    public static IEnumerable<FieldDefinition> EditedFields(FormDefinition form) =>
        form.Fields.Where(f => f.Writable && f.Type is not (FieldType.Array or FieldType.Computed) && !NotEdited.Contains(f.Name));
}
