using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Worktime.Api.Forms;
using Worktime.Api.Http;

namespace Worktime.Api.TimeAccounting;

/// <summary><c>GET /ttapi/absence/split</c>: absences cut into calendar days, with the findAll sideloads of the abcense form.</summary>
internal sealed partial class TimeAccountingApi
{
    /// <summary>
    /// Keys <c>order</c> accepts (a leading <c>-</c> sorts descending). Rows are a day-by-day listing, so unless
    /// <c>order</c> names the date, it sorts within each day (otta-cli sends <c>starttime,endtime</c>); ties fall back
    /// to date, start time, id.
    /// </summary>
    private static readonly Dictionary<string, Func<AbsenceSplitRow, IComparable?>> SplitOrderKeys = new(StringComparer.Ordinal)
    {
        ["date"] = r => r.Date,
        ["startdate"] = r => r.Date,
        ["starttime"] = r => r.Starttime,
        ["endtime"] = r => r.Endtime,
        ["id"] = r => r.Id,
        ["user"] = r => r.User,
        ["abcensetype"] = r => r.Abcensetype,
        ["minutes"] = r => r.Minutes,
        ["absence_hours"] = r => r.AbsenceHours,
    };

    public async Task<IResult> AbsenceSplitAsync(IQueryCollection query, CancellationToken ct)
    {
        var parsed = TtapiParameters.Parse(query, ["startdate", "enddate", "user", "order"], sideloads: true);
        if (parsed.Error is not null)
        {
            return parsed.Error.ToResult();
        }
        var p = parsed.Value!;
        var form = registry.Get("abcense");
        var start = p.Date("startdate");
        var end = p.Date("enddate");
        var userParam = p.Id("user", caller.UserId, selfAllowed: true);
        var sideloads = forms.ParseSideloads(form, caller, p.Sideloads);
        var error = start.Error ?? end.Error ?? userParam.Error
            ?? (start.Value is null ? ApiError.InvalidFilter("startdate", "is required: a date YYYY-MM-DD") : null)
            ?? sideloads.Error;
        if (error is not null)
        {
            return error.ToResult();
        }
        var range = TtapiParameters.Checked("enddate", start.Value!.Value, end.Value ?? start.Value!.Value);
        var order = SplitOrder(p["order"]);
        if ((range.Error ?? order.Error) is { } invalid)
        {
            return invalid.ToResult();
        }
        var (from, to) = range.Value;
        // The abcense form's read scope: below its read-all level only one's own absences exist here (as on findAll).
        long? user = userParam.Value;
        if (caller.UserLevel < form.Access.ReadAllLevel)
        {
            if (user is { } asked && asked != caller.UserId)
            {
                return Results.Json(new AbsenceSplitResponse([], 0) { Sideloads = await SideloadsAsync(sideloads.Value!, [], ct) });
            }
            user = caller.UserId;
        }

        var absences = await store.AbsencesAsync(caller.PartnerId, user, from, to, ct);
        var users = await store.UsersAsync(caller.PartnerId, absences.Select(a => a.User).Distinct().ToList(), ct);
        var calendars = await store.CalendarsAsync(caller.PartnerId, users.Values, from, to, ct);
        var rows = new List<AbsenceSplitRow>();
        foreach (var absence in absences)
        {
            Func<DateOnly, long> expected = calendars.TryGetValue(absence.User, out var calendar) ? calendar.ExpectedMinutes : _ => 0;
            foreach (var day in AbsenceSplitter.Split(absence, from, to, expected))
            {
                // Times only on the day that carries an hour-based absence's minutes: a client that derives minutes
                // from start and end (otta-cli does when absence_hours is 0) must not count them on the other days.
                var timed = absence.IsHourBased && day.Date == absence.Start;
                rows.Add(new AbsenceSplitRow(absence.Id, AccountingStore.Text(day.Date), absence.User, absence.Type,
                    Math.Round(day.Minutes / 60.0, 4), day.Minutes, timed ? absence.StartTime : null, timed ? absence.EndTime : null));
            }
        }
        var sorted = order.Value!(rows).ToList();
        return Results.Json(new AbsenceSplitResponse(sorted, sorted.Count) { Sideloads = await SideloadsAsync(sideloads.Value!, sorted, ct) });
    }

    private static Outcome<Func<IEnumerable<AbsenceSplitRow>, IOrderedEnumerable<AbsenceSplitRow>>> SplitOrder(string? order)
    {
        var keys = new List<(Func<AbsenceSplitRow, IComparable?> Key, bool Descending)>();
        var text = order ?? "";
        // findAll's list limit (docs/forms.md, "Query limits"), counted before splitting, so a list of thousands of
        // keys costs nothing; a key named again adds nothing (its first mention decides), as on findAll.
        if (text.Count(c => c == ',') >= TtapiParameters.MaxValues)
        {
            return ApiError.InvalidFilter("order", string.Create(CultureInfo.InvariantCulture,
                $"lists more than {TtapiParameters.MaxValues} values; the limit is {TtapiParameters.MaxValues} per parameter"));
        }
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (!parts.Any(p => p.TrimStart('-') is "date" or "startdate"))
        {
            keys.Add((r => r.Date, false));
        }
        var named = new HashSet<string>(StringComparer.Ordinal);
        foreach (var part in parts)
        {
            var descending = part.StartsWith('-');
            var name = descending ? part[1..] : part;
            if (!SplitOrderKeys.TryGetValue(name, out var key))
            {
                return ApiError.InvalidFilter("order", $"must list fields of the split rows ({string.Join(", ", SplitOrderKeys.Keys)})");
            }
            if (named.Add(name))
            {
                keys.Add((key, descending));
            }
        }
        keys.Add((r => r.Date, false));
        keys.Add((r => r.Starttime, false));
        keys.Add((r => r.Id, false));
        return new Outcome<Func<IEnumerable<AbsenceSplitRow>, IOrderedEnumerable<AbsenceSplitRow>>>(rows =>
        {
            var sorted = keys[0].Descending ? rows.OrderByDescending(keys[0].Key, NullsLast.Instance) : rows.OrderBy(keys[0].Key, NullsLast.Instance);
            foreach (var (key, descending) in keys.Skip(1))
            {
                sorted = descending ? sorted.ThenByDescending(key, NullsLast.Instance) : sorted.ThenBy(key, NullsLast.Instance);
            }
            return sorted;
        }, null);
    }

    /// <summary>The sideloads findAll would give for these rows: one key per target form, <c>{"id", display fields…}</c> in order of first appearance.</summary>
    private async Task<Dictionary<string, JsonElement>?> SideloadsAsync(
        FormSideloadRequest request, IReadOnlyList<AbsenceSplitRow> rows, CancellationToken ct)
    {
        if (request.IsEmpty)
        {
            return null;
        }
        var result = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var sideload in await forms.SideloadsAsync(request, caller, rows, (row, field) => field == "user" ? row.User : row.Abcensetype, ct))
        {
            var buffer = new ArrayBufferWriter<byte>();
            await using (var w = new Utf8JsonWriter(buffer))
            {
                FormJson.WriteSideloadRows(w, sideload);
            }
            result[sideload.Target.PluralKey] = JsonDocument.Parse(buffer.WrittenMemory).RootElement.Clone();
        }
        return result;
    }

    /// <summary>Nulls after values ascending (and first descending), as findAll sorts.</summary>
    private sealed class NullsLast : IComparer<IComparable?>
    {
        public static readonly NullsLast Instance = new();

        public int Compare(IComparable? x, IComparable? y) => (x, y) switch
        {
            (null, null) => 0,
            (null, _) => 1,
            (_, null) => -1,
            _ => x.CompareTo(y),
        };
    }
}
