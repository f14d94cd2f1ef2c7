using Microsoft.Extensions.Localization;
using Worktime.Api.WebApp.Localization;

namespace Worktime.Api.WebApp.Admin;

/// <summary>The admin pages' words for the forms' fields and dropdown values, in the person's language.</summary>
internal static class AdminTexts
{
    public static string Label(IStringLocalizer<Texts> T, string field) => field switch
    {
        "firstname" => T["First name"],
        "lastname" => T["Last name"],
        "username" => T["Username"],
        "email" => T["Email"],
        "phone" => T["Phone"],
        "userlevel" => T["User level"],
        "worktimegroup" => T["Worktime group"],
        "status" => T["Status"],
        "saldo_start" => T["Balance counted from"],
        "saldo_initial" => T["Balance carried over (min)"],
        "employee_number" => T["Employee number"],
        "password" => T["New password"],
        "number" => T["Number"],
        "name" => T["Name"],
        "address" => T["Address"],
        "zip" => T["Postal code"],
        "city" => T["City"],
        "contact_person" => T["Contact person"],
        "description" => T["Description"],
        "contact_user" => T["Contact user"],
        "customer" => T["Customer"],
        "business_id" => T["Business ID"],
        "task" => T["Task"],
        "daily_minutes" => T["Daily minutes"],
        "country" => T["Country (ISO code)"],
        "minutes_mon" => T["Monday (min)"],
        "minutes_tue" => T["Tuesday (min)"],
        "minutes_wed" => T["Wednesday (min)"],
        "minutes_thu" => T["Thursday (min)"],
        "minutes_fri" => T["Friday (min)"],
        "minutes_sat" => T["Saturday (min)"],
        "minutes_sun" => T["Sunday (min)"],
        "date" => T["Date"],
        "minutes" => T["Minutes"],
        "user" => T["Person"],
        "valid_from" => T["Valid from"],
        "percent" => T["Percent"],
        "type" => T["Recorded in"],
        "paid" => T["Paid"],
        "requires_approval" => T["Requires approval"],
        "link.tasks" => T["Tasks"],
        "link.projects" => T["Projects"],
        _ => field,
    };

    public static string Option(IStringLocalizer<Texts> T, string option) => option switch
    {
        "active" => T["Active"],
        "inactive" => T["Inactive"],
        "days" => T["Days"],
        "hours" => T["Hours"],
        "both" => T["Days or hours"],
        _ => option,
    };
}
