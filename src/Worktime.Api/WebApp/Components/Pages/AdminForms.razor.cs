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
/// The admin's generic form editor: <c>GET /&lt;forms&gt;?order=…&amp;sideload=true</c> for the list, the options
/// routes for the dropdowns, <c>POST /&lt;forms&gt;</c>, <c>PUT /&lt;forms&gt;/id</c> and <c>DELETE /&lt;forms&gt;/id</c>
/// as the signed-in admin, and on the users page <c>POST /users/id/factors/reset</c>'s own handler. The API's
/// privileges, validation, hooks and audit decide; a refusal shows its error (on its field) and changes nothing.
/// </summary>
public partial class AdminForms
{
    [Parameter] public string Slug { get; set; } = "";

    [SupplyParameterFromQuery(Name = "edit")] private string? EditId { get; set; }

    [SupplyParameterFromQuery(Name = "done")] private string? Done { get; set; }

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
        if (!HttpMethods.IsPost(Http.Request.Method))
        {
            await LoadAsync(openEditor: true);
        }
    }

    /// <summary>The list (every row, page after page), the dropdowns' choices and, with <c>?edit=id</c>, the row to edit.</summary>
    private async Task LoadAsync(bool openEditor)
    {
        foreach (var field in _fields.Where(f => f.Type == FieldType.Database))
        {
            _choices[field.Name] = await Forms.ChoicesAsync(_page!.Form, field.Name);
        }
        var found = await Forms.FindEveryAsync(_page!.Form, ("order", _page.Order), ("sideload", "true"));
        if (found.Error is not null)
        {
            _readError = found.Error.Description;
            return;
        }
        _rows = found.Value.Rows.Select(r => (r, Forms.Privileges(_page.Form, r))).ToList();
        _names = new SideloadNames(found.Value.Sideloads);
        if (openEditor && long.TryParse(EditId, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            && _rows.FirstOrDefault(r => r.Row.Id == id) is { Row: not null, Can.Edit: true } editable)
        {
            _editing = id;
            _values = _fields.ToDictionary(f => f.Name, f => Raw(editable.Row[f.Name]), StringComparer.Ordinal);
        }
        else if (openEditor)
        {
            // A new row starts from the form's defaults (a user's level 1, an absence type paid), as the API would fill them.
            _values = _fields.Where(f => f.Default is not null).ToDictionary(f => f.Name, f => (string?)f.Default, StringComparer.Ordinal);
        }
    }

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
            await LoadAsync(openEditor: false);
            return;
        }
        Navigation.NavigateTo(WebPaths.Root + "/admin/" + _page.Slug + "?done=saved");
    }

    /// <summary>A row's button: <c>remove:id</c> (<c>DELETE /&lt;forms&gt;/id</c>) or, for a user, <c>reset:id</c>.</summary>
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
            var done = action[0] switch
            {
                "remove" => await RemoveAsync(id),
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
            _actionError = error.ErrorDescription;
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
}
