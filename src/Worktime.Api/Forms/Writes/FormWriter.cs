using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Dapper;
using Worktime.Api.Auth;
using Worktime.Api.Data;
using Worktime.Api.Forms.Access;
using Worktime.Api.Forms.Definitions;
using Worktime.Api.Forms.Hooks;
using Worktime.Api.Forms.Storage;
using Worktime.Api.Http;

namespace Worktime.Api.Forms.Writes;

/// <summary>
/// Every write of every form: create, partial update, bulk update, soft delete and restore. Each call is one
/// transaction that locks the row, checks privileges and values, writes with the partner and id in the WHERE,
/// and commits — or writes nothing (docs/forms.md). Outcomes are returned, not thrown.
/// </summary>
internal sealed class FormWriter(Database database, FormRegistry registry, FormHooksCatalog hooks, TimeProvider time)
{
    public async Task<Outcome<long>> CreateAsync(
        FormDefinition form, CurrentUser caller, JsonElement body, bool validate, CancellationToken ct)
    {
        if (!FormPrivileges.CanCreate(form, caller))
        {
            return ApiError.Forbidden($"You may not create {form.Plural}.");
        }
        var input = ParsedInput.Parse(form, registry, body, bulk: false);
        var prepared = await BeforeTransactionAsync(form, caller, [], input, ct);
        if (prepared.Error is { } refusedEarly)
        {
            return refusedEarly;
        }
        await using var writer = await database.OpenWriterAsync(ct);
        var connection = writer.Connection;
        var transaction = writer.Transaction;
        var locks = await EnterAsync(form, caller, connection, transaction, ct);
        var write = new FormWrite(form, hooks.For(form), caller, null, connection, transaction)
        {
            Now = Now(),
            Changes = input.Changes,
            WriteOnly = input.WriteOnly,
            Prepared = prepared.Value!,
            NewStatus = StoredRow.Normal,
        };
        foreach (var field in form.Fields.Where(f => f.Writable && f.Default is not null && !input.Changes.ContainsKey(f.Name)))
        {
            // A default is written by the definition, never by a client: one that does not parse is a bug in it.
            write.Changes[field.Name] = FieldValues.TryParseText(field, field.Default!, out var value, out var problem)
                ? value
                : throw new InvalidOperationException($"The default of {form.Name}.{field.Name} {problem}.");
        }
        if (form.Access.OwnerField is { } owner && owner != "id" && write.Changes.GetValueOrDefault(owner) is null)
        {
            write.Changes[owner] = caller.UserId; // levels 1–2 record for themselves; so does anyone omitting the user
        }
        foreach (var (key, value) in write.Changes)
        {
            write.Row[key] = value;
        }
        if (await PrepareAsync(write, input, validate, locks, ct) is { } error)
        {
            return error;
        }
        if (await RowStatements.InsertAsync(write, input.Links) is { } conflict)
        {
            return conflict;
        }
        await write.Hooks.WrittenAsync(write, ct);
        await CommitAsync(writer, [write], ct);
        return write.Id;
    }

    public async Task<Outcome<long>> UpdateAsync(
        FormDefinition form, CurrentUser caller, long id, JsonElement body, bool validate, CancellationToken ct)
    {
        var input = ParsedInput.Parse(form, registry, body, bulk: false);
        var prepared = await BeforeTransactionAsync(form, caller, [id], input, ct);
        if (prepared.Error is { } refusedEarly)
        {
            return refusedEarly;
        }
        await using var writer = await database.OpenWriterAsync(ct);
        var connection = writer.Connection;
        var transaction = writer.Transaction;
        var locks = await EnterAsync(form, caller, connection, transaction, ct);
        var outcome = await UpdateRowAsync(form, caller, id, input, prepared.Value!, validate, locks, connection, transaction, ct);
        if (outcome.Error is not null)
        {
            return outcome.Error;
        }
        await CommitAsync(writer, [outcome.Value!], ct);
        return id;
    }

    /// <summary>The same fields applied to every listed row, all or nothing.</summary>
    public async Task<Outcome<IReadOnlyList<long>>> BulkUpdateAsync(
        FormDefinition form, CurrentUser caller, JsonElement body, bool validate, CancellationToken ct)
    {
        var input = ParsedInput.Parse(form, registry, body, bulk: true);
        if (input.BulkIds is null)
        {
            return ApiError.Validation(input.Errors);
        }
        var prepared = await BeforeTransactionAsync(form, caller, input.BulkIds, input, ct);
        if (prepared.Error is { } refusedEarly)
        {
            return refusedEarly;
        }
        await using var writer = await database.OpenWriterAsync(ct);
        var connection = writer.Connection;
        var transaction = writer.Transaction;
        var locks = await EnterAsync(form, caller, connection, transaction, ct);
        var writes = new List<FormWrite>();
        foreach (var id in input.BulkIds.Order()) // one lock order for every bulk update: no deadlocks between them
        {
            var outcome = await UpdateRowAsync(form, caller, id, input, prepared.Value!, validate, locks, connection, transaction, ct);
            if (outcome.Error is { } error)
            {
                return error with { Description = string.Create(CultureInfo.InvariantCulture, $"Row {id}: {error.Description}") };
            }
            writes.Add(outcome.Value!);
        }
        await CommitAsync(writer, writes, ct);
        return input.BulkIds;
    }

    /// <summary>Soft delete. Removing an already removed row changes nothing and succeeds.</summary>
    public async Task<ApiError?> RemoveAsync(FormDefinition form, CurrentUser caller, long id, CancellationToken ct)
    {
        await using var writer = await database.OpenWriterAsync(ct);
        var connection = writer.Connection;
        var transaction = writer.Transaction;
        var locks = await EnterAsync(form, caller, connection, transaction, ct);
        var existing = await RowStatements.LockAsync(database.Dialect, form, caller, id, connection, transaction);
        if (existing is null)
        {
            return ApiError.NoSuch(form.Name);
        }
        if (!existing.IsRemoved && PeriodLockGuard.Refuse(form, caller, existing, locks) is { } locked)
        {
            return locked;
        }
        var write = new FormWrite(form, hooks.For(form), caller, existing, connection, transaction)
        {
            Now = Now(),
            Row = new Dictionary<string, object?>(existing.Values),
            NewStatus = StoredRow.Removed,
        };
        if (!FormPrivileges.CanRemove(form, caller, existing))
        {
            return ApiError.Forbidden($"You may not remove this {form.Name}.");
        }
        if ((write.Hooks.Authorize(write) ?? await write.Hooks.AuthorizeAsync(write, ct)) is { } refused)
        {
            return refused;
        }
        if (!existing.IsRemoved)
        {
            await RowStatements.WriteStatusAsync(write);
            await write.Hooks.WrittenAsync(write, ct);
        }
        await CommitAsync(writer, [write], ct);
        return null;
    }

    private async Task<Outcome<FormWrite>> UpdateRowAsync(
        FormDefinition form, CurrentUser caller, long id, ParsedInput input, IReadOnlyDictionary<string, object?> prepared, bool validate,
        PeriodLockSet locks, DbConnection connection, DbTransaction transaction, CancellationToken ct)
    {
        var existing = await RowStatements.LockAsync(database.Dialect, form, caller, id, connection, transaction);
        if (existing is null)
        {
            return ApiError.NoSuch(form.Name);
        }
        if (PeriodLockGuard.Refuse(form, caller, existing, locks) is { } locked)
        {
            return locked; // restoring a removed row in a locked period too
        }
        var newStatus = input.RowStatus ?? existing.Status;
        if (newStatus != existing.Status && !FormPrivileges.CanRemove(form, caller, existing))
        {
            return ApiError.Forbidden($"You may not {(existing.IsRemoved ? "restore" : "remove")} this {form.Name}.");
        }
        if (input.ChangesRow && existing.IsRemoved && newStatus == StoredRow.Removed)
        {
            return new ApiError(409, "row_removed", $"The {form.Name} is removed; restore it first.");
        }
        if ((input.ChangesRow || newStatus == existing.Status) && !FormPrivileges.CanEdit(form, caller, existing))
        {
            return ApiError.Forbidden($"You may not edit this {form.Name}.");
        }
        var write = new FormWrite(form, hooks.For(form), caller, existing, connection, transaction)
        {
            Now = Now(),
            Changes = new Dictionary<string, object?>(input.Changes),
            WriteOnly = input.WriteOnly,
            Prepared = prepared,
            NewStatus = newStatus,
        };
        foreach (var (key, value) in existing.Values)
        {
            write.Row[key] = value;
        }
        foreach (var (key, value) in write.Changes)
        {
            write.Row[key] = value;
        }
        if (await PrepareAsync(write, input, validate, locks, ct) is { } error)
        {
            return error;
        }
        if (await RowStatements.UpdateColumnsAsync(write) is { } conflict)
        {
            return conflict;
        }
        foreach (var (other, ids) in input.Links)
        {
            await LinkStore.ReplaceAsync(connection, transaction, caller.PartnerId, form, id, other, ids);
        }
        await write.Hooks.WrittenAsync(write, ct);
        return write;
    }

    /// <summary>Privileges (403) first, then a period lock over the row as it would be stored (409), then every value rule at once (400 with all fields).</summary>
    private async Task<ApiError?> PrepareAsync(FormWrite write, ParsedInput input, bool validate, PeriodLockSet locks, CancellationToken ct)
    {
        var form = write.Form;
        if ((FormPrivileges.CheckFields(form, write.Caller, write.Existing, write.Changes, write.Row) ?? write.Hooks.Authorize(write)
            ?? await write.Hooks.AuthorizeAsync(write, ct)) is { } refused)
        {
            return refused;
        }
        if (PeriodLockGuard.RefuseStored(form, write.Row, locks) is { } locked)
        {
            return locked; // created in, or moved into (by date or user), a locked period
        }
        var errors = new Dictionary<string, string>(input.Errors);
        // A field with a default always has a value (a dropdown's state, a level): explicit null or "" cannot unset
        // it, with or without validation=off — the row would fall out of every rule that reads it (docs/forms.md).
        foreach (var field in form.Fields.Where(f => f.Default is not null && write.Changes.TryGetValue(f.Name, out var v) && v is null))
        {
            errors.TryAdd(field.Name, $"may not be empty (leave it out to keep {(write.Existing is null ? "the default" : "its value")})");
        }
        foreach (var field in form.Fields.Where(f => f.Required && validate && (write.Existing is null || write.Sets(f.Name))))
        {
            if (write.Row.GetValueOrDefault(field.Name) is null or "")
            {
                errors.TryAdd(field.Name, "is required");
            }
        }
        await ReferenceChecker.CheckAsync(write, database.Dialect, registry, input.Links, errors);
        write.Hooks.Complete(write, errors);
        await write.Hooks.CheckAsync(write, errors, ct);
        return errors.Count > 0 ? ApiError.Validation(errors) : null;
    }

    /// <summary>For a form closed by period locks: the partner's locks, read after taking their key (docs/forms.md, "Period locks").</summary>
    private Task<PeriodLockSet> EnterAsync(FormDefinition form, CurrentUser caller, DbConnection connection, DbTransaction transaction, CancellationToken ct) =>
        form.PeriodLock is null
            ? Task.FromResult(PeriodLockSet.None)
            : PeriodLocks.EnterSharedAsync(database.Dialect, connection, transaction, caller.PartnerId, ct);

    /// <summary>The form's slow preparations (hashing), before any row is locked.</summary>
    private async Task<Outcome<IReadOnlyDictionary<string, object?>>> BeforeTransactionAsync(
        FormDefinition form, CurrentUser caller, IReadOnlyList<long> targetIds, ParsedInput input, CancellationToken ct)
    {
        var request = new FormWriteRequest(form, caller, targetIds, input.WriteOnly);
        if (await hooks.For(form).BeforeTransactionAsync(request, ct) is { } refused)
        {
            return refused;
        }
        return request.Prepared;
    }

    private static async Task CommitAsync(WriterLease writer, IReadOnlyList<FormWrite> writes, CancellationToken ct)
    {
        await writer.CommitAsync(ct);
        // The next writer may go: the hooks after commit write through their own services (tokens, audit), which
        // would otherwise wait for this very lease.
        await writer.DisposeAsync();
        foreach (var write in writes)
        {
            await write.Hooks.AfterCommitAsync(write, ct);
        }
    }

    private string Now() => time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
