using System.Text.Json;
using Microsoft.Extensions.Primitives;
using Worktime.Api.Auth;
using Worktime.Api.Forms.Access;
using Worktime.Api.Forms.Definitions;
using Worktime.Api.Forms.Query;
using Worktime.Api.Forms.Rows;
using Worktime.Api.Forms.Writes;
using Worktime.Api.Http;

namespace Worktime.Api.Forms;

/// <summary>
/// The forms engine's door (docs/architecture.md, "The forms engine's door"): everything another part of the server
/// does with form rows goes through here and <see cref="Definitions"/>. The REST routes of <c>Forms/Endpoints</c> are
/// one user of it, so a page, a report or a command that calls the same method gets the same privileges, validation,
/// hooks and audit as the API — nothing here knows about HTTP.
/// <para>As a caller (<see cref="CurrentUser"/>): <see cref="FindAllAsync"/>, <see cref="GetAsync"/>,
/// <see cref="OptionsAsync"/>, <see cref="CreateAsync"/>, <see cref="UpdateAsync"/>, <see cref="BulkUpdateAsync"/>,
/// <see cref="RemoveAsync"/>, <see cref="Privileges"/>. Beyond a page (this file's second part, FormRows.Queries.cs):
/// <see cref="Query"/> / <see cref="PartnerQuery"/>, then <see cref="ListAsync"/>, <see cref="StreamAsync"/>,
/// <see cref="SumAsync"/>, <see cref="CountPerMonthAsync"/>.</para>
/// Expected failures are values (<see cref="ApiError"/>), never exceptions.
/// </summary>
internal sealed partial class FormRows(FormReader reader, FormWriter writer, FormRegistry registry, TimeProvider time)
{
    /// <summary>The most rows one findAll page holds (a larger <c>limit</c> is clamped to it).</summary>
    public const int MaxPageRows = QueryCompiler.MaxLimit;

    /// <summary>findAll: the parameters of <c>GET /&lt;forms&gt;</c> (docs/forms.md), the caller's read scope applied.</summary>
    public async Task<Outcome<FormPage>> FindAllAsync(
        FormDefinition form, CurrentUser caller, IEnumerable<KeyValuePair<string, StringValues>> parameters, CancellationToken ct)
    {
        var compiled = QueryCompiler.Compile(form, parameters, caller, registry, reader.Dialect, Today());
        if (compiled.Error is not null)
        {
            return compiled.Error;
        }
        var result = await reader.FindAllAsync(compiled.Value!, caller.PartnerId, ct);
        var sideloads = new List<FormSideload>(result.Sideloads.Count);
        foreach (var (target, (display, rows)) in result.Sideloads)
        {
            // The parser already refused fields the caller may not read; this keeps every writer honest too.
            var fields = display.Select(d => target.Field(d)!).Where(f => FormPrivileges.CanReadReferenced(target, caller, f.Name)).ToList();
            sideloads.Add(new FormSideload(target, fields, rows));
        }
        return new FormPage(result.Rows, result.Count, sideloads) { Locks = result.Locks };
    }

    /// <summary>
    /// The choices of a reference field of <paramref name="source"/>: the target's findAll filters plus filters named
    /// after the source's fields (a field that cannot narrow the target is ignored), sorted by display fields.
    /// </summary>
    public async Task<Outcome<FormOptions>> OptionsAsync(
        FormDefinition source, FieldDefinition field, CurrentUser caller, IEnumerable<KeyValuePair<string, StringValues>> parameters,
        CancellationToken ct)
    {
        var target = registry.Get(field.Target!);
        var list = parameters.ToList();
        if (QueryLimits.CheckParameterCount(list.Count) is { } tooMany)
        {
            return tooMany;
        }
        var compiler = new QueryCompiler(target, caller, registry, reader.Dialect, Today());
        foreach (var (key, values) in list)
        {
            // Clients send the row they are editing (otta-cli: /worktime/worktypes?user=5), as against the live API.
            var error = compiler.Understands(key)
                ? compiler.Apply(key, values)
                : source.Field(key) is { } sourceField
                    ? compiler.ApplySourceField(key, sourceField, values)
                    : ApiError.InvalidFilter(key, $"is neither a filter of {target.Plural} nor a field of {source.Name}");
            if (error is not null)
            {
                return error;
            }
        }
        var byDisplay = target.DisplayFields.Select(d => (target.Field(d)!.Column!, false)).ToList();
        var compiled = compiler.Build(listing: false, byDisplay) with { Sideload = SideloadPlan.None };
        var result = await reader.FindAllAsync(compiled, caller.PartnerId, ct);
        var options = result.Rows.Select(row => new FormOption(row.Id, string.Join(' ', target.DisplayFields
                .Select(d => Convert.ToString(row[d], System.Globalization.CultureInfo.InvariantCulture))
                .Where(t => !string.IsNullOrEmpty(t)))))
            .ToList();
        return new FormOptions(options, result.Count);
    }

    /// <summary>One row of the caller's partner (removed ones too) with its links: 404 when absent, 403 when not theirs to read.</summary>
    public async Task<Outcome<FoundRow>> GetAsync(FormDefinition form, CurrentUser caller, long id, CancellationToken ct)
    {
        if (await reader.GetAsync(form, caller.PartnerId, id, ct) is not { } found)
        {
            return ApiError.NoSuch(form.Name);
        }
        return FormPrivileges.CanRead(form, caller, found.Row)
            ? new FoundRow(found.Row, found.Links) { Locks = await reader.PeriodLocksAsync(form, caller.PartnerId, [found.Row], ct) }
            : ApiError.Forbidden($"You may not read this {form.Name}.");
    }

    /// <summary>Rows of the caller's partner by id, in id order, leaving out what the caller may not read.</summary>
    public async Task<List<StoredRow>> GetManyAsync(FormDefinition form, CurrentUser caller, IReadOnlyList<long> ids, CancellationToken ct)
    {
        var rows = await reader.GetManyAsync(form, caller.PartnerId, ids, ct);
        rows.RemoveAll(row => !FormPrivileges.CanRead(form, caller, row));
        return rows;
    }

    /// <summary>
    /// Creates a row from <c>{"field": value, …}</c> (client values: JSON numbers, strings, booleans, as in a request
    /// body; <c>link.&lt;forms&gt;</c> for links). <paramref name="validate"/> false skips required-field rules only.
    /// </summary>
    public Task<Outcome<long>> CreateAsync(FormDefinition form, CurrentUser caller, JsonElement fields, bool validate, CancellationToken ct) =>
        writer.CreateAsync(form, caller, fields, validate, ct);

    /// <summary>Changes the fields given (a partial update); <c>row_info.status</c> removes or restores.</summary>
    public Task<Outcome<long>> UpdateAsync(FormDefinition form, CurrentUser caller, long id, JsonElement fields, bool validate, CancellationToken ct) =>
        writer.UpdateAsync(form, caller, id, fields, validate, ct);

    /// <summary>The same fields on every row listed in <c>id</c> (<c>"1,2,3"</c>), all or nothing; answers the ids.</summary>
    public Task<Outcome<IReadOnlyList<long>>> BulkUpdateAsync(FormDefinition form, CurrentUser caller, JsonElement fields, bool validate, CancellationToken ct) =>
        writer.BulkUpdateAsync(form, caller, fields, validate, ct);

    /// <summary>Soft delete; removing a removed row changes nothing and succeeds.</summary>
    public Task<ApiError?> RemoveAsync(FormDefinition form, CurrentUser caller, long id, CancellationToken ct) =>
        writer.RemoveAsync(form, caller, id, ct);

    /// <summary>Whether the caller may create rows of the form at all (their own, for a worker).</summary>
    public static bool CanCreate(FormDefinition form, CurrentUser caller) => FormPrivileges.CanCreate(form, caller);

    /// <summary>
    /// What the caller may do with the row: the same answer the API gives in <c>row_info</c> and enforces on writes.
    /// Pass the <c>Locks</c> the row came with (<see cref="FormPage"/>, <see cref="FoundRow"/>): a row a period lock
    /// covers can be neither edited nor removed by anyone.
    /// </summary>
    public static RowPrivileges Privileges(FormDefinition form, CurrentUser caller, StoredRow row, PeriodLockSet? locks = null) =>
        FormPrivileges.IsLocked(form, row, locks)
            ? new(false, false)
            : new(!row.IsRemoved && FormPrivileges.CanEdit(form, caller, row), FormPrivileges.CanRemove(form, caller, row));

    /// <summary>Parses <c>sideload</c> parameters for <paramref name="form"/>'s references, refusing fields the caller may not read.</summary>
    public Outcome<FormSideloadRequest> ParseSideloads(FormDefinition form, CurrentUser caller, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var plan = new Dictionary<FieldDefinition, List<string>>();
        foreach (var (key, value) in parameters)
        {
            if (SideloadParser.Add(form, registry, caller, plan, key, value) is { } error)
            {
                return error;
            }
        }
        return new FormSideloadRequest(form, plan);
    }

    /// <summary>
    /// The rows findAll would sideload for <paramref name="rows"/> (any rows that carry references of the request's
    /// form: <paramref name="reference"/> answers a row's value of a reference field): one entry per target form in
    /// the order of the form's fields, each with its rows in order of first appearance (an entry may be empty).
    /// </summary>
    public async Task<IReadOnlyList<FormSideload>> SideloadsAsync<T>(
        FormSideloadRequest request, CurrentUser caller, IReadOnlyList<T> rows, Func<T, string, long?> reference, CancellationToken ct)
    {
        var form = request.Form;
        var result = new List<FormSideload>();
        var planned = request.Plan.OrderBy(p => form.Fields.ToList().IndexOf(p.Key));
        foreach (var group in planned.GroupBy(p => registry.Get(p.Key.Target!)))
        {
            var target = group.Key;
            var fields = target.Fields.Where(f => group.Any(p => p.Value.Contains(f.Name)) && FormPrivileges.CanReadReferenced(target, caller, f.Name)).ToList();
            var ids = rows.SelectMany(r => group.Select(p => reference(r, p.Key.Name))).OfType<long>().Distinct().ToList();
            var found = ids.Count == 0 ? [] : (await reader.GetManyAsync(target, caller.PartnerId, ids, ct)).ToDictionary(r => r.Id);
            result.Add(new FormSideload(target, fields, ids.Where(found.ContainsKey).Select(id => found[id]).ToList()));
        }
        return result;
    }

    private DateOnly Today() => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
}
