using PdfSharp.Fonts;

namespace Worktime.Api.Exports;

/// <summary>
/// The only fonts a payroll PDF uses: DejaVu Sans and DejaVu Sans Bold, compiled into the server
/// (<c>Exports/Fonts/</c>, Bitstream Vera licence, which allows embedding and redistribution). PDFsharp embeds the
/// glyphs used in each document, so Ä, Ö, Å and every other character print the same on any machine, with nothing
/// read from the host's fonts.
/// </summary>
internal sealed class PdfFonts : IFontResolver
{
    public const string Family = "DejaVu Sans";
    private const string Regular = "DejaVuSans";
    private const string Bold = "DejaVuSans-Bold";

    private static readonly Lazy<bool> Installed = new(() =>
    {
        // PDFsharp's resolver is process-wide and may be set once; every app in the process shares these fonts.
        GlobalFontSettings.FontResolver ??= new PdfFonts();
        return true;
    }, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Installs the resolver before the first document is drawn.</summary>
    public static void EnsureInstalled() => _ = Installed.Value;

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
        new(bold ? Bold : Regular, false, italic);

    public byte[]? GetFont(string faceName)
    {
        using var stream = typeof(PdfFonts).Assembly.GetManifestResourceStream($"fonts/{faceName}.ttf")
            ?? throw new InvalidOperationException($"The font {faceName} is not compiled into the server.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
