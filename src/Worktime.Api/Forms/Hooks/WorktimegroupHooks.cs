using Dapper;
using Worktime.Api.Forms.Definitions;

namespace Worktime.Api.Forms.Hooks;

/// <summary>
/// A worktime group's schedule defaults (docs/time-accounting.md): a new group expects its <c>daily_minutes</c>
/// (450 when unset) Monday to Friday and nothing at weekends, and takes the partner's country for public holidays.
/// The country is an ISO 3166 alpha-2 code, stored lower-case like the partner's.
/// </summary>
internal sealed class WorktimegroupHooks : FormHooks
{
    public override string FormName => "worktimegroup";

    public override void Complete(FormWrite write, Dictionary<string, string> errors)
    {
        if (write.Row.GetValueOrDefault("country") is string country)
        {
            var code = country.Trim().ToLowerInvariant();
            if (code.Length != 2 || !code.All(char.IsAsciiLetterLower))
            {
                errors["country"] = "must be a two-letter ISO 3166 country code, e.g. fi";
            }
            else
            {
                write.Row["country"] = code;
                write.Changes["country"] = code;
            }
        }
        if (write.Existing is not null)
        {
            return; // the schedule defaults are for a new group only
        }
        var daily = write.Row.GetValueOrDefault("daily_minutes") as long?;
        for (var day = 0; day < WeeklySchedule.WeekdayFields.Count; day++)
        {
            if (write.Row.GetValueOrDefault(WeeklySchedule.WeekdayFields[day]) is null)
            {
                write.Row[WeeklySchedule.WeekdayFields[day]] = WeeklySchedule.Default(day, daily);
            }
        }
    }

    public override async Task CheckAsync(FormWrite write, Dictionary<string, string> errors, CancellationToken ct)
    {
        if (write.Existing is null && write.Row.GetValueOrDefault("country") is null)
        {
            write.Row["country"] = await write.Connection.ExecuteScalarAsync<string?>(
                new CommandDefinition("SELECT country FROM partners WHERE id = @id", new { id = write.Caller.PartnerId },
                    write.Transaction, cancellationToken: ct));
        }
    }
}
