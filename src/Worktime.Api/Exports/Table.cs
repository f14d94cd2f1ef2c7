using System.Globalization;
using SpreadCheetah;
using SpreadCheetah.Styling;
using SpreadCheetah.Worksheets;

namespace Worktime.Api.Exports;

/// <summary>What a column holds, and so how each format writes it.</summary>
internal enum ColumnKind
{
    /// <summary>An id or a count of minutes: <c>long</c>.</summary>
    Integer,

    /// <summary>Text a person wrote or a name: <c>string</c> (neutralised in CSV).</summary>
    Text,

    /// <summary>A date <c>YYYY-MM-DD</c> (<c>string</c>): a date cell in XLSX.</summary>
    Date,

    /// <summary>A time of day <c>HH:MM</c> (<c>string</c>): a time cell in XLSX.</summary>
    Time,

    /// <summary>Hours as a decimal number (<c>double</c>): 7.5 for 7 h 30 min.</summary>
    Hours,
}

internal sealed record Column(string Name, ColumnKind Kind, double Width = 12);

/// <summary>
/// One table written row by row in one format — the same columns and values whatever the format, so a report or an
/// export is one query with several renderings (docs/exports.md). Rows are written as they come; nothing is held.
/// </summary>
internal abstract class TableWriter : IAsyncDisposable
{
    protected TableWriter(IReadOnlyList<Column> columns)
    {
        Columns = columns;
    }

    public IReadOnlyList<Column> Columns { get; }

    /// <summary>One row, a value per column in the column's type (null: empty).</summary>
    public abstract ValueTask RowAsync(object?[] values, CancellationToken ct);

    /// <summary>A closing row outside the data (a total): bold in a spreadsheet, left out of CSV.</summary>
    public virtual ValueTask FooterAsync(object?[] values, CancellationToken ct) => ValueTask.CompletedTask;

    public abstract ValueTask DisposeAsync();

    public static DateOnly ParseDate(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>CSV (RFC 4180, <see cref="CsvOutput"/>): a header line of the column names, then one line per row.</summary>
internal sealed class CsvTable : TableWriter
{
    private readonly CsvOutput _csv;

    private CsvTable(IReadOnlyList<Column> columns, Stream stream, bool byteOrderMark)
        : base(columns)
    {
        _csv = new CsvOutput(stream, byteOrderMark);
    }

    public static async Task<CsvTable> StartAsync(Stream stream, IReadOnlyList<Column> columns, bool byteOrderMark, CancellationToken ct)
    {
        var table = new CsvTable(columns, stream, byteOrderMark);
        foreach (var column in columns)
        {
            table._csv.Plain(column.Name);
        }
        await table._csv.EndRowAsync(ct);
        return table;
    }

    public override async ValueTask RowAsync(object?[] values, CancellationToken ct)
    {
        for (var i = 0; i < Columns.Count; i++)
        {
            var value = values[i];
            _ = Columns[i].Kind switch
            {
                ColumnKind.Integer => _csv.Number((long?)value),
                ColumnKind.Hours => _csv.Decimal((double?)value),
                ColumnKind.Date or ColumnKind.Time => _csv.Plain((string?)value),
                _ => _csv.Text((string?)value),
            };
        }
        await _csv.EndRowAsync(ct);
    }

    public override ValueTask DisposeAsync() => _csv.DisposeAsync();
}

/// <summary>
/// XLSX through SpreadCheetah, streamed: numbers as numbers, dates as date cells, times as time cells, hours as
/// numbers with two decimals shown; the header row bold and frozen, an autofilter over the columns.
/// </summary>
internal sealed class XlsxTable : TableWriter
{
    private readonly Spreadsheet _sheet;
    private readonly AsyncOnlyStream _output;
    private readonly StyleId _date;
    private readonly StyleId _time;
    private readonly StyleId _hours;
    private readonly StyleId _bold;
    private readonly StyleId _boldHours;
    private readonly Cell[] _cells;

    private XlsxTable(IReadOnlyList<Column> columns, Spreadsheet sheet, AsyncOnlyStream output)
        : base(columns)
    {
        _sheet = sheet;
        _output = output;
        _date = sheet.AddStyle(new Style { Format = NumberFormat.Custom("yyyy-mm-dd") });
        _time = sheet.AddStyle(new Style { Format = NumberFormat.Custom("hh:mm") });
        _hours = sheet.AddStyle(new Style { Format = NumberFormat.Custom("0.00") });
        _bold = sheet.AddStyle(new Style { Font = { Bold = true } });
        _boldHours = sheet.AddStyle(new Style { Font = { Bold = true }, Format = NumberFormat.Custom("0.00") });
        _cells = new Cell[columns.Count];
    }

    /// <param name="rows">The number of data rows when known (the autofilter then covers exactly them); null: to the sheet's end.</param>
    public static async Task<XlsxTable> StartAsync(Stream stream, string sheetName, IReadOnlyList<Column> columns, int? rows, CancellationToken ct)
    {
        var output = new AsyncOnlyStream(stream);
        var sheet = await Spreadsheet.CreateNewAsync(output, new SpreadCheetahOptions { BufferSize = 64 * 1024 }, ct);
        var lastColumn = ColumnLetters(columns.Count);
        var options = new WorksheetOptions
        {
            FrozenRows = 1,
            AutoFilter = new AutoFilterOptions($"A1:{lastColumn}{(rows is { } n ? Math.Max(n + 1, 2) : 1048576).ToString(CultureInfo.InvariantCulture)}"),
        };
        for (var i = 0; i < columns.Count; i++)
        {
            options.Column(i + 1).Width = columns[i].Width;
        }
        await sheet.StartWorksheetAsync(sheetName, options, ct);
        var table = new XlsxTable(columns, sheet, output);
        var header = new Cell[columns.Count];
        for (var i = 0; i < columns.Count; i++)
        {
            header[i] = new Cell(columns[i].Name, table._bold);
        }
        await sheet.AddRowAsync(header, ct);
        return table;
    }

    public override ValueTask RowAsync(object?[] values, CancellationToken ct) => AddAsync(values, bold: false, ct);

    public override ValueTask FooterAsync(object?[] values, CancellationToken ct) => AddAsync(values, bold: true, ct);

    public override async ValueTask DisposeAsync()
    {
        await _sheet.FinishAsync();
        await _sheet.DisposeAsync();
        await _output.DrainAsync(CancellationToken.None);
        await _output.DisposeAsync();
    }

    private ValueTask AddAsync(object?[] values, bool bold, CancellationToken ct)
    {
        for (var i = 0; i < Columns.Count; i++)
        {
            var value = values[i];
            _cells[i] = (Columns[i].Kind, value) switch
            {
                (_, null) => new Cell((string?)null),
                (ColumnKind.Hours, double hours) => new Cell(hours, bold ? _boldHours : _hours),
                (ColumnKind.Date, string date) => new Cell(ParseDate(date).ToDateTime(TimeOnly.MinValue), _date),
                (ColumnKind.Time, string time) => new Cell(TimeOnly.ParseExact(time, "HH:mm", CultureInfo.InvariantCulture).ToTimeSpan().TotalDays, _time),
                (_, long number) => new Cell(number, bold ? _bold : null),
                (_, double number) => new Cell(number, bold ? _bold : null),
                (_, var other) => new Cell(Convert.ToString(other, CultureInfo.InvariantCulture), bold ? _bold : null),
            };
        }
        return _sheet.AddRowAsync(_cells, ct);
    }

    /// <summary>The letters of column <paramref name="number"/> (1 = A, 27 = AA).</summary>
    public static string ColumnLetters(int number)
    {
        var letters = "";
        for (var n = number; n > 0; n = (n - 1) / 26)
        {
            letters = (char)('A' + ((n - 1) % 26)) + letters;
        }
        return letters;
    }
}
