using System.Globalization;
using System.Text;

namespace Worktime.Api.Exports;

/// <summary>
/// CSV as RFC 4180 writes it: comma-separated, CRLF line ends, a field quoted (quotes doubled) when it holds a comma,
/// a quote, CR or LF; UTF-8, with a byte order mark when asked (so Excel recognises UTF-8 on a double click). A text
/// cell starting with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, a tab or CR gets a leading <c>'</c> (OWASP, "CSV
/// Injection"): a spreadsheet shows the text instead of running it as a formula. Numbers the server formats itself
/// are written as they are. Rows are written as they are made: nothing but the current line is held.
/// </summary>
internal sealed class CsvOutput : IAsyncDisposable
{
    private readonly StreamWriter _writer;
    private readonly StringBuilder _line = new(256);
    private readonly char _separator;
    private bool _rowStarted;

    public CsvOutput(Stream stream, bool byteOrderMark, char separator = ',')
    {
        _writer = new StreamWriter(stream, new UTF8Encoding(byteOrderMark), 32 * 1024, leaveOpen: true);
        _separator = separator;
    }

    /// <summary>A text cell (null: empty), neutralised and quoted as needed.</summary>
    public CsvOutput Text(string? value)
    {
        Separate();
        if (string.IsNullOrEmpty(value))
        {
            return this;
        }
        var text = Neutralise(value);
        if (text.AsSpan().IndexOfAny(['"', _separator, '\r', '\n']) < 0)
        {
            _line.Append(text);
            return this;
        }
        _line.Append('"').Append(text.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
        return this;
    }

    public CsvOutput Number(long? value)
    {
        Separate();
        if (value is { } number)
        {
            _line.Append(number.ToString(CultureInfo.InvariantCulture));
        }
        return this;
    }

    /// <summary>A decimal number with a point and at most <paramref name="decimals"/> decimals (<c>7.5</c>, <c>7.33</c>).</summary>
    public CsvOutput Decimal(double? value, int decimals = 2)
    {
        Separate();
        if (value is { } number)
        {
            var text = Math.Round(number, decimals, MidpointRounding.AwayFromZero).ToString("0.##########", CultureInfo.InvariantCulture);
            // A separator that is also the decimal mark would cut the number in two: quote it then (never for ',' + '.').
            _line.Append(text.Contains(_separator, StringComparison.Ordinal) ? $"\"{text}\"" : text);
        }
        return this;
    }

    /// <summary>A value the server formats itself that can never start a formula (a date, a time).</summary>
    public CsvOutput Plain(string? value)
    {
        Separate();
        _line.Append(value);
        return this;
    }

    public async ValueTask EndRowAsync(CancellationToken ct)
    {
        _line.Append("\r\n");
        _rowStarted = false;
        await _writer.WriteAsync(_line, ct);
        _line.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        await _writer.FlushAsync();
        await _writer.DisposeAsync();
    }

    /// <summary>The text a spreadsheet shows for the cell rather than a formula it would run (OWASP, "CSV Injection").</summary>
    public static string Neutralise(string value) =>
        value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;

    private void Separate()
    {
        if (_rowStarted)
        {
            _line.Append(_separator);
        }
        _rowStarted = true;
    }
}
