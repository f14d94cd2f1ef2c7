namespace Worktime.Api.Forms.Definitions;

/// <summary>
/// Who may do what with a form's rows (docs/forms.md), as data read by <see cref="FormPrivileges"/>.
/// Levels: 1 worker, 2 foreman, 3 supervisor, 4 manager, 5 admin.
/// </summary>
internal sealed record AccessRules
{
    /// <summary>From this level the caller reads every row of the partner; below it only own rows.</summary>
    public int ReadAllLevel { get; init; } = 1;

    /// <summary>From this level reference options and display names list every row (defaults to <see cref="ReadAllLevel"/>).</summary>
    public int? OptionsLevel { get; init; }

    /// <summary>From this level the caller creates and edits any row.</summary>
    public int WriteLevel { get; init; } = 3;

    /// <summary>From this level the caller edits any row, when it differs from <see cref="WriteLevel"/> (a period lock: moving it can unlock days).</summary>
    public int? EditLevel { get; init; }

    /// <summary>From this level the caller removes (and restores) any row.</summary>
    public int RemoveLevel { get; init; } = 4;

    /// <summary>The field naming a row's owner (<c>user</c>, or <c>id</c> for the user form itself); null: no own rows.</summary>
    public string? OwnerField { get; init; }

    /// <summary>Owners below <see cref="WriteLevel"/> may create rows for themselves.</summary>
    public bool OwnerMayCreate { get; init; }

    /// <summary>Owners below <see cref="WriteLevel"/> may edit their own (open) rows; false: they only read them.</summary>
    public bool OwnerMayEdit { get; init; } = true;

    /// <summary>Owners below <see cref="RemoveLevel"/> may remove their own (open) rows.</summary>
    public bool OwnerMayRemove { get; init; }

    /// <summary>
    /// From this level the caller edits and removes rows about themselves; below it their own rows are read-only
    /// whatever <see cref="WriteLevel"/> says (a balance input is booked by a second person; creating one for oneself
    /// is refused by the form's hooks). Null: no such rule.
    /// </summary>
    public int? OwnRowsWriteLevel { get; init; }

    /// <summary>False: nobody removes their own row, whatever their level (an admin cannot delete themselves).</summary>
    public bool OwnRowRemovable { get; init; } = true;

    /// <summary>A dropdown that closes a row to its owner: own rows are editable only while it equals <see cref="OpenValue"/>.</summary>
    public string? OpenField { get; init; }

    public string OpenValue { get; init; } = "open";

    /// <summary>Fields an owner below <see cref="WriteLevel"/> may not change (e.g. their own userlevel).</summary>
    public IReadOnlySet<string> OwnerProtectedFields { get; init; } = new HashSet<string>();

    public int EffectiveOptionsLevel => OptionsLevel ?? ReadAllLevel;

    public int EffectiveEditLevel => EditLevel ?? WriteLevel;

    /// <summary>Readable by everyone, written from <paramref name="writeLevel"/>, removed by managers.</summary>
    public static AccessRules Shared(int writeLevel) => new() { WriteLevel = writeLevel };

    /// <summary>
    /// Rows about a user that others keep (employments, balance corrections): the user reads their own, levels 3–5
    /// read everyone's, and only <paramref name="writeLevel"/> and above write or remove them.
    /// </summary>
    public static AccessRules ReadByOwner(int writeLevel) => new()
    {
        ReadAllLevel = 3,
        WriteLevel = writeLevel,
        RemoveLevel = writeLevel,
        OwnerField = "user",
        OwnerMayEdit = false,
    };

    /// <summary>Rows belonging to a user (worktimes, absences): own rows while open, everyone's from level 2/3/4.</summary>
    public static AccessRules Personal() => new()
    {
        ReadAllLevel = 2,
        OwnerField = "user",
        OwnerMayCreate = true,
        OwnerMayRemove = true,
        OpenField = "status",
        OwnerProtectedFields = new HashSet<string> { "status" },
    };
}
