using Dapper;
using Worktime.Api.Data;
using Worktime.Api.Forms.Definitions;
using Worktime.Api.Forms.Hooks;
using Worktime.Api.Forms.Rows;

namespace Worktime.Api.Forms.Writes;

/// <summary>
/// References and links must point at live rows of the caller's partner (contract §2.4). Another partner's row
/// is simply not found, so it is refused like a missing one (security case 46) without revealing that it exists.
/// </summary>
internal static class ReferenceChecker
{
    public static async Task CheckAsync(
        FormWrite write, DbDialect dialect, FormRegistry registry, IReadOnlyDictionary<FormDefinition, List<long>> links,
        Dictionary<string, string> errors)
    {
        foreach (var field in write.Form.Fields.Where(f => f.Type == FieldType.Database && write.Sets(f.Name)))
        {
            if (write.Changes[field.Name] is long id && !Equals(write.Existing?[field.Name], id)
                && (await MissingAsync(write, dialect, registry.Get(field.Target!), [id])).Count > 0)
            {
                errors[field.Name] = $"does not exist (no such {field.Target})";
            }
        }
        foreach (var (other, ids) in links)
        {
            var missing = await MissingAsync(write, dialect, other, ids);
            if (missing.Count > 0)
            {
                errors[Naming.LinkKey(other)] = $"names {other.Plural} that do not exist: {string.Join(", ", missing.Take(10))}";
            }
        }
    }

    private static async Task<List<long>> MissingAsync(FormWrite write, DbDialect dialect, FormDefinition target, IReadOnlyList<long> ids)
    {
        if (ids.Count == 0)
        {
            return [];
        }
        var args = new SqlArgs();
        var sql = $"SELECT {Sql.Id("id")} FROM {Sql.Id(target.Table)} WHERE {Sql.Id("partner_id")} = {args.Add(write.Caller.PartnerId)}"
            + $" AND {Sql.Id("row_status")} = {args.Add(StoredRow.Normal)} AND {Sql.Id("id")} IN {args.AddList(ids.Cast<object>())}"
            + dialect.ForShare();
        var found = (await write.Connection.QueryAsync<long>(sql, args.Parameters, write.Transaction)).ToHashSet();
        return ids.Where(id => !found.Contains(id)).ToList();
    }
}
