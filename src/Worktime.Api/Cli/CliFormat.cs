using System.Globalization;
using System.Text;
using Worktime.Api.Accounts;
using Worktime.Api.Http;

namespace Worktime.Api.Cli;

/// <summary>How the CLI prints: times, values that may carry hostile text, and account errors as one line.</summary>
internal static class CliFormat
{
    public static string Time(long? unixSeconds) => unixSeconds is { } s
        ? DateTimeOffset.FromUnixTimeSeconds(s).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)
        : "-";

    /// <summary>
    /// Makes stored text safe for one field of one terminal line: control characters (C0, DEL, C1), format
    /// characters (bidi embeddings, overrides and isolates, zero-width), line and paragraph separators become
    /// <c>\u{XXXX}</c>, and a backslash becomes <c>\\</c>, so an escape in the output is never ambiguous; runs of
    /// spaces are escaped too, because two spaces separate the fields.
    /// </summary>
    public static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length);
        var previousSpace = false;
        foreach (var rune in text.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            var space = rune.Value == ' ';
            if (rune.Value == '\\')
            {
                escaped.Append(@"\\");
            }
            else if (category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator
                         or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate
                     || (category == UnicodeCategory.SpaceSeparator && !space) || (space && previousSpace))
            {
                escaped.Append(CultureInfo.InvariantCulture, $"\\u{{{rune.Value:X4}}}");
            }
            else
            {
                escaped.Append(rune.ToString());
            }
            previousSpace = space;
        }
        return escaped.ToString();
    }

    /// <summary>The value, or the error's message as one line on stderr and exit 1 (via <see cref="CliUserException"/>).</summary>
    public static T OrFail<T>(Outcome<T> outcome) =>
        outcome.Error is { } error ? throw new CliUserException(error.Description) : outcome.Value!;

    public static void OrFail(ApiError? error)
    {
        if (error is not null)
        {
            throw new CliUserException(error.Description);
        }
    }
}
