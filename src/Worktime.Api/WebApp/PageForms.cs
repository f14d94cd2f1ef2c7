using System.Text.Json;
using Microsoft.Extensions.Primitives;
using Worktime.Api.Auth;
using Worktime.Api.Forms;
using Worktime.Api.Forms.Definitions;
using Worktime.Api.Http;

namespace Worktime.Api.WebApp;

/// <summary>
/// The forms engine's door (<see cref="FormRows"/>, what the REST routes call) as the page's user: the session's
/// <see cref="CurrentUser"/>, findAll parameters and row bodies exactly as a client sends them. So a page gets the
/// API's privileges, validation, hooks, audit and errors, and the same answer for which rows show edit controls
/// (docs/webapp.md, "Shape").
/// </summary>
internal sealed class PageForms(FormRows rows, FormRegistry registry, CurrentUser caller, IHttpContextAccessor accessor)
{
    /// <summary>The most choices a dropdown lists (ten findAll pages); a partner with more should filter first.</summary>
    public const int MaxChoices = 10 * FormRows.MaxPageRows;

    public CurrentUser Caller => caller;

    public FormDefinition Form(string name) => registry.Get(name);

    private CancellationToken Ct => accessor.HttpContext?.RequestAborted ?? default;

    /// <summary><c>GET /&lt;forms&gt;</c> with these parameters (a null value is left out).</summary>
    public Task<Outcome<FormPage>> FindAllAsync(string form, params (string Name, string? Value)[] parameters) =>
        rows.FindAllAsync(registry.Get(form), caller, Parameters(parameters), Ct);

    /// <summary>
    /// Every row of a findAll (page after page, at most ten pages: a person's week or day holds far fewer), with the
    /// pages' sideloads.
    /// </summary>
    public async Task<Outcome<(List<StoredRow> Rows, List<FormSideload> Sideloads)>> FindEveryAsync(
        string form, params (string Name, string? Value)[] parameters)
    {
        var rowsFound = new List<StoredRow>();
        var sideloads = new List<FormSideload>();
        for (var page = 0; page < 10; page++)
        {
            var found = await FindAllAsync(form, [.. parameters,
                ("limit", Invariant(FormRows.MaxPageRows)), ("offset", Invariant(rowsFound.Count))]);
            if (found.Error is not null)
            {
                return found.Error;
            }
            rowsFound.AddRange(found.Value!.Rows);
            sideloads.AddRange(found.Value.Sideloads);
            if (found.Value.Rows.Count < FormRows.MaxPageRows || rowsFound.Count >= found.Value.Count)
            {
                break;
            }
        }
        return (rowsFound, sideloads);
    }

    /// <summary>Every choice of a reference field (<c>GET /&lt;form&gt;/&lt;field&gt;</c>, page by page), sorted by name.</summary>
    public async Task<List<(long Id, string Text)>> ChoicesAsync(string form, string field, params (string Name, string? Value)[] parameters)
    {
        var source = registry.Get(form);
        var reference = source.Field(field) ?? throw new ArgumentException($"{form} has no field {field}.", nameof(field));
        var choices = new List<(long Id, string Text)>();
        while (choices.Count < MaxChoices)
        {
            var page = await rows.OptionsAsync(source, reference, caller, Parameters([.. parameters,
                ("limit", Invariant(FormRows.MaxPageRows)), ("offset", Invariant(choices.Count))]), Ct);
            if (page.Value is not { } options)
            {
                break;
            }
            choices.AddRange(options.Options.Select(o => (o.Id, o.Text)));
            if (options.Options.Count < FormRows.MaxPageRows || choices.Count >= options.Count)
            {
                break;
            }
        }
        return choices;
    }

    /// <summary><c>GET /&lt;forms&gt;/id</c>: one row with its link sets, or the API's 403/404.</summary>
    public Task<Outcome<FoundRow>> GetAsync(string form, long id) => rows.GetAsync(registry.Get(form), caller, id, Ct);

    /// <summary><c>POST /&lt;forms&gt;</c> with <c>{"form": fields}</c>; answers the new row's id or the API's error.</summary>
    public Task<Outcome<long>> CreateAsync(string form, IReadOnlyDictionary<string, object?> fields) =>
        rows.CreateAsync(registry.Get(form), caller, Body(fields), validate: true, Ct);

    /// <summary><c>PUT /&lt;forms&gt;/id</c>: changes the fields given.</summary>
    public Task<Outcome<long>> UpdateAsync(string form, long id, IReadOnlyDictionary<string, object?> fields) =>
        rows.UpdateAsync(registry.Get(form), caller, id, Body(fields), validate: true, Ct);

    /// <summary><c>DELETE /&lt;forms&gt;/id</c>.</summary>
    public Task<ApiError?> RemoveAsync(string form, long id) => rows.RemoveAsync(registry.Get(form), caller, id, Ct);

    /// <summary>Whether the row shows edit and remove controls: <c>row_info.privilege_edit</c> / <c>privilege_remove</c>.</summary>
    public RowPrivileges Privileges(string form, StoredRow row) => FormRows.Privileges(registry.Get(form), caller, row);

    public bool CanCreate(string form) => FormRows.CanCreate(registry.Get(form), caller);

    private static JsonElement Body(IReadOnlyDictionary<string, object?> fields) => JsonSerializer.SerializeToElement(fields);

    private static IEnumerable<KeyValuePair<string, StringValues>> Parameters((string Name, string? Value)[] parameters) =>
        parameters.Where(p => p.Value is not null).Select(p => KeyValuePair.Create(p.Name, new StringValues(p.Value)));

    private static string Invariant(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
