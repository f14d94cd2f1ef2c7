using System.Globalization;
using Dapper;
using Worktime.Api.Accounts;
using Worktime.Api.Forms.Definitions;

namespace Worktime.Api.Forms.Hooks;

/// <summary>
/// An absence cannot end before it starts. Absence approval (docs/forms.md, "Absence approval"): a rejection needs
/// its reason (also with <c>validation=off</c>: a refusal without one tells the worker nothing) and the reason goes
/// when the status leaves <c>rejected</c>; whether the absence needs approval is copied from its type whenever the
/// type is set, so changing a type later leaves the absences written under it as they were; and every decision —
/// accepted, rejected, or taken back — is audited after commit.
/// </summary>
internal sealed class AbcenseHooks(AuditLog audit) : FormHooks
{
    public override string FormName => "abcense";

    public override void Complete(FormWrite write, Dictionary<string, string> errors)
    {
        if (write.Row.GetValueOrDefault("startdate") is string start && write.Row.GetValueOrDefault("enddate") is string end
            && string.CompareOrdinal(end, start) < 0)
        {
            errors["enddate"] = "is before startdate";
        }
        var rejected = Status(write.Row) == AbsenceApproval.Rejected;
        var reason = write.Row.GetValueOrDefault(AbsenceApproval.ReasonField) as string;
        if (rejected && string.IsNullOrWhiteSpace(reason))
        {
            errors[AbsenceApproval.ReasonField] = "is required when status is rejected";
        }
        else if (!rejected && write.Sets(AbsenceApproval.ReasonField) && !string.IsNullOrEmpty(reason))
        {
            errors[AbsenceApproval.ReasonField] = "is given only with status rejected";
        }
        else if (!rejected && reason is not null)
        {
            Set(write, AbsenceApproval.ReasonField, null); // accepted or reopened: the old refusal no longer applies
        }
    }

    public override async Task CheckAsync(FormWrite write, Dictionary<string, string> errors, CancellationToken ct)
    {
        if (write.Existing is not null && !write.Sets("abcensetype"))
        {
            return; // what the type required when it was set stays with the absence
        }
        var required = write.Row.GetValueOrDefault("abcensetype") is long type
            && await write.Connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                "SELECT requires_approval FROM abcensetypes WHERE partner_id = @partner AND id = @type",
                new { partner = write.Caller.PartnerId, type }, write.Transaction, cancellationToken: ct)) is 1;
        if (write.Existing is null || write.Existing.Flag(AbsenceApproval.RequiredField) != required)
        {
            Set(write, AbsenceApproval.RequiredField, required);
        }
    }

    public override Task AfterCommitAsync(FormWrite write, CancellationToken ct)
    {
        var before = write.Existing is null ? null : Status(write.Existing.Values);
        var after = Status(write.Row);
        if (write.NewStatus != StoredRow.Normal || before == after || !(IsDecision(after) || IsDecision(before)))
        {
            return Task.CompletedTask;
        }
        var action = IsDecision(after) ? after : $"reopened as {after} (was {before})";
        var detail = string.Create(CultureInfo.InvariantCulture,
            $"abcense {write.Id} {action}: user {write.Row.GetValueOrDefault("user")}, startdate {write.Row.GetValueOrDefault("startdate")}");
        return audit.WriteAsync(AuditEvents.AbsenceApproval, write.Caller.PartnerId, write.Caller.UserId, write.Caller.Username, detail: detail, ct: ct);
    }

    private static bool IsDecision(string? status) => status is AbsenceApproval.Accepted or AbsenceApproval.Rejected;

    private static string? Status(IReadOnlyDictionary<string, object?> row) => row.GetValueOrDefault("status") as string;

    /// <summary>A value the hook derives: stored as it will be (<c>Row</c>) and written like a change of the request.</summary>
    private static void Set(FormWrite write, string field, object? value)
    {
        write.Row[field] = value;
        write.Changes[field] = value;
    }
}
