using System.Globalization;
using Microsoft.Extensions.Primitives;
using Worktime.Api.Auth;
using Worktime.Api.Data;
using Worktime.Api.Forms.Access;
using Worktime.Api.Forms.Definitions;
using Worktime.Api.Forms.Storage;
using Worktime.Api.Http;

namespace Worktime.Api.Forms.Query;

/// <summary>
/// Compiles findAll parameters (docs/forms.md) into a <see cref="FindAllQuery"/>. The partner predicate and the
/// caller's read scope are added by <see cref="Build"/> whatever the parameters say, so no caller can forget them.
/// Anything not understood is a 400 <c>invalid_filter</c> naming the parameter.
/// </summary>
internal sealed class QueryCompiler(FormDefinition form, CurrentUser caller, FormRegistry registry, DbDialect dialect, DateOnly today)
{
    public const int MaxLimit = 100;

    private readonly List<string> _conditions = [];
    private readonly Dictionary<FieldDefinition, List<string>> _sideload = [];
    private string _rowStatus = StoredRow.Normal;
    private bool _dateFiltered;

    /// <summary>Columns the WHERE already restricts to non-null values (see <see cref="Build"/>'s ORDER BY).</summary>
    private readonly HashSet<string> _nonNull = new(StringComparer.Ordinal) { "id" };
    private bool _idFiltered;

    /// <summary>An id list or a link names the rows: read them by primary key (<see cref="Sql.PartnerOfRowsById"/>).</summary>
    private bool _byId;

    /// <summary>Conditions that keep few of the partner's rows by design: references (<see cref="DbDialectExtensions.Selective"/>).</summary>
    private readonly List<string> _selectiveConditions = [];
    private (string From, string To)? _wholeMonths;
    private int _dateFilters;
    private int _limit = MaxLimit;
    private long _offset;
    private List<(string Column, bool Descending)>? _order;

    public SqlArgs Args { get; } = new();

    public static Outcome<FindAllQuery> Compile(
        FormDefinition form, IEnumerable<KeyValuePair<string, StringValues>> parameters, CurrentUser caller,
        FormRegistry registry, DbDialect dialect, DateOnly today)
    {
        var list = parameters.ToList();
        if (QueryLimits.CheckParameterCount(list.Count) is { } tooMany)
        {
            return tooMany;
        }
        var compiler = new QueryCompiler(form, caller, registry, dialect, today);
        foreach (var (key, values) in list)
        {
            if (compiler.Apply(key, values) is { } error)
            {
                return error;
            }
        }
        return compiler.Build(listing: true);
    }

    /// <summary>True when <paramref name="key"/> is a findAll parameter of this form (not a dependency filter).</summary>
    public bool Understands(string key) =>
        key is "limit" or "offset" or "order" or "sort" or "pid" or "row_info.status" or "id" or "_"
        || key.StartsWith("sideload", StringComparison.Ordinal) || LinkTarget(key) is not null
        || form.Field(key) is { Queryable: true };

    public ApiError? Apply(string key, StringValues values)
    {
        if (!FieldValues.IsSafeText(key) || values.Any(v => v is null || !FieldValues.IsSafeText(v)))
        {
            return ApiError.InvalidFilter("?", "contains characters that are not allowed");
        }
        if (values.Select(v => QueryLimits.CheckValue(key, v!, CommaIsList(key))).FirstOrDefault(e => e is not null) is { } tooLong)
        {
            return tooLong;
        }
        if (key == "sideload" || key.StartsWith("sideload[", StringComparison.Ordinal))
        {
            return values.Select(v => SideloadParser.Add(form, registry, caller, _sideload, key, v!)).FirstOrDefault(e => e is not null);
        }
        if (values.Count != 1)
        {
            return ApiError.InvalidFilter(key, "is given more than once");
        }
        var value = values[0]!;
        switch (key)
        {
            case "limit":
                return Count(key, value, out var limit) ?? Set(() => _limit = (int)Math.Min(limit, MaxLimit));
            case "offset":
                return Count(key, value, out var offset) ?? Set(() => _offset = offset);
            case "order" or "sort":
                return ParseOrder(key, value);
            case "pid":
                return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                    ? pid == caller.PartnerId ? null : ApiError.Forbidden("You can only read your own partner's data.")
                    : ApiError.InvalidFilter(key, "must be a partner id");
            case "row_info.status":
                return value is "normal" or "removed" or "all"
                    ? Set(() => _rowStatus = value)
                    : ApiError.InvalidFilter(key, "must be normal, removed or all");
            case "_": // jQuery's cache buster
                return null;
        }
        if (value.Length == 0)
        {
            return null; // an empty filter (an unselected dropdown in a client) filters nothing
        }
        if (key == "id")
        {
            _idFiltered = true;
            return Use(FilterCompiler.Ids(key, value), ids => MarkById($"{Sql.Id("id")} {Args.In(dialect, ids)}"));
        }
        if (LinkTarget(key) is { } other)
        {
            return Use(FilterCompiler.Ids(key, value), ids => LinkCondition(other, ids));
        }
        if (form.Field(key) is not { Queryable: true } field)
        {
            return ApiError.InvalidFilter(key, key.Contains('[', StringComparison.Ordinal) ? "uses an unknown operator" : "is not a field of this form");
        }
        _dateFiltered |= field.Name == form.DateField;
        if (field.Name == form.DateField)
        {
            _dateFilters++;
            _wholeMonths = WholeMonthsOf(value);
        }
        if (!value.Contains(FilterCompiler.Empty, StringComparison.Ordinal))
        {
            _nonNull.Add(field.Column!); // every alternative is an equality or a range: no NULL row passes
        }
        return Use(FilterCompiler.Field(key, field, value, Args, dialect, caller, today), condition => condition,
            field.Type == FieldType.Database ? _selectiveConditions : _conditions);
    }

    /// <summary>
    /// A parameter named after a field of the form whose reference options these are: a reference narrows this form by
    /// its own reference to that form or by a link (<c>GET /worktime/tasks?project=12</c> → tasks linked to project 12);
    /// any other field of the source is ignored (docs/forms.md).
    /// </summary>
    public ApiError? ApplySourceField(string key, FieldDefinition sourceField, StringValues values)
    {
        if (values.Count != 1 || values[0] is not { } value || !FieldValues.IsSafeText(value))
        {
            return ApiError.InvalidFilter(key, "must be given once");
        }
        if (QueryLimits.CheckValue(key, value, commaIsList: true) is { } tooLong)
        {
            return tooLong;
        }
        if (value.Length == 0 || sourceField.Type != FieldType.Database)
        {
            return null;
        }
        var dependency = registry.Get(sourceField.Target!);
        if (form.Fields.FirstOrDefault(f => f.Type == FieldType.Database && f.Target == dependency.Name) is { } field)
        {
            return Use(FilterCompiler.Field(key, field, value, Args, dialect, caller, today), condition => condition, _selectiveConditions);
        }
        return form.Links.Contains(dependency.Name)
            ? Use(FilterCompiler.Ids(key, value), ids => LinkCondition(dependency, ids))
            : null;
    }

    /// <summary>The query with the partner predicate, row status, read scope and (for date-indexed listings) the current month.</summary>
    public FindAllQuery Build(bool listing, IReadOnlyList<(string Column, bool Descending)>? defaultOrder = null)
    {
        var partner = Args.Add(caller.PartnerId);
        var where = new List<string>();
        var selective = new List<string>(_selectiveConditions);
        var scopeLevel = listing ? form.Access.ReadAllLevel : form.Access.EffectiveOptionsLevel;
        if (caller.UserLevel < scopeLevel)
        {
            // The caller's own rows: few of the partner's.
            if (FormPrivileges.OwnerColumn(form) is { } owner)
            {
                selective.Add(dialect.Selective($"{Sql.Id(owner)} = {Args.Add(caller.UserId)}"));
            }
            else
            {
                where.Add("1 = 0");
            }
        }
        if (listing && form.DateField is { } dateField && !_dateFiltered && !_idFiltered)
        {
            var (from, to) = FilterCompiler.Month(today);
            var column = Sql.Id(form.Field(dateField)!.Column!);
            where.Add($"{column} >= {Args.Add(from)} AND {column} <= {Args.Add(to)}");
            _wholeMonths = (from[..7], to[..7]);
            _dateFilters = 1;
            _nonNull.Add(form.Field(dateField)!.Column!);
        }
        var restricted = caller.UserLevel < scopeLevel;
        where.AddRange(_conditions);
        where.AddRange(LeadingWay(selective, partner));
        // "all" is both statuses: a condition every (partner_id, row_status, ...) index still narrows by.
        var status = _byId ? Sql.StatusOfRowsById() : Sql.Id("row_status");
        where.Insert(0, _rowStatus == "all"
            ? $"{status} IN ({Args.Add(StoredRow.Normal)}, {Args.Add(StoredRow.Removed)})"
            : $"{status} = {Args.Add(_rowStatus)}");
        where.Insert(0, _byId ? Sql.PartnerOfRowsById(partner) : $"{Sql.Id("partner_id")} = {partner}");
        // The per-month counts of a form that keeps them (FormDefinition.MonthCounts); any other condition needs a real count.
        var countFromMonths = form.MonthCounts is not null && _rowStatus != "all" && !restricted
            && _wholeMonths is { } months && _dateFilters == 1 && _conditions.Count + _selectiveConditions.Count == (_dateFiltered ? 1 : 0)
            ? new WholeMonths(_rowStatus, months.From, months.To) : null;
        var order = _order ?? defaultOrder?.ToList()
            ?? (form.DateField is { } d ? [(form.Field(d)!.Column!, false)] : []);
        if (!order.Any(o => o.Column == "id"))
        {
            order.Add(("id", order.Count > 0 && order[0].Descending));
        }
        // Nulls sort last ascending and first descending on both databases (docs/forms.md). Spelled out only
        // where a NULL can reach the ORDER BY: SQLite cannot walk an index for an explicit NULLS clause, and a
        // month listing (its date range excludes NULL) must be served in index order, not sorted.
        var orderBy = string.Join(", ", order.Select(o => Sql.Id(o.Column) + (o.Descending ? " DESC" : " ASC")
            + (_nonNull.Contains(o.Column) ? "" : o.Descending ? " NULLS FIRST" : " NULLS LAST")));
        var sideload = new SideloadPlan(_sideload.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value));
        return new FindAllQuery(form, string.Join(" AND ", where), Args, orderBy, _limit, _offset, sideload, countFromMonths);
    }

    /// <summary>
    /// Selective conditions (a reference, the caller's own rows) as they lead the way in (docs/forms.md, "Query
    /// plans"). Within a date range they are plain conditions: the range's index narrows, or the reference's own
    /// index with the date in it. Without one they name the rows the way a link does, <c>"id" IN (SELECT "id" …
    /// WHERE "partner_id" = @p AND condition)</c>, read by primary key: alone with the partner in that sub-select,
    /// the reference's index is the narrowest way for either planner, with or without statistics, while beside
    /// the row status and the listing's order the partner's <c>(partner_id, row_status, id)</c> index looked as
    /// narrow to both (SQLite: ten rows for any equality; PostgreSQL: 0.5 % for each) and walked all of the
    /// partner's rows.
    /// </summary>
    private List<string> LeadingWay(List<string> selective, string partner)
    {
        if (selective.Count == 0 || _dateFilters > 0)
        {
            return selective;
        }
        _byId = true;
        return selective.Select(condition =>
            $"{Sql.Id("id")} IN (SELECT {Sql.Id("id")} FROM {Sql.Id(form.Table)} WHERE {Sql.Id("partner_id")} = {partner} AND {condition})").ToList();
    }

    /// <summary><c>YYYY-MM-01_YYYY-MM-&lt;last day&gt;</c> → the first and last month; anything else → null.</summary>
    private static (string From, string To)? WholeMonthsOf(string value)
    {
        var parts = value.Split('_');
        if (parts.Length != 2
            || !DateOnly.TryParseExact(parts[0], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var from)
            || !DateOnly.TryParseExact(parts[1], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var to)
            || from.Day != 1 || to.Day != DateTime.DaysInMonth(to.Year, to.Month) || to < from)
        {
            return null;
        }
        return (parts[0][..7], parts[1][..7]);
    }

    private ApiError? ParseOrder(string key, string value)
    {
        var order = new List<(string, bool)>();
        foreach (var raw in value.Split(',').Select(t => t.Trim()).Where(t => t.Length > 0))
        {
            var descending = raw.StartsWith('-');
            var name = descending ? raw[1..] : raw;
            var column = name switch
            {
                "id" => "id",
                "row_info.created" => "created",
                "row_info.modified" => "modified",
                _ => form.Field(name) is { Queryable: true } f ? f.Column : null,
            };
            if (column is null)
            {
                return ApiError.InvalidFilter(key, $"names a field this form cannot be sorted by");
            }
            if (!order.Any(o => o.Item1 == column)) // a column sorted twice sorts nothing more (and stays within SQL's limits)
            {
                order.Add((column, descending));
            }
        }
        _order = order.Count == 0 ? null : order;
        return null;
    }

    private string LinkCondition(FormDefinition other, IReadOnlyList<object> ids) =>
        MarkById($"{Sql.Id("id")} IN (SELECT {Sql.Id("b_id")} FROM {Sql.Id("form_links")} WHERE {Sql.Id("partner_id")} = {Args.Add(caller.PartnerId)}"
        + $" AND {Sql.Id("a_form")} = {Args.Add(other.Name)} AND {Sql.Id("b_form")} = {Args.Add(form.Name)}"
        + $" AND {Sql.Id("a_id")} {Args.In(dialect, ids)})");

    private string MarkById(string condition)
    {
        _byId = true;
        return condition;
    }

    /// <summary>Whether <c>,</c> separates values of this parameter (ids, sideloads, order and every non-text field).</summary>
    private bool CommaIsList(string key) => form.Field(key) is not { } field || field.Type.CommaIsList();

    private FormDefinition? LinkTarget(string key) =>
        form.Links.Select(registry.Get).FirstOrDefault(other => Naming.LinkKey(other) == key);

    private ApiError? Use<T>(Outcome<T> outcome, Func<T, string> condition, List<string>? into = null)
    {
        if (outcome.Error is not null)
        {
            return outcome.Error;
        }
        (into ?? _conditions).Add(condition(outcome.Value!));
        return null;
    }

    private static ApiError? Set(Action apply)
    {
        apply();
        return null;
    }

    /// <summary>A non-negative whole number; more digits than a long holds is still "a number", clamped by the caller.</summary>
    private static ApiError? Count(string key, string value, out long count)
    {
        count = 0;
        if (value.Length == 0 || !value.All(char.IsAsciiDigit))
        {
            return ApiError.InvalidFilter(key, "must be a non-negative whole number");
        }
        count = long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : long.MaxValue;
        return null;
    }
}
