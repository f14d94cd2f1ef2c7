using System.Text.Json;
using System.Text.Json.Serialization;

namespace Worktime.Api.TimeAccounting;

// The answers of the /ttapi routes (docs/time-accounting.md), in the shapes otta-cli reads. Minutes are whole numbers.

/// <summary>A day whose expected minutes differ from its weekday's: a public holiday or a <c>workdayday</c>.</summary>
internal sealed record WorkdayDayRow(
    [property: JsonPropertyName("id")] long? Id,
    [property: JsonPropertyName("date")] string Date,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("minutes")] long Minutes,
    [property: JsonPropertyName("expected_minutes")] long ExpectedMinutes,
    [property: JsonPropertyName("absence_minutes")] long AbsenceMinutes);

internal sealed record WorkdayDaysResponse(
    [property: JsonPropertyName("workdayDays")] IReadOnlyList<WorkdayDayRow> WorkdayDays,
    [property: JsonPropertyName("count")] int Count);

internal sealed record SaldoResponse(
    [property: JsonPropertyName("saldo")] long Saldo,
    [property: JsonPropertyName("from")] string From,
    [property: JsonPropertyName("to")] string To,
    [property: JsonPropertyName("worked_minutes")] long WorkedMinutes,
    [property: JsonPropertyName("absence_minutes")] long AbsenceMinutes,
    [property: JsonPropertyName("correction_minutes")] long CorrectionMinutes,
    [property: JsonPropertyName("expected_minutes")] long ExpectedMinutes,
    [property: JsonPropertyName("initial_minutes")] long InitialMinutes);

/// <summary>One day of the balance; <c>counted</c> is false before the balance's start date (its balance is 0).</summary>
internal sealed record SaldoDayRow(
    [property: JsonPropertyName("date")] string Date,
    [property: JsonPropertyName("expected_minutes")] long ExpectedMinutes,
    [property: JsonPropertyName("worked_minutes")] long WorkedMinutes,
    [property: JsonPropertyName("absence_minutes")] long AbsenceMinutes,
    [property: JsonPropertyName("unpaid_absence_minutes")] long UnpaidAbsenceMinutes,
    [property: JsonPropertyName("correction_minutes")] long CorrectionMinutes,
    [property: JsonPropertyName("balance_minutes")] long BalanceMinutes,
    [property: JsonPropertyName("running_minutes")] long RunningMinutes,
    [property: JsonPropertyName("counted")] bool Counted);

internal sealed record SaldoDailyResponse(
    [property: JsonPropertyName("user")] long User,
    [property: JsonPropertyName("saldo_start")] string SaldoStart,
    [property: JsonPropertyName("initial_minutes")] long InitialMinutes,
    [property: JsonPropertyName("days")] IReadOnlyList<SaldoDayRow> Days,
    [property: JsonPropertyName("count")] int Count);

/// <summary>One calendar day of an absence; <c>absence_hours</c> is that day's share (<c>minutes</c> / 60).</summary>
internal sealed record AbsenceSplitRow(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("date")] string Date,
    [property: JsonPropertyName("user")] long User,
    [property: JsonPropertyName("abcensetype")] long? Abcensetype,
    [property: JsonPropertyName("absence_hours")] double AbsenceHours,
    [property: JsonPropertyName("minutes")] long Minutes,
    [property: JsonPropertyName("starttime")] string? Starttime,
    [property: JsonPropertyName("endtime")] string? Endtime);

/// <summary>The split rows and, as further top-level keys (<c>abcensetypes</c>, <c>users</c>), the sideloaded rows.</summary>
internal sealed record AbsenceSplitResponse(
    [property: JsonPropertyName("abcenses")] IReadOnlyList<AbsenceSplitRow> Abcenses,
    [property: JsonPropertyName("count")] int Count)
{
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Sideloads { get; init; }
}
