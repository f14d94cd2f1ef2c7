using System.Globalization;
using Microsoft.AspNetCore.Components;
using Worktime.Api.Forms;
using Worktime.Api.WebApp.Localization;

namespace Worktime.Api.WebApp.Components.Pages;

/// <summary>
/// The period locks page's reads and writes (docs/forms.md, "Period locks"): <c>GET /periodlocks</c> (newest end
/// first), <c>POST /periodlocks</c> to lock (level 3 and up), <c>DELETE /periodlocks/id</c> to unlock (level 4 and up;
/// the button shows only where <c>row_info.privilege_remove</c> would be true). The API's privileges, validation and
/// audit decide; a refusal shows its error and changes nothing.
/// </summary>
public partial class TeamLocks
{
    private const string Form = "periodlock";

    [Inject] private PageForms Forms { get; set; } = default!;

    [Inject] private NavigationManager Navigation { get; set; } = default!;

    [CascadingParameter] private HttpContext Http { get; set; } = default!;

    [SupplyParameterFromForm(FormName = "lock", Name = "Lock")] private LockForm? PostedLock { get; set; }

    [SupplyParameterFromForm(FormName = "locks", Name = "Unlock")] private UnlockForm? PostedUnlock { get; set; }

    private static readonly Dictionary<string, string> FieldIds = new(StringComparer.Ordinal)
    {
        ["enddate"] = "lock-end", ["user"] = "lock-user", ["description"] = "lock-description",
    };

    private bool _canCreate;
    private List<(StoredRow Row, RowPrivileges Can)> _locks = [];
    private List<(long Id, string Text)> _people = [];
    private Dictionary<string, string> _fieldErrors = [];
    private string? _lockError;
    private string? _actionError;
    private StoredRow? _confirming;
    private string? _readError;

    private LockForm Lock => PostedLock ??= new();

    protected override async Task OnInitializedAsync()
    {
        _canCreate = Forms.CanCreate(Form);
        if (!HttpMethods.IsPost(Http.Request.Method))
        {
            await LoadAsync();
        }
    }

    private async Task LoadAsync()
    {
        _people = await Forms.ChoicesAsync(Form, "user");
        var found = await Forms.FindEveryAsync(Form, ("order", "enddate,id"));
        if (found.Error is not null)
        {
            _readError = found.Error.Description;
            return;
        }
        _locks = found.Value.Rows.AsEnumerable().Reverse().Select(r => (r, Forms.Privileges(Form, r))).ToList();
    }

    /// <summary><c>POST /periodlocks</c>; an error stays on the page with nothing saved.</summary>
    private async Task LockAsync()
    {
        var saved = await Forms.CreateAsync(Form, new Dictionary<string, object?>
        {
            ["enddate"] = Blank(Lock.End), ["user"] = Blank(Lock.User), ["description"] = Blank(Lock.Description),
        });
        if (saved.Error is { } error)
        {
            _fieldErrors = (error.Fields ?? new Dictionary<string, string>())
                .Where(f => FieldIds.ContainsKey(f.Key))
                .ToDictionary(f => f.Key, f => FieldMessages.Text(T, f.Value), StringComparer.Ordinal);
            _lockError = _fieldErrors.Count > 0 && _fieldErrors.Count == (error.Fields?.Count ?? 0)
                ? T["Nothing was saved: check the marked fields."]
                : error.Description;
            await LoadAsync();
            return;
        }
        Navigation.NavigateTo(WebPaths.Root + "/team/locks");
    }

    /// <summary><c>DELETE /periodlocks/id</c>: the API refuses below level 4.</summary>
    private async Task UnlockAsync()
    {
        if (long.TryParse(PostedUnlock?.Id, NumberStyles.None, CultureInfo.InvariantCulture, out var asked) && PostedUnlock!.Confirmed != "true")
        {
            // The row's button asks first (docs/webapp.md, "Removing asks first"), and only about a row the API would let go.
            await LoadAsync();
            _confirming = _locks.FirstOrDefault(r => r.Row.Id == asked && r.Can.Remove).Row;
            _actionError = _confirming is null ? T["This row cannot be removed."].Value : null;
            return;
        }
        if (long.TryParse(PostedUnlock?.Id, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            && await Forms.RemoveAsync(Form, id) is { } error)
        {
            _actionError = error.Description;
            await LoadAsync();
            return;
        }
        Navigation.NavigateTo(WebPaths.Root + "/team/locks");
    }

    private string PersonName(long? id) =>
        id is null ? T["Everyone"] : _people.FirstOrDefault(p => p.Id == id).Text is { Length: > 0 } name ? name : "#" + id.Value.ToString(CultureInfo.InvariantCulture);

    private string? FieldError(string field) => _fieldErrors.GetValueOrDefault(field);

    private string? Invalid(string field) => _fieldErrors.ContainsKey(field) ? "true" : null;

    private string? Described(string field) => _fieldErrors.ContainsKey(field) ? FieldIds[field] + "-error" : null;

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;

    internal sealed class UnlockForm
    {
        public string? Id { get; set; }

        /// <summary>"true" from the question's button (docs/webapp.md, "Removing asks first"); the row's own button asks first.</summary>
        public string? Confirmed { get; set; }
    }

    internal sealed class LockForm
    {
        public string? End { get; set; }

        public string? User { get; set; }

        public string? Description { get; set; }
    }
}
