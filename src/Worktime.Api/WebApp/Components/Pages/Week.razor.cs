using System.Globalization;
using Microsoft.AspNetCore.Components;
using Worktime.Api.Forms;
using Worktime.Api.TimeAccounting;
using Worktime.Api.WebApp.Localization;
using Worktime.Api.Http;

namespace Worktime.Api.WebApp.Components.Pages;

/// <summary>
/// The week page's reads and writes. A GET reads the week; a post runs its handler first and reads the week only when
/// it has to show an error (a success redirects to the week, post/redirect/get). Writes are the API's own create,
/// update and remove as the signed-in user, so validation, privileges (accepted and locked rows, other people's rows),
/// hooks and audit are exactly the API's, whatever the page is sent.
/// </summary>
public partial class Week
{
    private const string Form = "worktime";

    [Inject] private PageForms Forms { get; set; } = default!;

    [Inject] private TimeAccountingApi Accounting { get; set; } = default!;

    [Inject] private WebClock Clock { get; set; } = default!;

    [Inject] private NavigationManager Navigation { get; set; } = default!;

    [CascadingParameter] private HttpContext Http { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "date")] private string? DateQuery { get; set; }

    /// <summary>Another person's week (a supervisor opening it from the team page); the API decides what they may see.</summary>
    [SupplyParameterFromQuery(Name = "user")] private long? UserQuery { get; set; }

    [SupplyParameterFromQuery(Name = "edit")] private long? EditQuery { get; set; }

    [SupplyParameterFromForm(FormName = "entry", Name = "Entry")] private EntryForm? PostedEntry { get; set; }

    [SupplyParameterFromForm(FormName = "rows")] private ActionForm? RowPost { get; set; }

    [SupplyParameterFromForm(FormName = "timer")] private ActionForm? TimerPost { get; set; }

    private static readonly Dictionary<string, string> FieldIds = new(StringComparer.Ordinal)
    {
        ["date"] = "entry-date", ["project"] = "entry-project", ["task"] = "entry-task", ["worktype"] = "entry-worktype",
        ["starttime"] = "entry-start", ["endtime"] = "entry-end", ["pause"] = "entry-pause", ["description"] = "entry-description",
    };

    private DateOnly _monday;
    private long _user;
    private string? _userName;
    private WorkWeek? _week;
    private WeekRow? _running;
    private WeekRow? _editing;
    private bool _canCreate;
    private List<(long Id, string Text)> _projects = [];
    private List<(long Id, string Text)> _tasks = [];
    private List<(long Id, string Text)> _worktypes = [];
    private Dictionary<string, string> _fieldErrors = [];
    private string? _entryError;
    private string? _actionError;
    private StoredRow? _confirming;

    private EntryForm Entry => PostedEntry ??= new();

    private bool Own => _user == Forms.Caller.UserId;

    private string Title => Own || _userName is null ? T["Week"] : T["Week"] + " – " + _userName;

    private CancellationToken Ct => Http.RequestAborted;

    protected override async Task OnInitializedAsync()
    {
        var day = Formats.ParseIso(DateQuery) ?? Clock.Today;
        _monday = Monday(day);
        _user = UserQuery is > 0 ? UserQuery.Value : Forms.Caller.UserId;
        _canCreate = Forms.CanCreate(Form);
        if (!HttpMethods.IsPost(Http.Request.Method))
        {
            await LoadAsync();
            if (EditQuery is { } id && _week!.Rows.FirstOrDefault(r => r.Row.Id == id && r.Can.Edit) is { } row)
            {
                _editing = row;
                PostedEntry = EntryForm.From(row.Row);
            }
            Entry.Date ??= Formats.Iso(day);
        }
    }

    /// <summary>Everything the page shows: the week, the form's choices, the running timer, the person's name.</summary>
    private async Task LoadAsync()
    {
        _week = await WorkWeek.LoadAsync(Forms, Accounting, _user, _monday, ownCalendar: Own, Ct);
        _projects = await Forms.ChoicesAsync(Form, "project");
        _tasks = await Forms.ChoicesAsync(Form, "task");
        _worktypes = await Forms.ChoicesAsync(Form, "worktype");
        if (Own)
        {
            _running = await RunningTimerAsync();
        }
        else
        {
            var names = await Forms.ChoicesAsync(Form, "user", ("id", Invariant(_user)));
            _userName = names.FirstOrDefault().Text;
        }
        if (PostedEntry is { Id: { Length: > 0 } posted })
        {
            _editing = _week.Rows.FirstOrDefault(r => Invariant(r.Row.Id) == posted);
        }
    }

    /// <summary>The user's running timer: a row of today or yesterday (a night shift) with a start, no end, still theirs to change.</summary>
    private async Task<WeekRow?> RunningTimerAsync()
    {
        var today = Clock.Today;
        var found = await Forms.FindAllAsync(Form, ("user", Invariant(_user)), ("date", Formats.Iso(today.AddDays(-1)) + "_" + Formats.Iso(today)),
            ("endtime", "(empty)"), ("order", "-date,-starttime"), ("limit", "10"));
        return found.Value?.Rows.Select(r => new WeekRow(r, Forms.Privileges(Form, r))).FirstOrDefault(r => r.Running && r.Can.Edit);
    }

    /// <summary>Add or save: <c>POST /worktimes</c> or <c>PUT /worktimes/id</c> with the form's fields; an error stays on the page.</summary>
    private async Task SaveAsync()
    {
        var e = Entry;
        var fields = new Dictionary<string, object?>
        {
            ["date"] = Blank(e.Date), ["project"] = Blank(e.Project), ["task"] = Blank(e.Task), ["worktype"] = Blank(e.Worktype),
            ["starttime"] = Blank(e.Start), ["endtime"] = Blank(e.End), ["pause"] = Blank(e.Pause), ["description"] = Blank(e.Description),
        };
        Outcome<long> saved;
        if (long.TryParse(e.Id, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            saved = await Forms.UpdateAsync(Form, id, fields);
        }
        else
        {
            fields["user"] = _user;
            saved = await Forms.CreateAsync(Form, fields);
        }
        if (saved.Error is { } error)
        {
            _fieldErrors = (error.Fields ?? new Dictionary<string, string>())
                .Where(f => FieldIds.ContainsKey(f.Key))
                .ToDictionary(f => f.Key, f => FieldMessages.Text(T, f.Value), StringComparer.Ordinal);
            _entryError = _fieldErrors.Count > 0 && _fieldErrors.Count == (error.Fields?.Count ?? 0)
                ? T["Nothing was saved: check the marked fields."]
                : error.Description;
            await LoadAsync();
            return;
        }
        ShowWeekOf(Formats.ParseIso(e.Date) ?? _monday);
    }

    /// <summary>Delete a row, copy the previous day to a day, or copy the previous week to this one.</summary>
    private async Task RowActionAsync()
    {
        var action = RowPost?.Action ?? "";
        if (action.StartsWith("delete:", StringComparison.Ordinal)
            && long.TryParse(action["delete:".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var asked))
        {
            // The first post asks (docs/webapp.md, "Removing asks first"); only a row the person may delete is asked about.
            await LoadAsync();
            _confirming = _week!.Rows.FirstOrDefault(r => r.Row.Id == asked && r.Can.Remove)?.Row;
            _actionError = _confirming is null ? T["This row cannot be removed."].Value : null;
            return;
        }
        if (action.StartsWith("confirmed-delete:", StringComparison.Ordinal)
            && long.TryParse(action["confirmed-delete:".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            _actionError = (await Forms.RemoveAsync(Form, id))?.Description;
        }
        else if (action == "copyweek")
        {
            _actionError = await CopyAsync(_monday.AddDays(-7), _monday.AddDays(-1), 7);
        }
        else if (action.StartsWith("copyday:", StringComparison.Ordinal) && Formats.ParseIso(action["copyday:".Length..]) is { } day)
        {
            _actionError = await CopyAsync(day.AddDays(-1), day.AddDays(-1), 1);
        }
        if (_actionError is not null)
        {
            await LoadAsync();
            return;
        }
        ShowWeekOf(_monday);
    }

    /// <summary>
    /// Copies the person's rows of [from, to] <paramref name="days"/> days forward, as a client would: their findAll,
    /// then one create per row (a timer still running is not copied). Rows copied before a refusal stay; the page says
    /// how many.
    /// </summary>
    private async Task<string?> CopyAsync(DateOnly from, DateOnly to, int days)
    {
        var source = await WorkWeek.LoadRowsAsync(Forms, _user, from, to);
        if (source.Error is not null)
        {
            return source.Error.Description;
        }
        var rows = source.Value!.Where(r => !(r.Text("starttime") is not null && r.Text("endtime") is null)).ToList();
        if (rows.Count == 0)
        {
            return T["There is nothing to copy."];
        }
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var copied = await Forms.CreateAsync(Form, new Dictionary<string, object?>
            {
                ["date"] = Formats.Iso(row.Date("date")!.Value.AddDays(days)), ["user"] = _user, ["project"] = row.Long("project"),
                ["task"] = row.Long("task"), ["subtask"] = row.Long("subtask"), ["worktype"] = row.Long("worktype"),
                ["starttime"] = row.Text("starttime"), ["endtime"] = row.Text("endtime"), ["pause"] = row.Long("pause"),
                ["description"] = row.Text("description"),
            });
            if (copied.Error is { } error)
            {
                return string.Format(CultureInfo.CurrentCulture, T["{0} of {1} rows were copied; then: {2}"], i, rows.Count,
                    error.Fields is { Count: > 0 } fields ? string.Join("; ", fields.Select(f => f.Key + " " + FieldMessages.Text(T, f.Value))) : error.Description);
            }
        }
        return null;
    }

    /// <summary>Start: a row today with the start time now and no end. Stop: the running row gets the end time now.</summary>
    private async Task TimerAsync()
    {
        var now = Clock.Now;
        var time = now.ToString("HH:mm", CultureInfo.InvariantCulture);
        ApiError? error;
        if (TimerPost?.Action == "stop" && long.TryParse(TimerPost.Id, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            error = (await Forms.UpdateAsync(Form, id, new Dictionary<string, object?> { ["endtime"] = time })).Error;
        }
        else if (await RunningTimerAsync() is null) // a second device's stale "Start" starts no second timer
        {
            error = (await Forms.CreateAsync(Form, new Dictionary<string, object?>
            {
                ["date"] = Formats.Iso(DateOnly.FromDateTime(now.DateTime)), ["user"] = _user, ["starttime"] = time,
            })).Error;
        }
        else
        {
            error = null;
        }
        if (error is not null)
        {
            _actionError = error.Description;
            await LoadAsync();
            return;
        }
        ShowWeekOf(_monday);
    }

    private static DateOnly Monday(DateOnly day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));

    /// <summary>The week page of <paramref name="day"/>'s week, for the same person.</summary>
    private string Link(DateOnly day) => "week?date=" + Formats.Iso(day) + (Own ? "" : "&user=" + Invariant(_user));

    /// <summary>
    /// After a successful post: a redirect to the week (post/redirect/get). The server's navigation resolves a relative
    /// address against the site's root, not the page's <c>&lt;base href="/app/"&gt;</c>, so it gets the whole path.
    /// </summary>
    private void ShowWeekOf(DateOnly day) => Navigation.NavigateTo(WebPaths.Root + "/" + Link(day));

    /// <summary>A row as its delete button names it: the date and the start time.</summary>
    private static string RowLabel(StoredRow row) =>
        (row.Date("date") is { } day ? Formats.Date(day) : "") + (row.Text("starttime") is { } start ? " " + Formats.Time(start) : "");

    private string EditLink(long id) => Link(_monday) + "&edit=" + Invariant(id) + "#entry";

    private string? CurrentName(string form, string? id) =>
        _week is not null && long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? _week.Name(form, value) : null;

    private string? FieldError(string field) => _fieldErrors.GetValueOrDefault(field);

    private string? Invalid(string field) => _fieldErrors.ContainsKey(field) ? "true" : null;

    private string? Described(string field) => _fieldErrors.ContainsKey(field) ? FieldIds[field] + "-error" : null;

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);

    internal sealed class ActionForm
    {
        public string? Action { get; set; }

        public string? Id { get; set; }
    }

    internal sealed class EntryForm
    {
        public string? Id { get; set; }

        public string? Date { get; set; }

        public string? Project { get; set; }

        public string? Task { get; set; }

        public string? Worktype { get; set; }

        public string? Start { get; set; }

        public string? End { get; set; }

        public string? Pause { get; set; }

        public string? Description { get; set; }

        public static EntryForm From(StoredRow row) => new()
        {
            Id = Invariant(row.Id),
            Date = row.Text("date"),
            Project = row.Long("project") is { } p ? Invariant(p) : null,
            Task = row.Long("task") is { } t ? Invariant(t) : null,
            Worktype = row.Long("worktype") is { } w ? Invariant(w) : null,
            Start = row.Text("starttime"),
            End = row.Text("endtime"),
            Pause = row.Long("pause") is { } pause ? Invariant(pause) : null,
            Description = row.Text("description"),
        };
    }
}
