using System.Data.Common;
using Dapper;

namespace Worktime.Api.Data;

/// <summary>
/// The one id space of every form's rows, users included (docs/forms.md "Row ids"). Every INSERT of a form row takes
/// its id from here, inside its own write transaction: PostgreSQL's shared sequence <c>row_ids</c>, SQLite's one-row
/// allocator table <c>row_ids</c> (migration 004). A form added later shares the space without any change here.
/// </summary>
internal static class RowIds
{
    public static Task<long> NextAsync(DbConnection connection, DbTransaction transaction) =>
        connection is Microsoft.Data.Sqlite.SqliteConnection
            // Inside a write transaction (BEGIN IMMEDIATE) no other writer runs, and a rollback undoes the bump
            // together with the row that used it, so an id is never handed out twice.
            ? connection.ExecuteScalarAsync<long>("UPDATE row_ids SET last_id = last_id + 1 RETURNING last_id", transaction: transaction)
            // A sequence never hands out a number twice, even across rolled-back transactions.
            : connection.ExecuteScalarAsync<long>("SELECT nextval('row_ids')", transaction: transaction);
}
