using System.Globalization;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Worktime.Api.Exports;

/// <summary>
/// The payroll month as a PDF (docs/exports.md, "Payroll"): per person a page with their name, the period, each
/// day's expected, worked, absence and correction minutes with the day's and the running balance, the absences by
/// type, the corrections, the balances before and after the month, and signature lines. A4, DejaVu Sans embedded
/// (<see cref="PdfFonts"/>). Minutes print as <c>h:mm</c> (negative with a leading <c>-</c>).
/// </summary>
internal static class PayrollPdf
{
    private const double Left = 40;
    private const double Right = 555;
    private const double Top = 40;
    private const double Bottom = 800;
    private const double RowHeight = 12.5;

    // Right edges of the number columns of the day table; the note column starts after the last.
    private static readonly (string Title, double RightEdge)[] NumberColumns =
    [
        ("Expected", 180), ("Worked", 225), ("Absence", 270), ("Unpaid", 315), ("Correction", 365), ("Balance", 410), ("Running", 458),
    ];

    private const double NoteLeft = 466;

    /// <summary>Writes the document to <paramref name="body"/>: drawn and saved in memory (a month is a few kilobytes a person), then copied to the response.</summary>
    public static async Task WriteAsync(IReadOnlyList<PayrollPerson> people, DateOnly month, Stream body, CancellationToken ct)
    {
        PdfFonts.EnsureInstalled();
        using var buffer = new MemoryStream();
        using (var document = new PdfDocument())
        {
            document.Info.Title = $"Payroll {Month(month)}";
            document.Info.Creator = "Worktime";
            foreach (var person in people)
            {
                new PersonPages(document, person, month).Draw();
            }
            if (people.Count == 0)
            {
                var page = new PersonPages(document, null, month);
                page.Draw();
            }
            await document.SaveAsync(buffer, false);
        }
        buffer.Position = 0;
        await buffer.CopyToAsync(body, ct);
    }

    public static string Minutes(long minutes)
    {
        var sign = minutes < 0 ? "-" : "";
        var abs = Math.Abs(minutes);
        return string.Create(CultureInfo.InvariantCulture, $"{sign}{abs / 60}:{abs % 60:00}");
    }

    private static string Month(DateOnly month) => month.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>One person's pages: a cursor down the page that starts a new page when the next block does not fit.</summary>
    private sealed class PersonPages(PdfDocument document, PayrollPerson? person, DateOnly month)
    {
        private static readonly XFont Title = Font(14, XFontStyleEx.Bold);
        private static readonly XFont Text = Font(8.5, XFontStyleEx.Regular);
        private static readonly XFont Strong = Font(8.5, XFontStyleEx.Bold);
        private static readonly XFont Small = Font(7, XFontStyleEx.Regular);
        private static readonly XPen Rule = new(XColors.Gray, 0.5);

        private XGraphics? _g;
        private double _y;

        private XGraphics G => _g!;

        public void Draw()
        {
            NewPage(continued: false);
            if (person is null)
            {
                Line("Nobody to list.", Text);
                _g?.Dispose();
                return;
            }
            DayTable(person);
            Absences(person);
            Corrections(person);
            Balances(person);
            Signatures();
            _g?.Dispose();
        }

        private void NewPage(bool continued)
        {
            _g?.Dispose();
            var page = document.AddPage();
            page.Size = PdfSharp.PageSize.A4;
            _g = XGraphics.FromPdfPage(page);
            _y = Top;
            var first = new DateOnly(month.Year, month.Month, 1);
            var last = new DateOnly(month.Year, month.Month, DateTime.DaysInMonth(month.Year, month.Month));
            G.DrawString($"Payroll {Month(month)}{(continued ? " (continued)" : "")}", Title, XBrushes.Black, Left, _y + 14);
            _y += 24;
            if (person is not null)
            {
                Line($"Name: {person.Name}", Strong);
                var employee = person.EmployeeNumber is { Length: > 0 } number ? $"Employee number: {number}    " : "";
                Line($"{employee}User id: {person.Id.ToString(CultureInfo.InvariantCulture)}    Username: {person.Username}", Text);
            }
            Line($"Period: {Date(first)} – {Date(last)}", Text);
            if (person is not null)
            {
                Line($"Balance counted from: {Date(person.SaldoStart)}", Text);
            }
            _y += 6;
        }

        private void Fit(double height)
        {
            if (_y + height > Bottom)
            {
                NewPage(continued: true);
            }
        }

        private void Line(string text, XFont font, double x = Left)
        {
            G.DrawString(text, font, XBrushes.Black, x, _y + 9);
            _y += RowHeight;
        }

        private void DayTable(PayrollPerson p)
        {
            Header();
            var absenceNames = p.AbsenceTotals.Where(t => t.TypeId is not null).ToDictionary(t => t.TypeId!.Value, t => t.Name);
            foreach (var day in p.Days)
            {
                if (_y + RowHeight > Bottom)
                {
                    NewPage(continued: true);
                    Header();
                }
                var notes = new List<string>();
                if (p.Balance.Calendar.Day(day.Date) is { Name: { } holiday })
                {
                    notes.Add(holiday);
                }
                notes.AddRange(p.Balance.AbsenceDays.Where(a => a.Date == day.Date)
                    .Select(a => a.Absence.Type is { } t ? absenceNames.GetValueOrDefault(t, "?") : "(no type)"));
                if (!day.Counted)
                {
                    notes.Add("not counted");
                }
                Row(Date(day.Date), day.Date.ToString("ddd", CultureInfo.InvariantCulture),
                    [day.Expected, day.Worked, day.Absence, day.UnpaidAbsence, day.Correction, day.Balance, day.Running],
                    string.Join(", ", notes), Text);
            }
            G.DrawLine(Rule, Left, _y + 1, Right, _y + 1);
            _y += 2;
            Row("Total", "",
                [p.Days.Sum(d => d.Expected), p.Days.Sum(d => d.Worked), p.Days.Sum(d => d.Absence), p.Days.Sum(d => d.UnpaidAbsence),
                 p.Days.Sum(d => d.Correction), p.MonthBalance, p.ClosingBalance], "", Strong);
            _y += 8;
        }

        private void Header()
        {
            G.DrawString("Date", Strong, XBrushes.Black, Left, _y + 9);
            G.DrawString("Day", Strong, XBrushes.Black, Left + 58, _y + 9);
            foreach (var (title, edge) in NumberColumns)
            {
                G.DrawString(title, Strong, XBrushes.Black, edge, _y + 9, XStringFormats.BaseLineRight);
            }
            G.DrawString("Note", Strong, XBrushes.Black, NoteLeft, _y + 9);
            _y += RowHeight;
            G.DrawLine(Rule, Left, _y - 1, Right, _y - 1);
        }

        private void Row(string date, string weekday, long[] minutes, string note, XFont font)
        {
            G.DrawString(date, font, XBrushes.Black, Left, _y + 9);
            G.DrawString(weekday, font, XBrushes.Black, Left + 58, _y + 9);
            for (var i = 0; i < minutes.Length; i++)
            {
                G.DrawString(Minutes(minutes[i]), font, XBrushes.Black, NumberColumns[i].RightEdge, _y + 9, XStringFormats.BaseLineRight);
            }
            if (note.Length > 0)
            {
                G.DrawString(Fitted(note, Small, Right - NoteLeft), Small, XBrushes.Black, NoteLeft, _y + 9);
            }
            _y += RowHeight;
        }

        private void Absences(PayrollPerson p)
        {
            Fit(RowHeight * (p.AbsenceTotals.Count + 2));
            Line("Absences by type", Strong);
            if (p.AbsenceTotals.Count == 0)
            {
                Line("None", Text, Left + 10);
            }
            foreach (var total in p.AbsenceTotals)
            {
                G.DrawString($"{total.Name} ({(total.Paid ? "paid" : "unpaid")})", Text, XBrushes.Black, Left + 10, _y + 9);
                G.DrawString(Minutes(total.Minutes), Text, XBrushes.Black, 270, _y + 9, XStringFormats.BaseLineRight);
                _y += RowHeight;
            }
            _y += 6;
        }

        private void Corrections(PayrollPerson p)
        {
            Fit(RowHeight * Math.Min(p.Corrections.Count + 2, 6));
            Line("Corrections", Strong);
            if (p.Corrections.Count == 0)
            {
                Line("None", Text, Left + 10);
            }
            foreach (var correction in p.Corrections)
            {
                Fit(RowHeight);
                G.DrawString(Date(correction.Date), Text, XBrushes.Black, Left + 10, _y + 9);
                G.DrawString(Minutes(correction.Minutes), Text, XBrushes.Black, 170, _y + 9, XStringFormats.BaseLineRight);
                G.DrawString(Fitted(correction.Description ?? "", Text, Right - 180), Text, XBrushes.Black, 180, _y + 9);
                _y += RowHeight;
            }
            _y += 6;
        }

        private void Balances(PayrollPerson p)
        {
            Fit(RowHeight * 4);
            Line("Balance", Strong);
            foreach (var (label, minutes) in new[]
            {
                ("Before the month", p.OpeningBalance), ("The month's balance", p.MonthBalance), ("At the end of the month", p.ClosingBalance),
            })
            {
                G.DrawString(label, Text, XBrushes.Black, Left + 10, _y + 9);
                G.DrawString(Minutes(minutes), Text, XBrushes.Black, 270, _y + 9, XStringFormats.BaseLineRight);
                _y += RowHeight;
            }
        }

        private void Signatures()
        {
            Fit(60);
            var y = Math.Max(_y + 30, Bottom - 30);
            foreach (var (x, label) in new[] { (Left, "Employee"), (320.0, "Employer / payroll") })
            {
                G.DrawLine(Rule, x, y, x + 200, y);
                G.DrawString($"{label}: date and signature", Small, XBrushes.Black, x, y + 10);
            }
        }

        /// <summary>A DejaVu Sans font, made only once the resolver is installed.</summary>
        private static XFont Font(double size, XFontStyleEx style)
        {
            PdfFonts.EnsureInstalled();
            // Unicode (Identity-H with a ToUnicode map), not WinAnsi: Ł, Š, € and every other glyph of the font print and copy as text.
            return new XFont(PdfFonts.Family, size, style, new XPdfFontOptions(PdfFontEncoding.Unicode));
        }

        /// <summary>The text cut with an ellipsis to the width it has.</summary>
        private string Fitted(string text, XFont font, double width)
        {
            if (G.MeasureString(text, font).Width <= width)
            {
                return text;
            }
            var cut = text;
            while (cut.Length > 1 && G.MeasureString(cut + "…", font).Width > width)
            {
                cut = cut[..^1];
            }
            return cut + "…";
        }
    }
}
