using System.Globalization;
using Microsoft.AspNetCore.Components;
using Worktime.Api.Forms;
using Worktime.Api.WebApp.Localization;
using Worktime.Api.WebApp.Supervisor;

namespace Worktime.Api.WebApp.Components.Pages;

/// <summary>
/// The pending absences of the supervisor's partner and the decisions on them, through the absence form's own
/// update (docs/forms.md, "Absence approval"): accepting is <c>PUT /abcenses/id</c> with <c>status: accepted</c>,
/// rejecting adds <c>status: rejected</c> and the <c>rejection_reason</c> the API requires. The API's privileges,
/// period locks, validation and audit decide; a refusal shows its error and changes nothing.
/// </summary>
public partial class TeamAbsences
{
    private const string Form = "abcense";

    [Inject] private PageForms Forms { get; set; } = default!;

    [Inject] private WebClock Clock { get; set; } = default!;

    [Inject] private NavigationManager Navigation { get; set; } = default!;

    [CascadingParameter] private HttpContext Http { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "done")] private string? DoneQuery { get; set; }

    [SupplyParameterFromForm(FormName = "decisions", Name = "Decision")] private DecisionForm? PostedDecision { get; set; }

    private DateOnly _from;
    private DateOnly _to;
    private List<StoredRow> _rows = [];
    private SideloadNames _names = new([]);
    private Dictionary<long, string> _reasonErrors = [];
    private string? _notice;
    private string? _error;

    private DecisionForm Decision => PostedDecision ??= new();

    protected override async Task OnInitializedAsync()
    {
        // Requests are made ahead and sometimes late: last year's start to the end of next year covers them
        // (docs/webapp.md, "Supervisor pages").
        _from = new DateOnly(Clock.Today.Year - 1, 1, 1);
        _to = new DateOnly(Clock.Today.Year + 1, 12, 31);
        _notice = DoneQuery switch
        {
            "accepted" => T["The absence was accepted."].Value,
            "rejected" => T["The absence was rejected."].Value,
            _ => null,
        };
        if (!HttpMethods.IsPost(Http.Request.Method))
        {
            await LoadAsync();
        }
    }

    private async Task LoadAsync()
    {
        var found = await Forms.FindEveryAsync(Form, ("requires_approval", "1"), ("status", "open"),
            ("startdate", Formats.Iso(_from) + "_" + Formats.Iso(_to)), ("order", "startdate,id"), ("sideload", "true"));
        if (found.Error is not null)
        {
            _error = found.Error.Description;
            return;
        }
        _rows = found.Value.Rows;
        _names = new SideloadNames(found.Value.Sideloads);
    }

    /// <summary>Accept (<c>status: accepted</c>) or reject (<c>status: rejected</c> with the row's reason) one absence.</summary>
    private async Task DecideAsync()
    {
        var action = Decision.Action ?? "";
        var (verb, idText) = action.IndexOf(':', StringComparison.Ordinal) is var colon and > 0 ? (action[..colon], action[(colon + 1)..]) : ("", "");
        if (!long.TryParse(idText, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || verb is not ("accept" or "reject"))
        {
            _error = T["Choose Accept or Reject on a row."];
            await LoadAsync();
            return;
        }
        var fields = new Dictionary<string, object?> { ["status"] = verb == "accept" ? "accepted" : "rejected" };
        if (verb == "reject")
        {
            fields["rejection_reason"] = Decision.Reasons.GetValueOrDefault(idText) is { } reason && !string.IsNullOrWhiteSpace(reason) ? reason.Trim() : null;
        }
        var saved = await Forms.UpdateAsync(Form, id, fields);
        if (saved.Error is { } error)
        {
            if (error.Fields?.TryGetValue("rejection_reason", out var message) == true)
            {
                _reasonErrors[id] = FieldMessages.Text(T, message);
                _error = T["Nothing was saved: check the marked fields."];
            }
            else
            {
                _error = error.Description;
            }
            await LoadAsync();
            return;
        }
        Navigation.NavigateTo(WebPaths.Root + "/team/absences?done=" + (verb == "accept" ? "accepted" : "rejected"));
    }

    private string Name(string form, long? id) => _names.Of(form, id);

    internal sealed class DecisionForm
    {
        public string? Action { get; set; }

        /// <summary>The reason typed on each row, by the absence's id (<c>Decision.Reasons[id]</c>).</summary>
        public Dictionary<string, string> Reasons { get; set; } = new(StringComparer.Ordinal);
    }
}
