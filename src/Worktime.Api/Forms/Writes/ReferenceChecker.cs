using System.Globalization;
using Dapper;
using Worktime.Api.Data;
using Worktime.Api.Forms.Definitions;
using Worktime.Api.Forms.Hooks;
using Worktime.Api.Forms.Storage;

namespace Worktime.Api.Forms.Writes;

/// <summary>
/// References and links must point at live rows of the caller's partner (docs/forms.md). Another partner's row
/// is simply not found, so it is refused like a missing one without revealing that it exists.
/// All of a write's references are checked in one statement (one round trip), and stay locked until commit.
/// </summary>
internal static class ReferenceChecker
{
    public static async Task CheckAsync(
        FormWrite write, DbDialect dialect, FormRegistry registry, IReadOnlyDictionary<FormDefinition, List<long>> links,
        Dictionary<string, string> errors)
    {
        var wanted = new List<(string ErrorKey, FormDefinition Target, IReadOnlyList<long> Ids, string Message)>();
        foreach (var field in write.Form.Fields.Where(f => f.Type == FieldType.Database && write.Sets(f.Name)))
        {
            if (write.Changes[field.Name] is long id && !Equals(write.Existing?[field.Name], id))
            {
                wanted.Add((field.Name, registry.Get(field.Target!), [id], $"does not exist (no such {field.Target})"));
            }
        }
        foreach (var (other, ids) in links.Where(l => l.Value.Count > 0))
        {
            wanted.Add((Naming.LinkKey(other), other, ids, $"names {other.Plural} that do not exist"));
        }
        if (wanted.Count == 0)
        {
            return;
        }
        var found = await FoundAsync(write, dialect, wanted.Select(w => (w.Target, w.Ids)).ToList());
        for (var i = 0; i < wanted.Count; i++)
        {
            var missing = wanted[i].Ids.Where(id => !found.Contains((i, id))).ToList();
            if (missing.Count > 0)
            {
                errors[wanted[i].ErrorKey] = wanted[i].Ids.Count == 1 ? wanted[i].Message : $"{wanted[i].Message}: {string.Join(", ", missing.Take(10))}";
            }
        }
    }

    /// <summary>(index of the request, id) of every requested row that is live in the caller's partner.</summary>
    private static async Task<HashSet<(int, long)>> FoundAsync(FormWrite write, DbDialect dialect, IReadOnlyList<(FormDefinition Target, IReadOnlyList<long> Ids)> requests)
    {
        var args = new SqlArgs();
        var (partner, normal) = (args.Add(write.Caller.PartnerId), args.Add(StoredRow.Normal));
        // Each lookup is a sub-select so it may carry its own row lock; the index is our loop counter, never input.
        var parts = requests.Select((r, i) =>
            string.Create(CultureInfo.InvariantCulture, $"SELECT {i} AS {Sql.Id("k")}, q{i}.{Sql.Id("id")} FROM (SELECT {Sql.Id("id")} FROM {Sql.Id(r.Target.Table)}")
            + $" WHERE {Sql.Id("partner_id")} = {partner} AND {Sql.Id("row_status")} = {normal}"
            // One id (a reference field, the common case): a plain equality, cheaper to plan than a list.
            + string.Create(CultureInfo.InvariantCulture, $" AND {Sql.Id("id")} {(r.Ids.Count == 1 ? "= " + args.Add(r.Ids[0]) : args.In(dialect, r.Ids.Cast<object>()))}{dialect.ForShare()}) q{i}"));
        var rows = await write.Connection.QueryAsync<(long K, long Id)>(string.Join(" UNION ALL ", parts), args.Parameters, write.Transaction);
        return rows.Select(r => ((int)r.K, r.Id)).ToHashSet();
    }
}
