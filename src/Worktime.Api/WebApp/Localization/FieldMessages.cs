using Microsoft.Extensions.Localization;

namespace Worktime.Api.WebApp.Localization;

/// <summary>
/// The API's field messages (<c>validation_failed</c>'s <c>fields</c>, written after the field's name: "is required")
/// as a page shows them under their field, in the person's language. A message without a translation is shown as the
/// API wrote it, so nothing the API says is ever hidden.
/// </summary>
internal static class FieldMessages
{
    public static string Text(IStringLocalizer<Texts> T, string message) => message switch
    {
        "is required" => T["is required"],
        "is required to change your own password" => T["is required to change your own password"],
        "is longer than the time between starttime and endtime" => T["is longer than the time between start and end"],
        "is before startdate" => T["is before the start date"],
        "is required when status is rejected" => T["a rejection needs a reason"],
        "does not exist (no such project)" or "does not exist (no such task)" or "does not exist (no such worktype)"
            or "does not exist (no such abcensetype)" => T["is no longer available"],
        _ when message.StartsWith("must be a date", StringComparison.Ordinal) => T["must be a date"],
        _ when message.StartsWith("must be a time", StringComparison.Ordinal) => T["must be a time"],
        "must be a whole number of minutes" => T["must be a whole number of minutes"],
        _ when message.StartsWith("must be a", StringComparison.Ordinal) && message.Contains("number", StringComparison.Ordinal) => T["must be a number"],
        _ => message,
    };
}
