using System.Globalization;
using Worktime.Api.Accounts;
using Worktime.Api.Http;

namespace Worktime.Api.Forms.Hooks;

/// <summary>
/// Balance corrections change what someone is paid, so every write (create, edit, remove, restore) leaves an audit
/// record: who, which correction, whose balance, the date and minutes as stored after the write.
/// </summary>
internal sealed class SaldocorrectionHooks(AuditLog audit) : FormHooks
{
    public override string FormName => "saldocorrection";

    /// <summary>Below level 5 nobody corrects their own balance (<see cref="BalanceInputs"/>).</summary>
    public override ApiError? Authorize(FormWrite write) => BalanceInputs.Authorize(write);

    public override Task AfterCommitAsync(FormWrite write, CancellationToken ct)
    {
        var action = write.Existing switch
        {
            null => "created",
            { IsRemoved: true } when write.NewStatus == StoredRow.Normal => "restored",
            _ when write.NewStatus == StoredRow.Removed => "removed",
            _ => "updated",
        };
        var detail = string.Create(CultureInfo.InvariantCulture,
            $"saldocorrection {write.Id} {action}: user {write.Row.GetValueOrDefault("user")}, date {write.Row.GetValueOrDefault("date")}, minutes {write.Row.GetValueOrDefault("minutes")}");
        return audit.WriteAsync(
            AuditEvents.SaldoCorrection, write.Caller.PartnerId, write.Caller.UserId, write.Caller.Username, detail: detail, ct: ct);
    }
}
