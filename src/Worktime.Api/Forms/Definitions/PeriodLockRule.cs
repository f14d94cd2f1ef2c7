namespace Worktime.Api.Forms.Definitions;

/// <summary>
/// How period locks (the <c>periodlock</c> form) close a form's rows (docs/forms.md, "Period locks"): a row whose
/// <see cref="DateField"/> is on or before the last locked date of its <see cref="UserField"/> (a lock of that user or
/// of the whole partner) cannot be created, edited, removed or restored by anyone (409 <c>period_locked</c>), and its
/// <see cref="StatusField"/> reads <c>locked</c> while it is. The status it had is kept in the hidden column
/// <see cref="SavedStatusColumn"/> and comes back when the last lock covering the row goes.
/// </summary>
internal sealed record PeriodLockRule(string DateField, string UserField, string StatusField)
{
    /// <summary>The status value a covered row reads.</summary>
    public const string Locked = "locked";

    /// <summary>Hidden column: the status a covered row had before its lock (NULL exactly when no lock covers the row).</summary>
    public const string SavedStatusColumn = "status_before_lock";
}
