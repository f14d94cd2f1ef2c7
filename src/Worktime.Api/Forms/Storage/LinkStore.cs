using System.Data.Common;
using Dapper;
using Worktime.Api.Forms.Definitions;

namespace Worktime.Api.Forms.Storage;

/// <summary>
/// Many-to-many links (project ↔ task). Each link is stored in both directions, so listing and filtering from
/// either side is the same indexed lookup; writing a set replaces it on both sides at once.
/// </summary>
internal static class LinkStore
{
    public static async Task ReplaceAsync(
        DbConnection connection, DbTransaction transaction, long partnerId, FormDefinition form, long id,
        FormDefinition other, IReadOnlyList<long> ids)
    {
        var args = new SqlArgs();
        var (p, f, o, self) = (args.Add(partnerId), args.Add(form.Name), args.Add(other.Name), args.Add(id));
        await connection.ExecuteAsync(
            $"DELETE FROM {Sql.Id("form_links")} WHERE {Sql.Id("partner_id")} = {p} AND (({Sql.Id("a_form")} = {f} AND {Sql.Id("a_id")} = {self} AND {Sql.Id("b_form")} = {o})"
            + $" OR ({Sql.Id("a_form")} = {o} AND {Sql.Id("b_form")} = {f} AND {Sql.Id("b_id")} = {self}))",
            args.Parameters, transaction);
        if (ids.Count == 0)
        {
            return;
        }
        var insert = new SqlArgs();
        var (ip, iform, iother, iid) = (insert.Add(partnerId), insert.Add(form.Name), insert.Add(other.Name), insert.Add(id));
        var values = ids.SelectMany(target =>
        {
            var t = insert.Add(target);
            return new[] { $"({ip}, {iform}, {iid}, {iother}, {t})", $"({ip}, {iother}, {t}, {iform}, {iid})" };
        });
        await connection.ExecuteAsync(
            $"INSERT INTO {Sql.Id("form_links")} ({Sql.Id("partner_id")}, {Sql.Id("a_form")}, {Sql.Id("a_id")}, {Sql.Id("b_form")}, {Sql.Id("b_id")}) VALUES "
            + string.Join(", ", values),
            insert.Parameters, transaction);
    }

    /// <summary>The live rows of each linked form that the row is linked to, by id.</summary>
    public static async Task<Dictionary<FormDefinition, List<long>>> ReadAsync(
        DbConnection connection, long partnerId, FormDefinition form, long id, FormRegistry registry)
    {
        var result = new Dictionary<FormDefinition, List<long>>();
        foreach (var other in form.Links.Select(registry.Get))
        {
            var args = new SqlArgs();
            // The linked rows by primary key (Sql.PartnerOfRowsById): "+ 0" keeps t's partner indexes out of the join.
            var sql = $"SELECT l.{Sql.Id("b_id")} FROM {Sql.Id("form_links")} l JOIN {Sql.Id(other.Table)} t"
                + $" ON t.{Sql.Id("id")} = l.{Sql.Id("b_id")} AND t.{Sql.Id("partner_id")} + 0 = l.{Sql.Id("partner_id")}"
                + $" WHERE l.{Sql.Id("partner_id")} = {args.Add(partnerId)} AND l.{Sql.Id("a_form")} = {args.Add(form.Name)}"
                + $" AND l.{Sql.Id("a_id")} = {args.Add(id)} AND l.{Sql.Id("b_form")} = {args.Add(other.Name)}"
                + $" AND t.{Sql.Id("row_status")} = {args.Add(StoredRow.Normal)} ORDER BY l.{Sql.Id("b_id")}";
            result[other] = (await connection.QueryAsync<long>(sql, args.Parameters)).ToList();
        }
        return result;
    }
}
