using System.Globalization;
using Microsoft.Extensions.Primitives;
using Worktime.Api.Auth;
using Worktime.Api.Forms;
using Worktime.Api.Forms.Definitions;
using Worktime.Api.Http;

namespace Worktime.Api.Exports;

/// <summary>
/// The worktimes of a report or an export, read through the forms engine's door as the caller (so the rows, the
/// privileges and the errors are those of <c>GET /worktimes</c>), and the names beside their ids as a sideload shows
/// them to the same caller.
/// </summary>
internal sealed class WorktimeSource(FormRows forms)
{
    /// <summary>The reference fields of a worktime an export names, in column order.</summary>
    public static readonly string[] NamedReferences = ["user", "project", "task", "worktype"];

    /// <summary>The caller's worktimes the request matches; <c>customer</c> narrows them to that customer's projects.</summary>
    public async Task<Outcome<FormQuery>> QueryAsync(CurrentUser caller, ExportRequest request, CancellationToken ct)
    {
        var query = forms.Query(BuiltInForms.Worktime, caller, request.Filters);
        if (query.Error is not null)
        {
            return query.Error;
        }
        if (request.Customers is { } customers)
        {
            // Removed projects too: their worktimes still belong to the customer's bill.
            var projects = forms.Query(BuiltInForms.Project, caller, [
                KeyValuePair.Create("customer", new StringValues(string.Join(',', customers.Select(Id)))),
                KeyValuePair.Create("row_info.status", new StringValues("all")),
            ]);
            if (projects.Error is not null)
            {
                return projects.Error;
            }
            var ids = (await forms.ListAsync(projects.Value!, ct)).Select(p => p.Id);
            query.Value!.In("project", ids);
        }
        return query.Value!;
    }

    /// <summary>
    /// The names of the rows <paramref name="field"/> of <paramref name="form"/> references, by id: their display
    /// fields joined by a space, exactly what a sideload shows the caller (removed rows keep their names; ids the
    /// caller's partner does not have are left out).
    /// </summary>
    public async Task<Dictionary<long, string>> NamesAsync(
        FormDefinition form, string field, CurrentUser caller, IReadOnlyCollection<long> ids, CancellationToken ct)
    {
        if (ids.Count == 0)
        {
            return [];
        }
        var loaded = await SideloadAsync(form, field, caller, ids, ct);
        return loaded.Rows.ToDictionary(r => r.Id, r => string.Join(' ', loaded.Fields
            .Select(f => Convert.ToString(r[f.Name], CultureInfo.InvariantCulture))
            .Where(t => !string.IsNullOrWhiteSpace(t))));
    }

    /// <summary>The customer of each project (null: none), as the caller sees the project.</summary>
    public async Task<Dictionary<long, long?>> CustomersOfAsync(CurrentUser caller, IReadOnlyCollection<long> projects, CancellationToken ct)
    {
        if (projects.Count == 0)
        {
            return [];
        }
        var loaded = await SideloadAsync(BuiltInForms.Worktime, "project.customer", caller, projects, ct);
        return loaded.Rows.ToDictionary(r => r.Id, r => r.Long("customer"));
    }

    /// <summary>
    /// Every name an export of <paramref name="query"/> needs, before its rows are streamed: the distinct referenced ids
    /// are summed out of the rows by the database (one grouped query per reference), never collected from the rows.
    /// </summary>
    public async Task<ExportNames> AllNamesAsync(CurrentUser caller, FormQuery query, CancellationToken ct)
    {
        var names = new Dictionary<string, Dictionary<long, string>>(StringComparer.Ordinal);
        Dictionary<long, long?> customerOf = [];
        foreach (var field in NamedReferences)
        {
            var ids = (await forms.SumAsync(query, [field], [], ct)).Select(g => g.KeyLong(field)).OfType<long>().ToList();
            names[field] = await NamesAsync(BuiltInForms.Worktime, field, caller, ids, ct);
            if (field == "project")
            {
                customerOf = await CustomersOfAsync(caller, ids, ct);
            }
        }
        var customers = customerOf.Values.OfType<long>().Distinct().ToList();
        names["customer"] = await NamesAsync(BuiltInForms.Project, "customer", caller, customers, ct);
        return new ExportNames(names, customerOf);
    }

    private async Task<FormSideload> SideloadAsync(
        FormDefinition form, string entry, CurrentUser caller, IReadOnlyCollection<long> ids, CancellationToken ct)
    {
        var request = forms.ParseSideloads(form, caller, [KeyValuePair.Create("sideload[]", entry)]);
        if (request.Error is not null)
        {
            throw new InvalidOperationException($"The sideload {form.Name}.{entry} is refused: {request.Error.Description}");
        }
        var loads = await forms.SideloadsAsync(request.Value!, caller, ids.ToList(), (id, _) => id, ct);
        return loads.Single();
    }

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);
}

/// <summary>The names an export writes beside ids, per reference (<c>user</c>, <c>project</c>, …, <c>customer</c>).</summary>
internal sealed class ExportNames(IReadOnlyDictionary<string, Dictionary<long, string>> names, IReadOnlyDictionary<long, long?> customerOf)
{
    public string? Name(string reference, long? id) =>
        id is { } value && names.TryGetValue(reference, out var byId) && byId.TryGetValue(value, out var name) ? name : null;

    public long? CustomerOf(long? project) => project is { } id ? customerOf.GetValueOrDefault(id) : null;
}
