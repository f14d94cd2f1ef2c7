using System.Globalization;
using System.Text;

namespace Worktime.Api.Accounts;

/// <summary>
/// The PRECIS UsernameCaseMapped profile (RFC 8265 §3.3, on the IdentifierClass of RFC 8264 §4.2), so that two
/// names a person reads as the same are one login name. The rules, in the order of RFC 8265 §3.3.3:
/// <list type="number">
/// <item>Width mapping: NFKC (RFC 8265 §3.3.1 asks only for the fullwidth/halfwidth decompositions; NFKC maps every
/// compatibility character, e.g. the ligature <c>ﬁ</c> to <c>fi</c>, where IdentifierClass would refuse it as
/// HasCompat, RFC 8264 §9.17 — more lenient, never less safe, written down in docs/auth.md).</item>
/// <item>Case mapping: Unicode full default case folding (RFC 8264 §5.2.3, Unicode CaseFolding.txt, status C+F).
/// .NET has no case-fold API and <see cref="string.ToLowerInvariant"/> is the simple lowercase mapping, so
/// <see cref="Fold"/> adds what folding does beyond it (see there).</item>
/// <item>Normalisation: NFKC again, which includes the NFC that RFC 8265 requires.</item>
/// <item>Refused code points: IdentifierClass (RFC 8264 §4.2) allows letters, marks, decimal digits and printable
/// ASCII; controls, format characters (zero-width, bidi overrides), private use, unassigned code points, symbols,
/// non-ASCII punctuation and other spaces are refused. One ASCII space may separate parts of a name
/// (the "userparts" of RFC 8265 §3.5); leading and trailing whitespace is trimmed first.</item>
/// </list>
/// Not applied: the Bidi Rule of RFC 5893 (RFC 8265 §3.3.3 rule 5); bidi <em>controls</em> are refused above.
/// </summary>
internal static class UsernameProfile
{
    /// <summary>The comparison key of a name, or null when the name is refused (with the reason).</summary>
    public static string? Enforce(string input, out string? problem)
    {
        problem = null;
        if (!IsWellFormed(input))
        {
            problem = "is not valid Unicode text";
            return null;
        }
        var key = input.Trim(); // surrounding whitespace (tabs and newlines included) is input noise, not part of a name
        // Each round is NFKC, fold, NFKC; a second round catches the rare foldings whose NFKC folds again.
        for (var round = 0; round < 3; round++)
        {
            var next = Round(key);
            if (next == key)
            {
                break;
            }
            key = next;
        }
        key = key.Trim(' '); // NFKC turns other spaces (U+00A0, U+3000) into U+0020
        problem = Refusal(key);
        return problem is null ? key : null;
    }

    /// <summary>What the user typed, kept for display: trimmed and NFC (composed), not folded.</summary>
    public static string Display(string input) => input.Trim().Normalize(NormalizationForm.FormC);

    private static string Round(string text) =>
        Fold(text.Normalize(NormalizationForm.FormKC).Normalize(NormalizationForm.FormD)).Normalize(NormalizationForm.FormKC);

    /// <summary>
    /// Full default case folding on decomposed (NFD) text. On NFD text the CaseFolding.txt "F" entries that expand a
    /// precomposed letter (<c>ǰ</c>, <c>ΐ</c>, the Greek letters with ypogegrammeni such as <c>ᾳ</c> → <c>αι</c>)
    /// become per-code-point mappings; the rest of the difference to the simple lowercase mapping is listed here.
    /// </summary>
    private static string Fold(string decomposed)
    {
        var folded = new StringBuilder(decomposed.Length);
        foreach (var rune in decomposed.EnumerateRunes())
        {
            switch (rune.Value)
            {
                case 0x00DF or 0x1E9E: // ß, ẞ → ss (CaseFolding.txt F)
                    folded.Append("ss");
                    continue;
                case 0x0130: // İ → i + U+0307 (F); ToLowerInvariant leaves it unchanged
                    folded.Append("i\u0307");
                    continue;
                case 0x0345: // combining ypogegrammeni → ι (C)
                case 0x1FBE:
                    folded.Append('\u03B9');
                    continue;
                case 0x03C2: // final sigma ς → σ (C)
                    folded.Append('\u03C3');
                    continue;
            }
            var lower = Rune.ToLowerInvariant(rune).Value;
            lower = lower switch
            {
                // Cherokee folds to upper case (Unicode 8.0 stability): ꭰ..ꮿ → Ꭰ..Ꮿ, ᏸ..ᏽ → Ᏸ..Ᏽ.
                >= 0xAB70 and <= 0xABBF => lower - 0xAB70 + 0x13A0,
                >= 0x13F8 and <= 0x13FD => lower - 8,
                // Cyrillic small letter variants ᲀ..ᲈ fold to their ordinary letters (C).
                0x1C80 => 0x0432, 0x1C81 => 0x0434, 0x1C82 => 0x043E, 0x1C83 => 0x0441, 0x1C84 or 0x1C85 => 0x0442,
                0x1C86 => 0x044A, 0x1C87 => 0x0463, 0x1C88 => 0xA64B,
                _ => lower,
            };
            folded.Append(char.ConvertFromUtf32(lower));
        }
        return folded.ToString();
    }

    private static string? Refusal(string key)
    {
        if (key.Length == 0)
        {
            return "must not be empty or only spaces";
        }
        if (key.Contains("  ", StringComparison.Ordinal))
        {
            return "must not contain two spaces in a row";
        }
        foreach (var rune in key.EnumerateRunes())
        {
            if (rune.Value is >= 0x20 and <= 0x7E)
            {
                continue; // printable ASCII, RFC 8264 §9.11 (ASCII7)
            }
            var category = Rune.GetUnicodeCategory(rune);
            switch (category)
            {
                case UnicodeCategory.LowercaseLetter or UnicodeCategory.UppercaseLetter or UnicodeCategory.OtherLetter
                    or UnicodeCategory.ModifierLetter or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark
                    or UnicodeCategory.DecimalDigitNumber:
                    continue; // LetterDigits, RFC 8264 §9.1
                case UnicodeCategory.Control:
                    return "must not contain control characters";
                case UnicodeCategory.Format:
                    return "must not contain invisible format characters (zero-width, bidi controls)";
                case UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator:
                    return "must not contain line breaks or special spaces";
                default:
                    return $"must not contain U+{rune.Value.ToString("X4", CultureInfo.InvariantCulture)} (only letters, digits and printable ASCII)";
            }
        }
        return null;
    }

    private static bool IsWellFormed(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return false;
            }
        }
        return true;
    }
}
