using System.Globalization;
using Microsoft.AspNetCore.Components;
using Worktime.Api.CalendarFeeds;
using Worktime.Api.Forms;
using Worktime.Api.TimeAccounting;
using Worktime.Api.WebApp.Localization;

namespace Worktime.Api.WebApp.Components.Pages;

/// <summary>
/// The absences page's reads and writes: <c>GET /abcenses</c> of the person's year, <c>POST /abcenses</c> to request,
/// <c>DELETE /abcenses/id</c> to cancel, <c>GET /ttapi/workdayCalendar/workdayDays</c> for the year's named days off.
/// The API decides what may be requested and cancelled (an accepted or locked absence cannot be), and the page shows
/// a cancel button only where the API's privilege answer allows it.
/// </summary>
public partial class Absences
{
    private const string Form = "abcense";

    [Inject] private PageForms Forms { get; set; } = default!;

    [Inject] private TimeAccountingApi Accounting { get; set; } = default!;

    [Inject] private CalendarFeedsApi Feeds { get; set; } = default!;

    [Inject] private WebClock Clock { get; set; } = default!;

    [Inject] private NavigationManager Navigation { get; set; } = default!;

    [CascadingParameter] private HttpContext Http { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "year")] private int? YearQuery { get; set; }

    [SupplyParameterFromForm(FormName = "request", Name = "Request")] private RequestForm? PostedRequest { get; set; }

    [SupplyParameterFromForm(FormName = "absences", Name = "Cancel")] private CancelForm? PostedCancel { get; set; }

    private static readonly Dictionary<string, string> FieldIds = new(StringComparer.Ordinal)
    {
        ["abcensetype"] = "absence-type", ["startdate"] = "absence-start", ["enddate"] = "absence-end",
        ["absence_hours"] = "absence-hours", ["description"] = "absence-description",
    };

    private int _year;
    private bool _canCreate;
    private List<(StoredRow Row, RowPrivileges Can)> _rows = [];
    private List<(long Id, string Text)> _types = [];
    private List<(DateOnly Date, string Name)> _daysOff = [];
    private Dictionary<string, string> _fieldErrors = [];
    private string? _requestError;
    private string? _actionError;
    private StoredRow? _confirming;
    private string? _readError;
    private string? _feedUrl;
    private string? _feedError;

    private RequestForm Request => PostedRequest ??= new();

    private CancellationToken Ct => Http.RequestAborted;

    protected override async Task OnInitializedAsync()
    {
        _year = YearQuery is >= 2000 and <= 2100 ? YearQuery.Value : Clock.Today.Year;
        _canCreate = Forms.CanCreate(Form);
        if (!HttpMethods.IsPost(Http.Request.Method))
        {
            await LoadAsync();
        }
    }

    private async Task LoadAsync()
    {
        var me = Forms.Caller.UserId.ToString(CultureInfo.InvariantCulture);
        var range = Formats.Iso(new DateOnly(_year, 1, 1)) + "_" + Formats.Iso(new DateOnly(_year, 12, 31));
        _types = await Forms.ChoicesAsync(Form, "abcensetype");
        var found = await Forms.FindEveryAsync(Form, ("user", me), ("startdate", range), ("order", "startdate,id"));
        if (found.Error is not null)
        {
            _readError = found.Error.Description;
        }
        else
        {
            _rows = found.Value.Rows.Select(r => (r, Forms.Privileges(Form, r))).ToList();
        }
        // The caller's own calendar; a user without a worktime group has no named days (the API's 400).
        var calendar = ApiAnswer.Read<WorkdayDaysResponse>(await Accounting.WorkdayDaysAsync(ApiAnswer.Query(("date", range)), Ct));
        _daysOff = calendar.Value?.WorkdayDays.Where(d => d.ExpectedMinutes == 0 && !string.IsNullOrEmpty(d.Name))
            .Select(d => (Formats.ParseIso(d.Date)!.Value, d.Name!)).ToList() ?? [];
    }

    /// <summary><c>POST /abcenses</c> for the signed-in user; an error stays on the page with nothing saved.</summary>
    private async Task RequestAsync()
    {
        var r = Request;
        var saved = await Forms.CreateAsync(Form, new Dictionary<string, object?>
        {
            ["user"] = Forms.Caller.UserId, ["abcensetype"] = Blank(r.Type), ["startdate"] = Blank(r.Start), ["enddate"] = Blank(r.End),
            ["absence_hours"] = Blank(r.Hours), ["description"] = Blank(r.Description),
        });
        if (saved.Error is { } error)
        {
            _fieldErrors = (error.Fields ?? new Dictionary<string, string>())
                .Where(f => FieldIds.ContainsKey(f.Key))
                .ToDictionary(f => f.Key, f => FieldMessages.Text(T, f.Value), StringComparer.Ordinal);
            _requestError = _fieldErrors.Count > 0 && _fieldErrors.Count == (error.Fields?.Count ?? 0)
                ? T["Nothing was saved: check the marked fields."]
                : error.Description;
            await LoadAsync();
            return;
        }
        var year = Formats.ParseIso(r.Start)?.Year ?? _year;
        Navigation.NavigateTo(WebPaths.Root + "/" + Link(year));
    }

    /// <summary><c>DELETE /abcenses/id</c>: the API refuses what the person may not cancel.</summary>
    private async Task CancelAsync()
    {
        if (long.TryParse(PostedCancel?.Id, NumberStyles.None, CultureInfo.InvariantCulture, out var asked) && PostedCancel!.Confirmed != "true")
        {
            // The row's button asks first (docs/webapp.md, "Removing asks first"), and only about a row the API would let go.
            await LoadAsync();
            _confirming = _rows.FirstOrDefault(r => r.Row.Id == asked && r.Can.Remove).Row;
            _actionError = _confirming is null ? T["This row cannot be removed."].Value : null;
            return;
        }
        if (long.TryParse(PostedCancel?.Id, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            && await Forms.RemoveAsync(Form, id) is { } error)
        {
            _actionError = error.Description;
            await LoadAsync();
            return;
        }
        Navigation.NavigateTo(WebPaths.Root + "/" + Link(_year));
    }

    /// <summary><c>POST /calendarfeeds</c> with kind <c>own</c>: the link is shown once, as the API shows it once.</summary>
    private async Task CreateFeedAsync()
    {
        var created = ApiAnswer.Read<CalendarFeedEnvelope>(await Feeds.CreateAsync(CalendarFeedKinds.Own, Ct));
        _feedUrl = created.Value?.Calendarfeed.Url;
        _feedError = created.Error?.Description;
        await LoadAsync();
    }

    private static string Link(int year) => "absences?year=" + year.ToString(CultureInfo.InvariantCulture);

    private string TypeName(long? id) =>
        id is null ? "" : _types.FirstOrDefault(t => t.Id == id).Text ?? "#" + id.Value.ToString(CultureInfo.InvariantCulture);

    /// <summary>An absence of hours: its hours (h:mm) or its start and end; an absence of days shows none.</summary>
    private static string Amount(StoredRow row) =>
        row.Double("absence_hours") is double hours && hours > 0 ? Formats.Duration((long)Math.Round(hours * 60))
        : row.Text("starttime") is { } start ? Formats.Time(start) + "–" + Formats.Time(row.Text("endtime")) : "";

    /// <summary>The status in the API's words; a rejected absence gives its reason where the API has one.</summary>
    private string Status(StoredRow row) => row.Text("status") switch
    {
        "accepted" => T["Accepted"],
        "locked" => T["Locked"],
        "rejected" => row.Text("rejection_reason") is { Length: > 0 } reason ? T["Rejected"] + ": " + reason : T["Rejected"],
        _ => T["Open"],
    };

    private string? FieldError(string field) => _fieldErrors.GetValueOrDefault(field);

    private string? Invalid(string field) => _fieldErrors.ContainsKey(field) ? "true" : null;

    private string? Described(string field) => _fieldErrors.ContainsKey(field) ? FieldIds[field] + "-error" : null;

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;

    internal sealed class CancelForm
    {
        public string? Id { get; set; }

        /// <summary>"true" from the question's button (docs/webapp.md, "Removing asks first"); the row's own button asks first.</summary>
        public string? Confirmed { get; set; }
    }

    internal sealed class RequestForm
    {
        public string? Type { get; set; }

        public string? Start { get; set; }

        public string? End { get; set; }

        public string? Hours { get; set; }

        public string? Description { get; set; }
    }
}
