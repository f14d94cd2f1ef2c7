using System.Globalization;
using Worktime.Api.Data;
using Worktime.Api.Forms.Definitions;
using Worktime.Api.Forms.Query;
using Worktime.Api.Forms.Storage;

namespace Worktime.Api.Forms;

/// <summary>
/// Which rows of one form to read beyond a findAll page: made by <see cref="FormRows.Query"/> (findAll parameters as a
/// caller: the partner predicate and the caller's read scope included, exactly as <c>GET /&lt;forms&gt;</c>) or
/// <see cref="FormRows.PartnerQuery"/> (every live row of a partner, for a feature that decides itself who may see
/// its result), then narrowed with typed conditions on field names. Identifiers come from the definition; every
/// value is bound. A condition naming a field the form does not store is a bug and throws.
/// Read with <see cref="FormRows.ListAsync"/>, <see cref="FormRows.StreamAsync"/>, <see cref="FormRows.SumAsync"/>
/// or <see cref="FormRows.CountPerMonthAsync"/>; all of them read every matching row (findAll's <c>limit</c> and
/// <c>offset</c> are for pages, <see cref="FormRows.FindAllAsync"/>).
/// </summary>
internal sealed class FormQuery
{
    private readonly DbDialect _dialect;
    private readonly List<string> _conditions = [];
    private readonly FindAllQuery? _compiled;
    private string? _status = StoredRow.Normal;
    private string? _orderBy;

    /// <summary>The bound partner of a partner query (a caller's findAll has its own in its WHERE).</summary>
    private readonly string? _partner;

    /// <summary>Rows named by id: read by primary key (docs/forms.md, "Query plans"), so no partner index competes.</summary>
    private bool _byId;

    /// <summary>Long SQLite reference lists (<see cref="LongReferenceList"/>): the column and the bound JSON array.</summary>
    private readonly List<(string Column, string Json)> _longLists = [];

    /// <summary>A caller's findAll, compiled (its WHERE already holds partner, status and read scope).</summary>
    internal FormQuery(FindAllQuery compiled, long partnerId, DbDialect dialect)
    {
        Form = compiled.Form;
        PartnerId = partnerId;
        _compiled = compiled;
        _dialect = dialect;
        Args = compiled.Args;
        _status = null;
    }

    /// <summary>Every live row of one partner.</summary>
    internal FormQuery(FormDefinition form, long partnerId, DbDialect dialect)
    {
        Form = form;
        PartnerId = partnerId;
        _dialect = dialect;
        Args = new SqlArgs();
        _partner = Args.Add(partnerId);
    }

    public FormDefinition Form { get; }

    /// <summary>The partner whose rows these are (every query reads one partner's rows only).</summary>
    public long PartnerId { get; }

    internal SqlArgs Args { get; }

    /// <summary>The date range of whole months this query is exactly (beside partner and status), if any: the
    /// per-month counts can answer it.</summary>
    internal WholeMonths? WholeMonths => _compiled is not null && _conditions.Count == 0 ? _compiled.CountFromMonths : null;

    /// <summary>Rows whose <paramref name="field"/> (or <c>id</c>) equals <paramref name="value"/>.</summary>
    public FormQuery Is(string field, object value)
    {
        _conditions.Add(Narrowing(field, $"{Column(field)} = {Args.Add(Bindable(value))}"));
        return this;
    }

    /// <summary>Rows whose <paramref name="field"/> differs from <paramref name="value"/> or has none.</summary>
    public FormQuery IsNot(string field, object value)
    {
        var column = Column(field);
        _conditions.Add($"({column} IS NULL OR {column} <> {Args.Add(Bindable(value))})");
        return this;
    }

    /// <summary>Rows whose <paramref name="field"/> (or <c>id</c>) is one of <paramref name="values"/> (none: no rows).</summary>
    public FormQuery In(string field, IEnumerable<long> values)
    {
        var list = values.Distinct().Cast<object>().ToList();
        if (list.Count > SqlArgs.ShortList && _dialect == DbDialect.Sqlite && _partner is not null && field != "id"
            && Form.Field(field)?.Type == FieldType.Database)
        {
            LongReferenceList(field, list);
            return this;
        }
        _conditions.Add(list.Count == 0 ? "1 = 0" : Narrowing(field, $"{Column(field)} {Args.In(_dialect, list)}"));
        return this;
    }

    /// <summary>
    /// SQLite, a reference among many values (every user of a partner, for time accounting): the list leads, each
    /// value looked up in the reference's index, and the rows found are read by primary key. SQLite costs a
    /// <c>json_each</c> list at 25 values whatever its length, and without statistics then preferred walking the
    /// partner's rows; <c>CROSS JOIN</c> fixes the order of the two tables (https://www.sqlite.org/optoverview.html#crossjoin).
    /// </summary>
    private void LongReferenceList(string field, List<object> list)
    {
        _byId = true;
        _longLists.Add((Column(field), Args.Add(System.Text.Json.JsonSerializer.Serialize(list))));
    }

    /// <summary>
    /// The sub-select of <see cref="LongReferenceList"/>, made at compile time: it carries the row status too, so
    /// an index partial on <c>row_status = 'normal'</c> serves it.
    /// </summary>
    private string LongListCondition(string column, string json) =>
        $"{Sql.Id("id")} IN (SELECT t.{Sql.Id("id")} FROM json_each({json}) AS j CROSS JOIN {Sql.Id(Form.Table)} AS t"
        + $" WHERE t.{Sql.Id("partner_id")} = {_partner} AND t.{column} = j.value"
        + (_status is null ? "" : $" AND t.{Sql.Id("row_status")} = '{_status}'") + ")";

    /// <summary>
    /// A condition on ids or a reference as the way in, whatever the statistics (docs/forms.md, "Query plans"): ids
    /// by primary key (the partner and status then as expressions no index serves), a reference by its own index
    /// (<see cref="DbDialectExtensions.Selective"/>), so a partner index never walks every row of the partner to
    /// find the few named.
    /// </summary>
    private string Narrowing(string field, string condition)
    {
        if (field == "id")
        {
            _byId = _compiled is null;
            return condition;
        }
        return Form.Field(field)?.Type == FieldType.Database ? _dialect.Selective(condition) : condition;
    }

    /// <summary>Rows whose <paramref name="field"/> has a value.</summary>
    public FormQuery IsSet(string field)
    {
        _conditions.Add($"{Column(field)} IS NOT NULL");
        return this;
    }

    /// <summary>Rows dated from <paramref name="from"/> to <paramref name="to"/>, both included.</summary>
    public FormQuery Between(string dateField, DateOnly from, DateOnly to) => OnOrAfter(dateField, from).OnOrBefore(dateField, to);

    public FormQuery OnOrAfter(string dateField, DateOnly date)
    {
        _conditions.Add($"{Column(dateField)} >= {Args.Add(Text(date))}");
        return this;
    }

    public FormQuery OnOrBefore(string dateField, DateOnly date)
    {
        _conditions.Add($"{Column(dateField)} <= {Args.Add(Text(date))}");
        return this;
    }

    /// <summary>
    /// Rows whose span [<paramref name="startField"/>, <paramref name="endField"/>] meets [from, to]; a row without an
    /// end lasts its start day (an absence of one day).
    /// </summary>
    public FormQuery Overlapping(string startField, string endField, DateOnly from, DateOnly to)
    {
        // The last condition follows from the second; it is there for the planners (docs/forms.md, "Query plans"):
        // the rows starting in the period by the start index, those still running at its start by the end index
        // (migration 014). Without it only "start <= to" bounded an index, and every earlier row of the partner
        // was read to find the few still running.
        var (start, end) = (Column(startField), Column(endField));
        var (fromText, toText) = (Args.Add(Text(from)), Args.Add(Text(to)));
        _conditions.Add($"{start} <= {toText} AND COALESCE({end}, {start}) >= {fromText} AND ({start} >= {fromText} OR {end} >= {fromText})");
        return this;
    }

    /// <summary>
    /// Rows whose status, as it reads without the period locks that cover them (docs/forms.md, "Period locks": the
    /// status a covered row had, kept beside its <c>locked</c>), is one of <paramref name="values"/>. Only for a form
    /// that locks close; what a row was decided as before its period closed still counts.
    /// </summary>
    public FormQuery StatusBeforeLocksIn(IEnumerable<string> values)
    {
        var rule = Form.PeriodLock ?? throw new InvalidOperationException($"Period locks do not close {Form.Name} rows.");
        var list = values.Distinct().Cast<object>().ToList();
        _conditions.Add(list.Count == 0 ? "1 = 0"
            : $"COALESCE({Sql.Id(PeriodLockRule.SavedStatusColumn)}, {Column(rule.StatusField)}) {Args.In(_dialect, list)}");
        return this;
    }

    /// <summary>Removed rows too (a partner query reads live rows unless told so): history keeps what it pointed at.</summary>
    public FormQuery AnyStatus()
    {
        if (_compiled is not null)
        {
            throw new InvalidOperationException("A caller's query takes its status from row_info.status.");
        }
        _status = null;
        return this;
    }

    /// <summary>Sorted by <paramref name="field"/> (nulls last ascending, first descending), then by id.</summary>
    public FormQuery OrderBy(string field, bool descending = false)
    {
        var direction = descending ? " DESC NULLS FIRST" : " ASC NULLS LAST";
        _orderBy = field == "id" ? Sql.Id("id") + (descending ? " DESC" : " ASC") : Column(field) + direction + ", " + Sql.Id("id") + (descending ? " DESC" : " ASC");
        return this;
    }

    /// <summary>The WHERE, ORDER BY and bound values, as the reader takes them; paging only from a caller's findAll.</summary>
    internal FindAllQuery Compile()
    {
        var where = new List<string>();
        var byId = _byId;
        if (_compiled is not null)
        {
            where.Add(_compiled.Where);
        }
        if (_partner is not null)
        {
            where.Add(byId ? Sql.PartnerOfRowsById(_partner) : $"{Sql.Id("partner_id")} = {_partner}");
        }
        if (_status is not null)
        {
            // A constant of the engine, not input: written inline, so compiling twice binds nothing twice.
            where.Add($"{(byId ? Sql.StatusOfRowsById() : Sql.Id("row_status"))} = '{_status}'");
        }
        where.AddRange(_conditions);
        where.AddRange(_longLists.Select(l => LongListCondition(l.Column, l.Json)));
        return new FindAllQuery(Form, string.Join(" AND ", where), Args, _orderBy ?? _compiled?.OrderBy ?? DefaultOrder,
            _compiled?.Limit ?? int.MaxValue, _compiled?.Offset ?? 0, SideloadPlan.None, WholeMonths);
    }

    /// <summary>
    /// A partner query's rows in id order. PostgreSQL sorts them after reading (<c>"id" + 0</c>): without
    /// statistics its planner otherwise walked the partner's <c>(partner_id, row_status, id)</c> index — every row
    /// of the partner — to save sorting the few a reference or a date range keeps, and after ANALYZE it walked the
    /// primary key of the whole table for the same reason (docs/forms.md, "Query plans"). SQLite keeps its plan.
    /// </summary>
    private string DefaultOrder => _dialect == DbDialect.Postgres ? Sql.Id("id") + " + 0 ASC" : Sql.Id("id") + " ASC";

    /// <summary>The quoted column of a stored field (or <c>id</c>).</summary>
    internal string Column(string field)
    {
        if (field == "id")
        {
            return Sql.Id("id");
        }
        return Form.Field(field) is { Column: { } column }
            ? Sql.Id(column)
            : throw new InvalidOperationException($"{Form.Name} stores no field {field}.");
    }

    private static object Bindable(object value) => value switch
    {
        bool flag => flag ? 1L : 0L,
        int number => (long)number,
        DateOnly date => Text(date),
        _ => value,
    };

    private static string Text(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
