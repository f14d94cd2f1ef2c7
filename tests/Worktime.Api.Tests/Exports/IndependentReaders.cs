using System.Text.Json;
using Worktime.Api.Tests.ApiReference;

namespace Worktime.Api.Tests.Exports;

/// <summary>
/// Reads what the exports write with programs that share no code with the server (docs/exports.md, "How it is
/// tested"): Debian's Python 3 with openpyxl (XLSX), icalendar (ICS) and its csv module, and poppler's pdftotext.
/// scripts/test installs them when missing; a missing reader fails the test, it never skips.
/// </summary>
public static class IndependentReaders
{
    /// <summary>Debian's Python (the one on PATH may be another without these modules).</summary>
    public const string Python = "/usr/bin/python3";

    /// <summary>
    /// An XLSX workbook's first sheet: title, frozen cell, autofilter and every row, each cell typed by how openpyxl
    /// reads it: numbers as JSON numbers, dates as <c>"date:YYYY-MM-DD"</c>, times as <c>"time:HH:MM"</c>, text as text.
    /// </summary>
    public static Task<JsonElement> XlsxAsync(byte[] file) => RunPythonAsync(file, "xlsx", """
        import sys, json, datetime, openpyxl
        wb = openpyxl.load_workbook(sys.argv[1])
        ws = wb.worksheets[0]
        def cell(c):
            v = c.value
            if isinstance(v, datetime.datetime):
                return "date:" + v.date().isoformat() if v.time() == datetime.time(0) else "datetime:" + v.isoformat()
            if isinstance(v, datetime.time):
                return "time:" + v.strftime("%H:%M")
            return v
        rows = [[cell(c) for c in row] for row in ws.iter_rows()]
        bold = [c.font.b for c in ws[1]]
        print(json.dumps({"title": ws.title, "freeze": ws.freeze_panes, "filter": ws.auto_filter.ref, "rows": rows,
                          "header_bold": all(bold), "sheets": len(wb.worksheets)}))
        """);

    /// <summary>A CSV file read by Python's csv module: the rows, whether it began with a BOM, and its line ends.</summary>
    public static Task<JsonElement> CsvAsync(byte[] file) => RunPythonAsync(file, "csv", """
        import sys, json, csv
        raw = open(sys.argv[1], "rb").read()
        text = raw.decode("utf-8-sig")
        rows = list(csv.reader(text.splitlines(keepends=True), strict=True))
        print(json.dumps({"bom": raw.startswith(b"\xef\xbb\xbf"), "crlf": raw.count(b"\r\n"), "rows": rows}))
        """);

    /// <summary>
    /// An iCalendar document read by Python's icalendar: the calendar's properties and every event with its UID,
    /// summary, start and end (<c>"date:…"</c> for an all-day value, <c>"datetime:…"</c> with <c>Z</c> only when UTC) and
    /// whether it carries a description.
    /// </summary>
    public static Task<JsonElement> IcsAsync(byte[] file) => RunPythonAsync(file, "ics", """
        import sys, json, datetime, icalendar
        cal = icalendar.Calendar.from_ical(open(sys.argv[1], "rb").read())
        def value(v):
            d = v.dt
            if isinstance(d, datetime.datetime):
                return "datetime:" + d.strftime("%Y-%m-%dT%H:%M:%S") + ("Z" if d.tzinfo is not None else "")
            return "date:" + d.isoformat()
        events = []
        for e in cal.walk("VEVENT"):
            events.append({"uid": str(e.get("UID")), "summary": str(e.get("SUMMARY")), "start": value(e.get("DTSTART")),
                           "end": value(e.get("DTEND")), "stamp": value(e.get("DTSTAMP")), "description": "DESCRIPTION" in e,
                           "transp": str(e.get("TRANSP", ""))})
        print(json.dumps({"version": str(cal.get("VERSION")), "prodid": str(cal.get("PRODID")),
                          "name": str(cal.get("X-WR-CALNAME", "")), "events": events}))
        """);

    /// <summary>The text of a PDF as pdftotext lays it out (<c>-layout</c>), page by page separated by form feeds.</summary>
    public static async Task<string> PdfTextAsync(byte[] file)
    {
        var dir = Directory.CreateTempSubdirectory("worktime-pdf");
        try
        {
            var path = Path.Combine(dir.FullName, "file.pdf");
            await File.WriteAllBytesAsync(path, file);
            var result = await ExternalTools.RunAsync(ExternalTools.Require("/usr/bin/pdftotext"), ["-layout", "-enc", "UTF-8", path, "-"], dir.FullName);
            result.ShouldSucceed("pdftotext");
            return result.Output;
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>The fonts of a PDF as poppler's pdffonts lists them (name, type, embedded).</summary>
    public static async Task<string> PdfFontsAsync(byte[] file)
    {
        var dir = Directory.CreateTempSubdirectory("worktime-pdf");
        try
        {
            var path = Path.Combine(dir.FullName, "file.pdf");
            await File.WriteAllBytesAsync(path, file);
            var result = await ExternalTools.RunAsync(ExternalTools.Require("/usr/bin/pdffonts"), [path], dir.FullName);
            result.ShouldSucceed("pdffonts");
            return result.Output;
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>Runs <paramref name="script"/> with the file's path as its argument and parses what it prints as JSON.</summary>
    public static async Task<JsonElement> RunPythonAsync(byte[] file, string extension, string script)
    {
        var dir = Directory.CreateTempSubdirectory("worktime-read");
        try
        {
            var path = Path.Combine(dir.FullName, "file." + extension);
            await File.WriteAllBytesAsync(path, file);
            var result = await ExternalTools.RunAsync(ExternalTools.Require(Python), ["-c", script, path], dir.FullName);
            result.ShouldSucceed($"{Python} reading the {extension}");
            return JsonDocument.Parse(result.Output).RootElement.Clone();
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
