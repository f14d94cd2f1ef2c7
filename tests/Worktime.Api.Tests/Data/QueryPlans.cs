using System.Data.Common;
using System.Text.RegularExpressions;
using Dapper;
using Npgsql;

namespace Worktime.Api.Tests.Data;

/// <summary>A statement whose plan reads a partner's rows (or a whole table) where a key or index lookup exists.</summary>
internal sealed record PlanFinding(string Sql, string Plan, string Better)
{
    public override string ToString() => $"{Shorten(Sql)}\n    plan:   {Plan}\n    better: {Better}";

    private static string Shorten(string sql) => sql.Length <= 600 ? sql : sql[..600] + " …";
}

/// <summary>
/// Explains statements on one backend and judges each plan: a step on a table with a <c>partner_id</c> column that
/// reads the whole table, or a whole partner's (live) rows — an index lookup bounded only by <c>partner_id</c> and
/// <c>row_status</c> — is a finding when the database can answer the same statement with a narrower lookup: the
/// primary key, or an index with a further column bounded. Whether it can is asked of the database itself, by
/// forbidding the index it chose (SQLite: <c>INDEXED BY</c> each other index and <c>NOT INDEXED</c>; PostgreSQL:
/// dropping it inside a transaction that is rolled back): a listing of every task of a partner reads them all
/// whatever the plan, and is no finding.
/// </summary>
internal abstract partial class QueryPlans(DbConnection connection)
{
    protected DbConnection Connection { get; } = connection;

    private static readonly HashSet<string> PartnerOnly = new(StringComparer.Ordinal) { "partner_id", "row_status" };

    public static QueryPlans For(DbConnection connection) =>
        connection is NpgsqlConnection ? new PostgresPlans(connection) : new SqlitePlans(connection);

    /// <summary>Whether a statement is one a plan can be asked for (not BEGIN, PRAGMA, SAVEPOINT …).</summary>
    public static bool Explainable(string sql) =>
        Regex.IsMatch(sql, @"^\s*(?:SELECT|WITH|UPDATE|DELETE|INSERT)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    /// <summary>Statements of the same shape (values aside) are explained once.</summary>
    public abstract string ShapeOf(RanStatement statement);

    /// <summary>The finding for this statement, or null when every step on a partner's table uses its key or an index.</summary>
    public abstract Task<PlanFinding?> JudgeAsync(RanStatement statement);

    /// <summary>Tables with a partner_id column, with their columns.</summary>
    protected Dictionary<string, HashSet<string>> PartnerTables { get; private set; } = [];

    public async Task LoadSchemaAsync()
    {
        var columns = await ColumnsAsync();
        PartnerTables = columns.GroupBy(c => c.Table)
            .Where(g => g.Any(c => c.Column == "partner_id"))
            .ToDictionary(g => g.Key, g => g.Select(c => c.Column).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);
        await LoadMoreAsync();
    }

    protected abstract Task<IEnumerable<(string Table, string Column)>> ColumnsAsync();

    protected virtual Task LoadMoreAsync() => Task.CompletedTask;

    /// <summary>True when a lookup bounded by these columns reads no more than a partner's (live) rows.</summary>
    protected static bool BoundsOnlyThePartner(IEnumerable<string> boundColumns) => boundColumns.All(PartnerOnly.Contains);

    [GeneratedRegex(@"[a-z_][a-z0-9_]*")]
    protected static partial Regex Identifier();

    [GeneratedRegex(@"'(?:[^']|'')*'")]
    protected static partial Regex StringLiteral();
}

/// <summary>SQLite: <c>EXPLAIN QUERY PLAN</c> of the statement as it ran (its values expanded into the text).</summary>
internal sealed partial class SqlitePlans(DbConnection connection) : QueryPlans(connection)
{
    public override string ShapeOf(RanStatement statement) =>
        Number().Replace(StringLiteral().Replace(statement.Sql, "?"), "?");

    protected override async Task<IEnumerable<(string Table, string Column)>> ColumnsAsync() =>
        await Connection.QueryAsync<(string, string)>(
            "SELECT m.name, c.name FROM sqlite_schema m JOIN pragma_table_info(m.name) c WHERE m.type = 'table'");

    public override async Task<PlanFinding?> JudgeAsync(RanStatement statement)
    {
        var aliases = Aliases(statement.Sql);
        var steps = await PlanAsync(statement.Sql);
        var wide = steps.Where(s => Wide(s, aliases) is not null).ToList();
        if (wide.Count == 0)
        {
            return null;
        }
        foreach (var table in wide.Select(s => Wide(s, aliases)!).Distinct(StringComparer.Ordinal))
        {
            var indexes = await Connection.QueryAsync<string>(
                "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = @table", new { table });
            foreach (var hint in indexes.Select(i => $" INDEXED BY \"{i}\"").Append(" NOT INDEXED"))
            {
                var forced = Force(statement.Sql, table, hint);
                if (forced == statement.Sql || await TryPlanAsync(forced) is not { } alternative)
                {
                    continue;
                }
                var onTable = alternative.Where(s => Step().Match(s) is { Success: true } m && Table(m.Groups["name"].Value, aliases) == table).ToList();
                if (onTable.Count > 0 && onTable.All(s => Wide(s, aliases) is null))
                {
                    return new PlanFinding(statement.Sql, string.Join(" | ", steps), $"{hint.Trim()}: {string.Join(" | ", alternative)}");
                }
            }
        }
        return null;
    }

    private async Task<List<string>> PlanAsync(string sql) =>
        (await Connection.QueryAsync<(long Id, long Parent, long NotUsed, string Detail)>("EXPLAIN QUERY PLAN " + sql))
        .Select(r => r.Detail).ToList();

    private async Task<List<string>?> TryPlanAsync(string sql)
    {
        try
        {
            return await PlanAsync(sql);
        }
        catch (Microsoft.Data.Sqlite.SqliteException)
        {
            return null; // "no query solution": that index cannot serve the statement
        }
    }

    /// <summary>The partner table a step reads too much of (all of it, or a whole partner's rows); null when it narrows.</summary>
    private string? Wide(string step, IReadOnlyDictionary<string, string> aliases)
    {
        var match = Step().Match(step);
        if (!match.Success || Table(match.Groups["name"].Value, aliases) is not { } table || !PartnerTables.ContainsKey(table))
        {
            return null;
        }
        if (match.Groups["verb"].Value == "SCAN")
        {
            return table; // the whole table (or a whole index of it)
        }
        var bounds = Identifier().Matches(match.Groups["cond"].Value).Select(m => m.Value);
        return BoundsOnlyThePartner(bounds) ? table : null;
    }

    private string? Table(string name, IReadOnlyDictionary<string, string> aliases) =>
        aliases.TryGetValue(name, out var table) ? table : PartnerTables.ContainsKey(name) ? name : null;

    /// <summary>alias → table for <c>FROM "t" x</c> and <c>JOIN t AS x</c> (our aliases are lower case, keywords upper case).</summary>
    private static Dictionary<string, string> Aliases(string sql) =>
        Alias().Matches(sql).Where(m => m.Groups["alias"].Success)
            .GroupBy(m => m.Groups["alias"].Value).ToDictionary(g => g.Key, g => g.First().Groups["table"].Value, StringComparer.Ordinal);

    /// <summary>The statement with <paramref name="hint"/> after every occurrence of <paramref name="table"/> it reads from.</summary>
    private static string Force(string sql, string table, string hint) =>
        Regex.Replace(sql, $@"(\bFROM|\bJOIN|\bUPDATE)\s+(""?{table}""?)(?=[\s)]|$)(\s+(?:AS\s+)?[a-z_][a-z0-9_]*)?(\s+NOT INDEXED|\s+INDEXED BY\s+""?\w+""?)?",
            m => $"{m.Groups[1].Value} {m.Groups[2].Value}{m.Groups[3].Value}{hint}");

    /// <summary>A step of EXPLAIN QUERY PLAN: <c>SEARCH t USING INDEX ix (partner_id=? AND date>?)</c>, <c>SCAN t</c>, <c>SEARCH t USING INTEGER PRIMARY KEY (rowid=?)</c>.</summary>
    [GeneratedRegex(@"^(?<verb>SCAN|SEARCH) (?<name>\S+)(?: USING (?:[A-Z]+ )*?(?:INDEX(?: (?!\()\S+)?|PRIMARY KEY))?(?: \((?<cond>.*)\))?")]
    private static partial Regex Step();

    [GeneratedRegex(@"\b(?:FROM|JOIN)\s+""?(?<table>[a-z_][a-z0-9_]*)""?(?:\s+(?:AS\s+)?""?(?<alias>[a-z_][a-z0-9_]*)""?)?")]
    private static partial Regex Alias();

    [GeneratedRegex(@"(?<![a-z_0-9])-?\d+(?:\.\d+)?")]
    private static partial Regex Number();
}

/// <summary>
/// PostgreSQL: <c>EXPLAIN (FORMAT JSON)</c> of the statement with the values it ran with, by the default planner. An
/// index narrows only by the columns it is bounded on from its start (PostgreSQL shows a condition on a later
/// column too, which it checks while walking the whole partner's part of the index). A sequential scan is judged on
/// the tables of the big forms only: for a table of a few hundred pages PostgreSQL's cost model rightly prefers one
/// to hundreds of index lookups, and grows out of it as the table does.
/// </summary>
internal sealed partial class PostgresPlans(DbConnection connection) : QueryPlans(connection)
{
    /// <summary>Rows from which a sequential scan of a partner's table is judged.</summary>
    private const long BigTable = 50_000;

    private Dictionary<string, string[]> _indexColumns = [];
    private HashSet<string> _bigTables = [];

    protected override async Task LoadMoreAsync()
    {
        _indexColumns = (await Connection.QueryAsync<(string Index, string[] Columns)>(
            """
            SELECT i.relname::text, array_agg(a.attname::text ORDER BY k.ord)
            FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
            JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, ord) ON true
            JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum
            GROUP BY i.relname
            """)).ToDictionary(i => i.Index, i => i.Columns, StringComparer.Ordinal);
        _bigTables = [];
        foreach (var table in PartnerTables.Keys)
        {
            if (await Connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM \"{table}\"") >= BigTable)
            {
                _bigTables.Add(table);
            }
        }
    }

    public override string ShapeOf(RanStatement statement) => statement.Sql;

    protected override async Task<IEnumerable<(string Table, string Column)>> ColumnsAsync() =>
        await Connection.QueryAsync<(string, string)>(
            "SELECT table_name::text, column_name::text FROM information_schema.columns WHERE table_schema = 'public'");

    public override async Task<PlanFinding?> JudgeAsync(RanStatement statement)
    {
        var plan = await PlanAsync(statement, null);
        var wide = Nodes(plan).Select(Wide).OfType<(string Table, string? Index)>().ToList();
        if (wide.Count == 0)
        {
            return null;
        }
        // Forbid what the plan chose, one step at a time, in a transaction that is rolled back: if the planner then
        // finds a narrower way to the same table, that way existed all along.
        await using var transaction = await Connection.BeginTransactionAsync();
        try
        {
            for (var attempt = 0; attempt < 6 && wide.Count > 0; attempt++)
            {
                var (_, index) = wide[0];
                if (index is null)
                {
                    if (attempt > 0 && await Connection.ExecuteScalarAsync<string>("SHOW enable_seqscan", transaction: transaction) == "off")
                    {
                        return null; // a sequential scan even when told not to: no other way exists
                    }
                    await Connection.ExecuteAsync("SET LOCAL enable_seqscan = off", transaction: transaction);
                }
                else
                {
                    var constraint = await Connection.ExecuteScalarAsync<string?>(
                        "SELECT conrelid::regclass::text || ' DROP CONSTRAINT ' || quote_ident(conname) FROM pg_constraint WHERE conindid = @index::regclass",
                        new { index }, transaction);
                    await Connection.ExecuteAsync(constraint is null ? $"DROP INDEX \"{index}\"" : $"ALTER TABLE {constraint} CASCADE", transaction: transaction);
                }
                var alternative = await PlanAsync(statement, transaction);
                var tables = wide.Select(w => w.Table).ToHashSet(StringComparer.Ordinal);
                var stillWide = Nodes(alternative).Select(Wide).OfType<(string Table, string? Index)>().ToList();
                var reads = Nodes(alternative).Where(n => tables.Contains(Relation(n) ?? "")).ToList();
                if (reads.Count > 0 && reads.All(Narrow))
                {
                    return new PlanFinding(statement.Sql, Describe(plan), $"without {(index ?? "sequential scans")}: {Describe(alternative)}");
                }
                wide = stillWide;
            }
            return null;
        }
        finally
        {
            await transaction.RollbackAsync();
        }
    }

    private async Task<System.Text.Json.JsonElement> PlanAsync(RanStatement statement, DbTransaction? transaction)
    {
        await using var command = (NpgsqlCommand)Connection.CreateCommand();
        command.Transaction = (NpgsqlTransaction?)transaction;
        command.CommandText = "EXPLAIN (FORMAT JSON) " + statement.Sql;
        foreach (var (name, value) in statement.Parameters)
        {
            command.Parameters.Add(new NpgsqlParameter(name, value ?? DBNull.Value));
        }
        var json = (string)(await command.ExecuteScalarAsync())!;
        return System.Text.Json.JsonDocument.Parse(json).RootElement[0].GetProperty("Plan");
    }

    private static IEnumerable<System.Text.Json.JsonElement> Nodes(System.Text.Json.JsonElement node)
    {
        yield return node;
        if (node.TryGetProperty("Plans", out var children))
        {
            foreach (var descendant in children.EnumerateArray().SelectMany(Nodes))
            {
                yield return descendant;
            }
        }
    }

    private static string? Relation(System.Text.Json.JsonElement node) =>
        node.TryGetProperty("Relation Name", out var relation) ? relation.GetString() : null;

    private static string? Text(System.Text.Json.JsonElement node, string property) =>
        node.TryGetProperty(property, out var value) ? value.GetString() : null;

    /// <summary>(table, index or null for a sequential scan) when the node reads a whole table or a whole partner's rows.</summary>
    private (string Table, string? Index)? Wide(System.Text.Json.JsonElement node)
    {
        if (Relation(node) is not { } table || !PartnerTables.TryGetValue(table, out var columns))
        {
            return null;
        }
        switch (Text(node, "Node Type"))
        {
            case "Seq Scan":
                return _bigTables.Contains(table) ? (table, null) : null;
            case "Index Scan" or "Index Only Scan":
                return OnlyThePartner(node, columns) ? (table, Text(node, "Index Name")) : null;
            case "Bitmap Heap Scan":
                var wide = Nodes(node).Where(n => Text(n, "Node Type") == "Bitmap Index Scan").FirstOrDefault(n => OnlyThePartner(n, columns));
                return wide.ValueKind == System.Text.Json.JsonValueKind.Undefined ? null : (table, Text(wide, "Index Name"));
            default:
                return null;
        }
    }

    /// <summary>An index or bitmap scan bounded, from the index's first column on, by more than the partner and row status.</summary>
    private bool Narrow(System.Text.Json.JsonElement node) =>
        Relation(node) is { } table && PartnerTables.TryGetValue(table, out var columns) && Text(node, "Node Type") switch
        {
            "Index Scan" or "Index Only Scan" => !OnlyThePartner(node, columns),
            "Bitmap Heap Scan" => Nodes(node).Where(n => Text(n, "Node Type") == "Bitmap Index Scan").All(n => !OnlyThePartner(n, columns)),
            _ => false,
        };

    /// <summary>The index scan is bounded, from the index's first column on, by the partner (and row status) only.</summary>
    private bool OnlyThePartner(System.Text.Json.JsonElement node, HashSet<string> columns)
    {
        var bound = Identifier().Matches(Cast().Replace(StringLiteral().Replace(Text(node, "Index Cond") ?? "", ""), ""))
            .Select(m => m.Value).Where(columns.Contains).ToHashSet(StringComparer.Ordinal);
        var prefix = _indexColumns.TryGetValue(Text(node, "Index Name") ?? "", out var indexColumns)
            ? indexColumns.TakeWhile(bound.Contains)
            : bound;
        return BoundsOnlyThePartner(prefix);
    }

    private static string Describe(System.Text.Json.JsonElement plan) =>
        string.Join(" | ", Nodes(plan).Select(n =>
            $"{Text(n, "Node Type")}{(Relation(n) is { } r ? " on " + r : "")}{(Text(n, "Index Name") is { } i ? " using " + i : "")}"
            + $"{(Text(n, "Index Cond") is { } c ? " (" + c + ")" : "")}"));

    [GeneratedRegex(@"::[a-z ]+(?:\[\])?")]
    private static partial Regex Cast();
}
