using System.Globalization;
using Worktime.Api.Auth;
using Worktime.Api.Forms.Definitions;
using Worktime.Api.Forms.Storage;
using Worktime.Api.Http;

namespace Worktime.Api.Forms.Access;

/// <summary>
/// The privilege rules of docs/forms.md computed from a form's <see cref="AccessRules"/>: what the caller may do with a row. Used both to
/// allow or refuse a call and to fill <c>row_info.privilege_edit</c> / <c>privilege_remove</c>.
/// Rows of another partner never get here: every query carries the partner predicate.
/// </summary>
internal static class FormPrivileges
{
    public static string? OwnerColumn(FormDefinition form) => form.Access.OwnerField switch
    {
        null => null,
        "id" => "id",
        var field => form.Field(field)!.Column,
    };

    public static bool IsOwn(FormDefinition form, CurrentUser caller, StoredRow row) => form.Access.OwnerField switch
    {
        null => false,
        "id" => row.Id == caller.UserId,
        var field => row[field] is long owner && owner == caller.UserId,
    };

    public static bool IsOpen(FormDefinition form, StoredRow row) =>
        form.Access.OpenField is not { } field || row[field] as string == form.Access.OpenValue;

    /// <summary>True when a period lock covers the row: nobody may edit or remove it (docs/forms.md, "Period locks").</summary>
    public static bool IsLocked(FormDefinition form, StoredRow row, PeriodLockSet? locks) =>
        form.PeriodLock is { } rule && locks is { IsEmpty: false } && locks.Covers(rule, f => row[f]);

    public static bool CanRead(FormDefinition form, CurrentUser caller, StoredRow row) =>
        caller.UserLevel >= form.Access.ReadAllLevel || IsOwn(form, caller, row);

    /// <summary>
    /// What of a <em>referenced</em> row (a sideload) the caller sees: what its own route would show them. A caller who
    /// reads every row of the target sees every readable field; anyone else only the display fields (the names a
    /// worker sees of the supervisor on their own worktime), whatever the row. Checked when the query is parsed
    /// (so <c>sideload[]=</c> may name only these) and again when the rows are written.
    /// </summary>
    public static bool CanReadReferenced(FormDefinition target, CurrentUser caller, string field) =>
        caller.UserLevel >= target.Access.ReadAllLevel || target.DisplayFields.Contains(field);

    public static bool CanCreate(FormDefinition form, CurrentUser caller) =>
        caller.UserLevel >= form.Access.WriteLevel || form.Access is { OwnerField: not null, OwnerMayCreate: true };

    public static bool CanEdit(FormDefinition form, CurrentUser caller, StoredRow row) =>
        !OwnRowClosed(form, caller, row)
        && (caller.UserLevel >= form.Access.EffectiveEditLevel || (form.Access.OwnerMayEdit && IsOwn(form, caller, row) && IsOpen(form, row)));

    public static bool CanRemove(FormDefinition form, CurrentUser caller, StoredRow row)
    {
        var own = IsOwn(form, caller, row);
        return (!own || form.Access.OwnRowRemovable) && !OwnRowClosed(form, caller, row)
            && (caller.UserLevel >= form.Access.RemoveLevel || (form.Access.OwnerMayRemove && own && IsOpen(form, row)));
    }

    /// <summary>A row about the caller that only someone else may write (<see cref="AccessRules.OwnRowsWriteLevel"/>).</summary>
    private static bool OwnRowClosed(FormDefinition form, CurrentUser caller, StoredRow row) =>
        form.Access.OwnRowsWriteLevel is { } level && caller.UserLevel < level && IsOwn(form, caller, row);

    /// <summary>
    /// Field-level rules for callers below the form's write level: the row must stay their own and
    /// protected fields (a status, their own userlevel) keep their value. Null when allowed.
    /// </summary>
    public static ApiError? CheckFields(
        FormDefinition form, CurrentUser caller, StoredRow? existing, IReadOnlyDictionary<string, object?> changes,
        IReadOnlyDictionary<string, object?> merged)
    {
        var rules = form.Access;
        if (caller.UserLevel >= rules.WriteLevel)
        {
            return null;
        }
        if (rules.OwnerField is { } ownerField && ownerField != "id" && !(merged.GetValueOrDefault(ownerField) is long owner && owner == caller.UserId))
        {
            return ApiError.Forbidden($"You can only write your own {form.Plural}.");
        }
        foreach (var name in rules.OwnerProtectedFields.Where(changes.ContainsKey))
        {
            var current = existing is null ? form.Field(name)!.Default : existing[name];
            if (Text(changes[name]) != Text(current))
            {
                return ApiError.Forbidden($"You may not change {name} of this {form.Name}.");
            }
        }
        return null;
    }

    private static string? Text(object? value) => Convert.ToString(value, CultureInfo.InvariantCulture);
}
