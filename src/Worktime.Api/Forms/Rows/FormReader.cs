using System.Runtime.CompilerServices;
using Dapper;
using Worktime.Api.Data;
using Worktime.Api.Forms.Definitions;
using Worktime.Api.Forms.Query;
using Worktime.Api.Forms.Storage;

namespace Worktime.Api.Forms.Rows;

/// <summary>A page of rows, the total count, and the referenced rows to sideload (keyed by target form).</summary>
internal sealed record FindAllResult(
    IReadOnlyList<StoredRow> Rows,
    long Count,
    IReadOnlyDictionary<FormDefinition, (IReadOnlyList<string> Display, IReadOnlyList<StoredRow> Rows)> Sideloads)
{
    /// <summary>The partner's period locks when a row of the page reads <c>locked</c> (read on the page's connection), else none.</summary>
    public PeriodLockSet Locks { get; init; } = PeriodLockSet.None;
}

/// <summary>Reads form rows: findAll pages with count and sideloads, single rows with their links.</summary>
internal sealed class FormReader(Database database, FormRegistry registry)
{
    /// <summary>The database's SQL dialect, for queries compiled before they reach the reader.</summary>
    public DbDialect Dialect => database.Dialect;

    public async Task<FindAllResult> FindAllAsync(FindAllQuery query, long partnerId, CancellationToken ct)
    {
        var form = query.Form;
        await using var connection = await database.OpenAsync(ct);
        var from = $" FROM {Sql.Id(form.Table)} WHERE {query.Where}";
        var count = query.CountFromMonths is { } months
            ? await connection.ExecuteScalarAsync<long>(
                $"SELECT COALESCE(SUM(n), 0) FROM {Sql.Id(form.MonthCounts!)} WHERE partner_id = @partnerId AND row_status = @status AND month >= @from AND month <= @to",
                new { partnerId, status = months.RowStatus, from = months.From, to = months.To })
            : await connection.ExecuteScalarAsync<long>("SELECT COUNT(*)" + from, query.Args.Parameters);
        var page = $"SELECT {RowReader.SelectList(form)}{from} ORDER BY {query.OrderBy}"
            + $" LIMIT {query.Args.Add(query.Limit)} OFFSET {query.Args.Add(query.Offset)}";
        var rows = await RowReader.QueryAsync(connection, form, page, query.Args, ct: ct);
        var sideloads = new Dictionary<FormDefinition, (IReadOnlyList<string>, IReadOnlyList<StoredRow>)>();
        // Keys in the order of the form's reference fields, whatever order the parameters came in.
        var planned = query.Sideload.Fields.OrderBy(p => form.Fields.ToList().IndexOf(p.Key));
        foreach (var group in planned.GroupBy(p => registry.Get(p.Key.Target!)))
        {
            var target = group.Key;
            var display = target.Fields.Where(f => group.Any(p => p.Value.Contains(f.Name))).Select(f => f.Name).ToList();
            // In order of first appearance on the page (row by row, field by field), as the live API lists them.
            var ids = rows.SelectMany(r => group.Select(p => r[p.Key.Name])).OfType<long>().Distinct().ToList();
            var found = ids.Count == 0 ? new Dictionary<long, StoredRow>()
                : (await ByIdsAsync(connection, target, partnerId, ids.Cast<object>().ToList())).ToDictionary(r => r.Id);
            var ordered = ids.Where(found.ContainsKey).Select(id => found[id]).ToList();
            if (ordered.Count > 0) // a sideload key appears only when it has rows (the live API's shape)
            {
                sideloads[target] = (display, ordered);
            }
        }
        return new FindAllResult(rows, count, sideloads) { Locks = await LocksOfAsync(connection, form, partnerId, rows, ct) };
    }

    /// <summary>The partner's period locks when one of <paramref name="rows"/> reads <c>locked</c>, else none (and no query).</summary>
    public async Task<PeriodLockSet> PeriodLocksAsync(FormDefinition form, long partnerId, IReadOnlyList<StoredRow> rows, CancellationToken ct)
    {
        if (!MayBeLocked(form, rows))
        {
            return PeriodLockSet.None;
        }
        await using var connection = await database.OpenAsync(ct);
        return await PeriodLocks.ReadAsync(connection, null, partnerId, ct);
    }

    // Only a row reading "locked" can be covered by a lock (docs/forms.md, "Period locks"): otherwise the flags need no locks.
    private static bool MayBeLocked(FormDefinition form, IReadOnlyList<StoredRow> rows) =>
        form.PeriodLock is { } rule && rows.Any(r => r[rule.StatusField] as string == PeriodLockRule.Locked);

    private static async Task<PeriodLockSet> LocksOfAsync(
        System.Data.Common.DbConnection connection, FormDefinition form, long partnerId, IReadOnlyList<StoredRow> rows, CancellationToken ct) =>
        MayBeLocked(form, rows) ? await PeriodLocks.ReadAsync(connection, null, partnerId, ct) : PeriodLockSet.None;

    /// <summary>One row of the partner (any status) with its link sets; null when it does not exist for this partner.</summary>
    public async Task<(StoredRow Row, Dictionary<FormDefinition, List<long>> Links)?> GetAsync(
        FormDefinition form, long partnerId, long id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var row = (await ByIdsAsync(connection, form, partnerId, [id])).SingleOrDefault();
        return row is null ? null : (row, await LinkStore.ReadAsync(connection, partnerId, form, id, registry));
    }

    /// <summary>Rows of the partner by id, in id order (bulk-update answers).</summary>
    public async Task<List<StoredRow>> GetManyAsync(FormDefinition form, long partnerId, IReadOnlyList<long> ids, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await ByIdsAsync(connection, form, partnerId, ids.Cast<object>().ToList());
    }

    /// <summary>Every row the query matches, in its order, read one at a time on a connection of its own.</summary>
    public async IAsyncEnumerable<StoredRow> StreamAsync(FindAllQuery query, [EnumeratorCancellation] CancellationToken ct)
    {
        var form = query.Form;
        await using var connection = await database.OpenAsync(ct);
        var sql = $"SELECT {RowReader.SelectList(form)} FROM {Sql.Id(form.Table)} WHERE {query.Where} ORDER BY {query.OrderBy}";
        await foreach (var row in RowReader.StreamAsync(connection, form, sql, query.Args, ct))
        {
            yield return row;
        }
    }

    /// <summary>
    /// <c>SELECT groups…, COUNT(*), SUM(sums…) … GROUP BY groups…</c> over the query's rows, in group order. Each group
    /// and sum is a SQL expression over columns of a definition (never input) with the name it is answered under.
    /// </summary>
    public async Task<List<(object?[] Keys, long Count, object?[] Sums)>> GroupsAsync(
        FindAllQuery query, IReadOnlyList<string> groups, IReadOnlyList<string> sums, CancellationToken ct)
    {
        var form = query.Form;
        await using var connection = await database.OpenAsync(ct);
        var select = groups.Append("COUNT(*)").Concat(sums.Select(s => $"SUM({s})"));
        var sql = $"SELECT {string.Join(", ", select)} FROM {Sql.Id(form.Table)} WHERE {query.Where}"
            + (groups.Count == 0 ? "" : $" GROUP BY {string.Join(", ", groups)} ORDER BY {string.Join(", ", groups)}");
        await using var cursor = await RowCursor.OpenAsync(connection, sql, query.Args.Values, null, ct);
        var result = new List<(object?[], long, object?[])>();
        while (await cursor.ReadAsync(ct))
        {
            var keys = new object?[groups.Count];
            for (var i = 0; i < keys.Length; i++)
            {
                keys[i] = Cell(cursor, i);
            }
            var totals = new object?[sums.Count];
            for (var i = 0; i < totals.Length; i++)
            {
                totals[i] = Cell(cursor, groups.Count + 1 + i);
            }
            result.Add((keys, cursor.Int64(groups.Count), totals));
        }
        return result;
    }

    /// <summary>The kept per-month counts (<see cref="FormDefinition.MonthCounts"/>) of whole months, months without rows left out.</summary>
    public async Task<List<(string Month, long Count)>> KeptMonthCountsAsync(FindAllQuery query, long partnerId, WholeMonths months, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<(string, long)>(new CommandDefinition(
            $"SELECT month, n FROM {Sql.Id(query.Form.MonthCounts!)} WHERE partner_id = @partnerId AND row_status = @status"
            + " AND month >= @from AND month <= @to AND n > 0 ORDER BY month",
            new { partnerId, status = months.RowStatus, from = months.From, to = months.To }, cancellationToken: ct));
        return rows.ToList();
    }

    /// <summary>A cell as the engine types it: long, double, string (a sum PostgreSQL widens to NUMERIC comes back as a long or double).</summary>
    private static object? Cell(RowCursor cursor, int column) => cursor.Kind(column) switch
    {
        CellKind.Null => null,
        CellKind.Integer => cursor.Int64(column),
        CellKind.Real => cursor.Double(column),
        CellKind.Text => cursor.Text(column),
        _ => cursor.Value(column) switch
        {
            decimal d when d == decimal.Truncate(d) && d is >= long.MinValue and <= long.MaxValue => (long)d,
            decimal d => (double)d,
            int i => (long)i,
            var other => other,
        },
    };

    private Task<List<StoredRow>> ByIdsAsync(
        System.Data.Common.DbConnection connection, FormDefinition form, long partnerId, IReadOnlyList<object> ids)
    {
        var args = new SqlArgs();
        var sql = $"SELECT {RowReader.SelectList(form)} FROM {Sql.Id(form.Table)} WHERE {Sql.PartnerOfRowsById(args.Add(partnerId))}"
            + $" AND {Sql.Id("id")} {args.In(database.Dialect, ids)} ORDER BY {Sql.Id("id")}";
        return RowReader.QueryAsync(connection, form, sql, args);
    }
}
