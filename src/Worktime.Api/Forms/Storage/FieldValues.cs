using System.Globalization;
using System.Text.Json;
using Worktime.Api.Forms.Definitions;

namespace Worktime.Api.Forms.Storage;

/// <summary>
/// Turns client text (a query-string value or a JSON value) into a field's engine value, or says what is
/// wrong with it. One parser for bodies and filters, so "what a date is" is decided once.
/// </summary>
internal static class FieldValues
{
    /// <summary>Upper bound of minutes fields: a year, far beyond any pause or daily quota.</summary>
    private const long MaxMinutes = 366 * 24 * 60;

    /// <summary>Parses a JSON body value. Numbers or numeric strings are accepted where a number is meant (docs/forms.md).</summary>
    public static bool TryParseJson(FieldDefinition field, JsonElement element, out object? value, out string? error)
    {
        value = null;
        error = null;
        switch (element.ValueKind)
        {
            case JsonValueKind.Null:
                return true;
            case JsonValueKind.String:
                return TryParseText(field, element.GetString()!, out value, out error);
            case JsonValueKind.Number when field.Type is not (FieldType.Date or FieldType.Time or FieldType.Dropdown or FieldType.Array):
                return TryParseText(field, element.GetRawText(), out value, out error);
            case JsonValueKind.True or JsonValueKind.False when field.Type == FieldType.Checkbox:
                value = element.ValueKind == JsonValueKind.True;
                return true;
            case JsonValueKind.Array when field.Type == FieldType.Array:
                value = element.GetRawText();
                return true;
            default:
                error = $"must be {Expected(field)}";
                return false;
        }
    }

    /// <summary>Parses a textual value. An empty string means "unset" for every non-text type.</summary>
    public static bool TryParseText(FieldDefinition field, string text, out object? value, out string? error)
    {
        value = null;
        error = null;
        if (!IsSafeText(text))
        {
            error = "contains characters that are not allowed";
            return false;
        }
        if (field.Type == FieldType.Text)
        {
            value = text;
            return true;
        }
        text = text.Trim();
        if (text.Length == 0)
        {
            return true;
        }
        value = field.Type switch
        {
            FieldType.Number => ParseNumber(field, text),
            FieldType.Minutes => long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var m) && m <= (field.Max ?? MaxMinutes) ? m : null,
            FieldType.Database => long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0 ? id : null,
            FieldType.Date => ParseDate(text),
            FieldType.Time => ParseTime(text),
            FieldType.Checkbox => text switch { "1" or "true" => true, "0" or "false" => false, _ => null },
            FieldType.Dropdown => field.Options!.FirstOrDefault(o => string.Equals(o, text, StringComparison.OrdinalIgnoreCase)),
            FieldType.Computed => ParseHoursMinutes(text),
            _ => null,
        };
        if (value is null)
        {
            error = $"must be {Expected(field)}";
        }
        return value is not null;
    }

    /// <summary>False for NUL and unpaired surrogates, which PostgreSQL text cannot hold (a 400, never a 500).</summary>
    public static bool IsSafeText(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\0')
            {
                return false;
            }
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return false;
            }
        }
        return true;
    }

    public static string? ParseDate(string text) =>
        text.Length == 10 && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : null;

    /// <summary><c>H:MM</c>, <c>HH:MM</c> or <c>HH:MM:SS</c> (seconds dropped) → <c>HH:MM</c>.</summary>
    public static string? ParseTime(string text)
    {
        var parts = text.Split(':');
        if (parts.Length is < 2 or > 3 || parts.Any(p => p.Length is 0 or > 2 || !p.All(char.IsAsciiDigit)) || parts[1].Length != 2)
        {
            return null;
        }
        var hour = int.Parse(parts[0], CultureInfo.InvariantCulture);
        var minute = int.Parse(parts[1], CultureInfo.InvariantCulture);
        var second = parts.Length == 3 ? int.Parse(parts[2], CultureInfo.InvariantCulture) : 0;
        return hour < 24 && minute < 60 && second < 60 ? string.Create(CultureInfo.InvariantCulture, $"{hour:00}:{minute:00}") : null;
    }

    /// <summary>Formats minutes as the <c>H:MM</c> of computed hour fields (<c>work_hours</c>).</summary>
    public static string FormatHoursMinutes(long minutes) =>
        string.Create(CultureInfo.InvariantCulture, $"{minutes / 60}:{minutes % 60:00}");

    private static object? ParseHoursMinutes(string text)
    {
        var parts = text.Split(':');
        return parts.Length == 2 && parts[1].Length == 2
            && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var h)
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var m) && m < 60 && h < MaxMinutes
                ? h * 60 + m
                : null;
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1859:Use concrete types when possible",
        Justification = "Returns a long for whole-number fields and a double otherwise; the caller stores either.")]
    private static object? ParseNumber(FieldDefinition field, string text)
    {
        if (!double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
                CultureInfo.InvariantCulture, out var number) || !double.IsFinite(number) || Math.Abs(number) > 1e15)
        {
            return null;
        }
        if ((field.Min is { } min && number < min) || (field.Max is { } max && number > max))
        {
            return null;
        }
        if (field.Integer)
        {
            return number == Math.Floor(number) ? (long)number : null;
        }
        return number;
    }

    private static string Expected(FieldDefinition field) => field.Type switch
    {
        FieldType.Number when field.Min is not null && field.Max is not null =>
            string.Create(CultureInfo.InvariantCulture, $"a {(field.Integer ? "whole " : "")}number from {field.Min} to {field.Max}"),
        FieldType.Number => field.Integer ? "a whole number" : "a number",
        FieldType.Minutes when field.Max is not null =>
            string.Create(CultureInfo.InvariantCulture, $"a whole number of minutes from 0 to {field.Max}"),
        FieldType.Minutes => "a whole number of minutes",
        FieldType.Database => "the id of a row",
        FieldType.Date => "a date YYYY-MM-DD",
        FieldType.Time => "a time HH:MM",
        FieldType.Checkbox => "true or false",
        FieldType.Dropdown => "one of " + string.Join(", ", field.Options!),
        FieldType.Array => "an array",
        FieldType.Computed => "hours and minutes H:MM",
        _ => "text",
    };
}
