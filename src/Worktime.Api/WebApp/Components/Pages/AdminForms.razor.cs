using System.Globalization;
using Microsoft.AspNetCore.Components;
using Worktime.Api.Accounts;
using Worktime.Api.Forms;
using Worktime.Api.Forms.Definitions;
using Worktime.Api.TwoFactor;
using Worktime.Api.WebApp.Admin;
using Worktime.Api.WebApp.Components.Shared;
using Worktime.Api.WebApp.Localization;
using Worktime.Api.WebApp.Supervisor;

namespace Worktime.Api.WebApp.Components.Pages;

/// <summary>
/// The admin's generic form editor: <c>GET /&lt;forms&gt;?order=…&amp;sideload=true&amp;limit=…&amp;offset=…</c> for
/// the list (a page of the engine's limit, "Previous page" / "Next page"), <c>GET /&lt;forms&gt;/id</c> for the row to
/// edit with its link sets, the options routes for the dropdowns, the linked form's rows for the link boxes,
/// <c>POST /&lt;forms&gt;</c>, <c>PUT /&lt;forms&gt;/id</c> and <c>DELETE /&lt;forms&gt;/id</c> (after a confirming
/// second post) as the signed-in admin, and on the users page <c>POST /users/id/factors/reset</c>'s own handler. The
/// API's privileges, validation, hooks and audit decide; a refusal shows its error (on its field) and changes nothing.
/// </summary>
public partial class AdminForms
{
    [Parameter] public string Slug { get; set; } = "";

    [SupplyParameterFromQuery(Name = "edit")] private string? EditId { get; set; }

    [SupplyParameterFromQuery(Name = "done")] private string? Done { get; set; }

    [SupplyParameterFromQuery(Name = "offset")] private string? OffsetQuery { get; set; }

    [Inject] private PageForms Forms { get; set; } = default!;

    [Inject] private NavigationManager Navigation { get; set; } = default!;

    [Inject] private SecondFactors Factors { get; set; } = default!;

    [Inject] private UserStore Users { get; set; } = default!;

    [CascadingParameter] private HttpContext Http { get; set; } = default!;

    private AdminForm? _page;
    private FormDefinition _form = default!;
    private List<FieldDefinition> _fields = [];
    private bool _canCreate;
    private long? _editing;
    private List<(StoredRow Row, RowPrivileges Can)> _rows = [];
    private SideloadNames _names = new([]);
    private readonly Dictionary<string, List<(long Id, string Text)>> _choices = new(StringComparer.Ordinal);
    private Dictionary<string, string?> _values = new(StringComparer.Ordinal);
    private Dictionary<string, string> _fieldErrors = [];
    private string? _formError;
    private string? _actionError;
    private string? _readError;
    private int _offset;
    private long _total;
    private StoredRow? _confirming;
    private List<LinkBoxes> _links = [];

    /// <summary>The boxes of one link set (a project's tasks): every live row of the linked form, and the ticked ones.</summary>
    private sealed record LinkBoxes(string Key, List<(long Id, string Text)> Choices, HashSet<long> Linked);

    /// <summary>The admin's own row on the users page: its password is changed on the profile page, with the current one.</summary>
    private bool EditingSelf => _page?.Form == "user" && _editing == Forms.Caller.UserId;

    private string Title => _page is null ? "" : T[AdminNav.Links.First(l => l.Href == "admin/" + _page.Slug).Text];

    private string? Notice => Done switch
    {
        "saved" => T["Saved."].Value,
        "removed" => T["Removed."].Value,
        "reset" => T["The second factors were reset: the next sign-in asks for the password only."].Value,
        "reset-none" => T["That person had no second factor to reset."].Value,
        _ => null,
    };

    protected override async Task OnInitializedAsync()
    {
        _page = AdminCatalog.Find(Slug);
        if (_page is null)
        {
            Http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        _form = Forms.Form(_page.Form);
        _fields = AdminCatalog.EditedFields(_form).ToList();
        _canCreate = Forms.CanCreate(_page.Form);
        _offset = int.TryParse(OffsetQuery, NumberStyles.None, CultureInfo.InvariantCulture, out var offset) ? offset : 0;
        if (!HttpMethods.IsPost(Http.Request.Method))
        {
            await LoadAsync(openEditor: true);
        }
    }

    /// <summary>
    /// The list's page (<c>?offset=</c>), the dropdowns' and link boxes' choices and, with <c>?edit=id</c>, the row to
    /// edit (<c>GET /&lt;forms&gt;/id</c>, so a row of any page opens, with its link sets).
    /// </summary>
    private async Task LoadAsync(bool openEditor)
    {
        foreach (var field in _fields.Where(f => f.Type == FieldType.Database))
        {
            _choices[field.Name] = await Forms.ChoicesAsync(_page!.Form, field.Name);
        }
        await LoadLinkChoicesAsync();
        var found = await Forms.FindAllAsync(_page!.Form, ("order", _page.Order), ("sideload", "true"),
            ("limit", Invariant(FormRows.MaxPageRows)), ("offset", Invariant(_offset)));
        if (found.Error is not null)
        {
            _readError = found.Error.Description;
            return;
        }
        _rows = found.Value!.Rows.Select(r => (r, Forms.Privileges(_page.Form, r))).ToList();
        _total = found.Value.Count;
        _names = new SideloadNames(found.Value.Sideloads);
        if (openEditor && long.TryParse(EditId, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            && await Forms.GetAsync(_page.Form, id) is { Value: { } editable } && Forms.Privileges(_page.Form, editable.Row).Edit)
        {
            _editing = id;
            _values = _fields.ToDictionary(f => f.Name, f => Raw(editable.Row[f.Name]), StringComparer.Ordinal);
            foreach (var boxes in _links)
            {
                var other = _form.Links.Select(Forms.Form).Single(o => Naming.LinkKey(o) == boxes.Key);
                boxes.Linked.UnionWith(editable.Links.GetValueOrDefault(other) ?? []);
            }
        }
        else if (openEditor)
        {
            // A new row starts from the form's defaults (a user's level 1, an absence type paid), as the API would fill them.
            _values = _fields.Where(f => f.Default is not null).ToDictionary(f => f.Name, f => (string?)f.Default, StringComparer.Ordinal);
        }
    }

    /// <summary>
    /// The rows a link set may hold (<c>GET /tasks?order=name,id</c> for a project's <c>link.tasks</c>), as the API
    /// lists them to the admin; a set is written whole (<c>link.tasks: [ids]</c>), as docs/forms.md describes.
    /// </summary>
    private async Task LoadLinkChoicesAsync()
    {
        _links = [];
        foreach (var other in _form.Links.Select(Forms.Form))
        {
            var order = AdminCatalog.All.FirstOrDefault(a => a.Form == other.Name)?.Order ?? "id";
            var found = await Forms.FindEveryAsync(other.Name, ("order", order));
            var choices = (found.Value.Rows ?? []).Select(r => (r.Id, LinkText(r))).ToList();
            _links.Add(new LinkBoxes(Naming.LinkKey(other), choices, []));
        }
    }

    /// <summary>A linked row's name in its box: "number name" when it has a number (tasks and projects do).</summary>
    private static string LinkText(StoredRow row) =>
        string.Join(" ", new[] { row.Text("number"), row.Text("name") }.Where(t => !string.IsNullOrWhiteSpace(t))) is { Length: > 0 } text
            ? text
            : "#" + row.Id.ToString(CultureInfo.InvariantCulture);

    /// <summary><c>POST /&lt;forms&gt;</c> or <c>PUT /&lt;forms&gt;/id</c> with the editor's fields.</summary>
    private async Task SaveAsync()
    {
        if (_page is null)
        {
            return;
        }
        var posted = await Http.Request.ReadFormAsync(Http.RequestAborted);
        long? id = long.TryParse(posted["Id"], NumberStyles.None, CultureInfo.InvariantCulture, out var existing) ? existing : null;
        var body = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var field in _fields)
        {
            var text = posted["f." + field.Name].ToString();
            if (field.Type == FieldType.Checkbox)
            {
                // An unticked box posts nothing: the editor always shows every box, so absent means false.
                body[field.Name] = text == "true";
                _values[field.Name] = text == "true" ? "true" : "false";
            }
            else if (field.WriteOnly)
            {
                // A password is sent only when typed (empty: unchanged) and never shown again.
                if (text.Length > 0)
                {
                    body[field.Name] = text;
                }
            }
            else
            {
                body[field.Name] = string.IsNullOrWhiteSpace(text) ? null : text;
                _values[field.Name] = text;
            }
        }
        await LoadLinkChoicesAsync();
        foreach (var boxes in _links)
        {
            // The editor shows every choice, so an unticked box means "not linked"; a link to a row the boxes do not
            // list (past the choices' cap, or one the admin cannot see) is kept as it was.
            var ticked = posted["l." + boxes.Key].Select(v => long.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var linked) ? linked : 0)
                .Where(linked => boxes.Choices.Any(c => c.Id == linked)).ToHashSet();
            if (id is { } existingId && await Forms.GetAsync(_page.Form, existingId) is { Value: { } current })
            {
                var other = _form.Links.Select(Forms.Form).Single(o => Naming.LinkKey(o) == boxes.Key);
                ticked.UnionWith((current.Links.GetValueOrDefault(other) ?? []).Where(linked => boxes.Choices.All(c => c.Id != linked)));
            }
            body[boxes.Key] = ticked.Order().ToList();
            boxes.Linked.UnionWith(ticked);
        }
        var saved = id is { } rowId ? await Forms.UpdateAsync(_page.Form, rowId, body) : await Forms.CreateAsync(_page.Form, body);
        if (saved.Error is { } error)
        {
            _editing = id;
            var fields = error.Fields ?? new Dictionary<string, string>();
            _fieldErrors = fields.Where(f => _fields.Any(e => e.Name == f.Key))
                .ToDictionary(f => f.Key, f => FieldMessages.Text(T, f.Value), StringComparer.Ordinal);
            _formError = _fieldErrors.Count > 0 && _fieldErrors.Count == fields.Count
                ? T["Nothing was saved: check the marked fields."]
                : error.Description;
            var links = _links;
            await LoadAsync(openEditor: false);
            _links = links; // what was ticked stays ticked
            return;
        }
        Navigation.NavigateTo(WebPaths.Root + "/admin/" + _page.Slug + "?done=saved");
    }

    /// <summary>
    /// A row's button: <c>remove:id</c> asks "Remove …?" (docs/webapp.md, "Removing asks first") and the question's
    /// <c>confirmed-remove:id</c> is <c>DELETE /&lt;forms&gt;/id</c>; or, for a user, <c>reset:id</c>.
    /// </summary>
    private async Task ActAsync()
    {
        if (_page is null)
        {
            return;
        }
        var posted = await Http.Request.ReadFormAsync(Http.RequestAborted);
        var action = posted["Action"].ToString().Split(':', 2);
        if (action.Length == 2 && long.TryParse(action[1], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            if (action[0] == "remove")
            {
                await AskAsync(id);
                return;
            }
            var done = action[0] switch
            {
                "confirmed-remove" => await RemoveAsync(id),
                "reset" when _page.Form == "user" => await ResetFactorsAsync(id),
                _ => null,
            };
            if (done is null)
            {
                await LoadAsync(openEditor: false);
                return;
            }
            Navigation.NavigateTo(WebPaths.Root + "/admin/" + _page.Slug + "?done=" + done);
            return;
        }
        Navigation.NavigateTo(WebPaths.Root + "/admin/" + _page.Slug);
    }

    /// <summary>The question before a removal: only for a row the API would let the admin remove.</summary>
    private async Task AskAsync(long id)
    {
        await LoadAsync(openEditor: false);
        var row = _rows.FirstOrDefault(r => r.Row.Id == id).Row;
        if (row is null && await Forms.GetAsync(_page!.Form, id) is { Value: { } found })
        {
            row = found.Row;
        }
        if (row is null || !Forms.Privileges(_page!.Form, row).Remove)
        {
            _actionError = T["This row cannot be removed."];
            return;
        }
        _confirming = row;
    }

    private async Task<string?> RemoveAsync(long id)
    {
        if (await Forms.RemoveAsync(_page!.Form, id) is { } error)
        {
            _actionError = error.Description;
            return null;
        }
        return "removed";
    }

    /// <summary>The very handler of <c>POST /users/{id}/factors/reset</c> (level 5, same partner, audited).</summary>
    private async Task<string?> ResetFactorsAsync(long id)
    {
        var answer = await SecondFactorEndpoints.ResetAsync(id.ToString(CultureInfo.InvariantCulture), Forms.Caller, Factors, Users, Http.RequestAborted);
        var (reset, error, _) = ApiAnswer.Read<ResetBody>(answer);
        if (error is not null)
        {
            _actionError = error.Description;
            return null;
        }
        return reset!.WasOn ? "reset" : "reset-none";
    }

    private List<(long Id, string Text)> Choices(string field) => _choices.GetValueOrDefault(field) ?? [];

    /// <summary>What a list cell shows: names for references, dates and durations in the person's language.</summary>
    private string Cell(StoredRow row, string column)
    {
        var field = _form.Field(column);
        if (field is null || row[column] is null)
        {
            return "";
        }
        return field.Type switch
        {
            FieldType.Database => _names.Of(field.Target!, row.Long(column)),
            FieldType.Date => row.Date(column) is { } date ? Formats.Date(date) : "",
            FieldType.Minutes => Formats.Duration(row.Long(column)!.Value),
            FieldType.Checkbox => row.Flag(column) == true ? T["Yes"] : T["No"],
            FieldType.Dropdown => AdminTexts.Option(T, row.Text(column) ?? ""),
            FieldType.Number => Convert.ToString(row[column], CultureInfo.CurrentCulture) ?? "",
            _ => Convert.ToString(row[column], CultureInfo.InvariantCulture) ?? "",
        };
    }

    /// <summary>How a row is named in its buttons' accessible names: a person's name, else its first two columns.</summary>
    private string RowName(StoredRow row) => _page!.Form == "user"
        ? SideloadNames.Person(row)
        : string.Join(", ", _page.Columns.Take(2).Select(c => Cell(row, c)).Where(t => t.Length > 0)) is { Length: > 0 } name
            ? name
            : "#" + row.Id.ToString(CultureInfo.InvariantCulture);

    /// <summary>A stored value as the editor's field holds it (invariant: numbers with a dot, dates ISO).</summary>
    private static string? Raw(object? value) => value switch
    {
        null => null,
        bool flag => flag ? "true" : "false",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    private static string InputType(FieldDefinition field) => field switch
    {
        { WriteOnly: true } => "password",
        { Type: FieldType.Number or FieldType.Minutes } => "number",
        { Type: FieldType.Date } => "date",
        { Type: FieldType.Time } => "time",
        _ => "text",
    };

    private static string? Step(FieldDefinition field) => field.Type switch
    {
        FieldType.Minutes => "1",
        FieldType.Number => field.Integer ? "1" : "any",
        _ => null,
    };

    private string? FieldError(string field) => _fieldErrors.GetValueOrDefault(field);

    private string? Invalid(string field) => _fieldErrors.ContainsKey(field) ? "true" : null;

    private string? Described(string field) => _fieldErrors.ContainsKey(field) ? "f-" + field + "-error" : null;

    private static string Format(string pattern, string value) => string.Format(CultureInfo.CurrentCulture, pattern, value);

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The list's page in a link (<c>?offset=</c>), empty for the first.</summary>
    private static string PageQuery(int offset) => offset > 0 ? "?offset=" + Invariant(offset) : "";

    /// <summary>"Rows 101–200 of 1,234" under a list longer than a page.</summary>
    private string PageText => string.Format(CultureInfo.CurrentCulture, T["Rows {0}–{1} of {2}"],
        _offset + 1, _offset + _rows.Count, _total);
}
