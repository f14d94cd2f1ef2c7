using System.Data.Common;
using Dapper;
using Worktime.Api.Auth;
using Worktime.Api.Data;
using Worktime.Api.Forms.Definitions;
using Worktime.Api.Forms.Hooks;
using Worktime.Api.Forms.Rows;
using Worktime.Api.Forms.Storage;
using Worktime.Api.Http;

namespace Worktime.Api.Forms.Writes;

/// <summary>
/// The SQL of a write, generated from the definition: lock the row, insert, update the changed columns, change the
/// status. Partner and id are always in the WHERE, so a write can only ever touch the caller's own partner's row.
/// </summary>
internal static class RowStatements
{
    public static async Task<ApiError?> InsertAsync(FormWrite write, Dictionary<FormDefinition, List<long>> links)
    {
        var columns = ColumnValues(write, write.Form.StoredFields.Where(f => write.Row.ContainsKey(f.Name)));
        columns["id"] = await RowIds.NextAsync(write.Connection, write.Transaction);
        columns["partner_id"] = write.Caller.PartnerId;
        columns["created"] = write.Now;
        columns["creator_id"] = write.Caller.UserId;
        columns["row_status"] = StoredRow.Normal;
        var args = new SqlArgs();
        var sql = $"INSERT INTO {Sql.Id(write.Form.Table)} ({string.Join(", ", columns.Keys.Select(Sql.Id))})"
            + $" VALUES ({string.Join(", ", columns.Values.Select(args.Add))}) RETURNING {Sql.Id("id")}";
        if (await UniqueAsync(write, () => write.Connection.ExecuteScalarAsync<long>(sql, args.Parameters, write.Transaction)) is not { } id)
        {
            return ApiError.Validation(write.Hooks.UniqueViolation());
        }
        write.Id = id;
        foreach (var (other, ids) in links)
        {
            await LinkStore.ReplaceAsync(write.Connection, write.Transaction, write.Caller.PartnerId, write.Form, id, other, ids);
        }
        return null;
    }

    public static async Task<ApiError?> UpdateColumnsAsync(FormWrite write)
    {
        var changed = write.Form.StoredFields.Where(f => write.Sets(f.Name) || f.Type == FieldType.Computed);
        var columns = ColumnValues(write, changed);
        if (columns.Count == 0 && write.NewStatus == write.Existing!.Status)
        {
            return null;
        }
        columns["modified"] = write.Now;
        columns["row_status"] = write.NewStatus;
        var args = new SqlArgs();
        var set = string.Join(", ", columns.Select(c => ColumnIncrement.Assignment(Sql.Id(c.Key), c.Value, args.Add)));
        var sql = $"UPDATE {Sql.Id(write.Form.Table)} SET {set} WHERE {Sql.Id("partner_id")} = {args.Add(write.Caller.PartnerId)} AND {Sql.Id("id")} = {args.Add(write.Id)}";
        if (await UniqueAsync(write, async () => (long)await write.Connection.ExecuteAsync(sql, args.Parameters, write.Transaction)) is null)
        {
            return ApiError.Validation(write.Hooks.UniqueViolation());
        }
        return null;
    }

    public static Task WriteStatusAsync(FormWrite write)
    {
        var columns = new Dictionary<string, object?> { ["row_status"] = write.NewStatus, ["modified"] = write.Now };
        write.Hooks.AddHiddenColumns(write, columns); // e.g. a removed user's tokens end in the same statement
        var args = new SqlArgs();
        var set = string.Join(", ", columns.Select(c => ColumnIncrement.Assignment(Sql.Id(c.Key), c.Value, args.Add)));
        return write.Connection.ExecuteAsync(
            $"UPDATE {Sql.Id(write.Form.Table)} SET {set}"
            + $" WHERE {Sql.Id("partner_id")} = {args.Add(write.Caller.PartnerId)} AND {Sql.Id("id")} = {args.Add(write.Id)}",
            args.Parameters, write.Transaction);
    }

    private static Dictionary<string, object?> ColumnValues(FormWrite write, IEnumerable<FieldDefinition> fields)
    {
        var columns = fields.ToDictionary(f => f.Column!, f => write.Row.GetValueOrDefault(f.Name) is bool b ? (b ? 1L : 0L) : write.Row.GetValueOrDefault(f.Name));
        write.Hooks.AddHiddenColumns(write, columns);
        return columns;
    }

    public static async Task<StoredRow?> LockAsync(
        DbDialect dialect, FormDefinition form, CurrentUser caller, long id, DbConnection connection, DbTransaction transaction)
    {
        var args = new SqlArgs();
        var sql = $"SELECT {RowReader.SelectList(form)} FROM {Sql.Id(form.Table)} WHERE {Sql.Id("partner_id")} = {args.Add(caller.PartnerId)}"
            + $" AND {Sql.Id("id")} = {args.Add(id)}" + dialect.ForUpdate();
        return (await RowReader.QueryAsync(connection, form, sql, args, transaction)).SingleOrDefault();
    }

    /// <summary>Runs a statement; null when it broke a unique constraint (a race the hook's own check lost).</summary>
    private static async Task<long?> UniqueAsync(FormWrite write, Func<Task<long>> statement)
    {
        try
        {
            return await statement();
        }
        catch (DbException e) when (DbWrites.IsUniqueViolation(e) && write.Hooks.UniqueViolation().Count > 0)
        {
            return null;
        }
    }
}
