namespace Worktime.Api.Forms.Definitions;

/// <summary>
/// The names of absence approval (docs/forms.md, "Absence approval"): an absence whose type requires approval is
/// pending while its status is <c>open</c>, and counts in the balance only once a supervisor accepts it; a rejected
/// absence never counts and carries the supervisor's reason.
/// </summary>
internal static class AbsenceApproval
{
    /// <summary>The status of an absence a supervisor refused.</summary>
    public const string Rejected = "rejected";

    /// <summary>The status that, on an absence requiring approval, means pending.</summary>
    public const string Open = "open";

    public const string Accepted = "accepted";

    /// <summary>On <c>abcensetype</c>: its absences need approval; on <c>abcense</c>: it needed approval when written.</summary>
    public const string RequiredField = "requires_approval";

    /// <summary>Required with status <see cref="Rejected"/>, kept only with it.</summary>
    public const string ReasonField = "rejection_reason";
}
