using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Primitives;
using Worktime.Api.Auth;
using Worktime.Api.Forms.Access;
using Worktime.Api.Forms.Definitions;
using Worktime.Api.Forms.Query;
using Worktime.Api.Forms.Rows;
using Worktime.Api.Forms.Storage;
using Worktime.Api.Forms.Writes;
using Worktime.Api.Http;

namespace Worktime.Api.Forms.Endpoints;

/// <summary>
/// The handlers of <see cref="FormsEndpoints"/> for one request: the same code for every form, parameterised by
/// its definition. The caller (partner, user, level) comes only from the access token. Each handler reads the
/// request, calls the engine's door (<see cref="FormRows"/>, which the web pages call too) and writes its answer.
/// </summary>
internal sealed partial class FormsApi(CurrentUser caller, FormRows rows, FormRegistry registry)
{
    public Task<IResult> FindAllAsync(FormDefinition form, IQueryCollection query, CancellationToken ct) =>
        ListAsync(form, query, ct);

    public async Task<IResult> PostFindAllAsync(HttpRequest request, CancellationToken ct)
    {
        var name = request.Query["form"].ToString();
        var form = registry.FindByKey(name) ?? registry.All.FirstOrDefault(f => string.Equals(f.PluralKey, name, StringComparison.OrdinalIgnoreCase));
        if (form is null)
        {
            return new ApiError(404, "not_found", "Name an existing form: POST /service/postFindAll?form=<form>.").ToResult();
        }
        var body = await FormBodyReader.ReadParametersAsync(request, QueryLimits.MaxPostFindAllBodyBytes, ct);
        if (body.Error is not null)
        {
            return body.Error.ToResult();
        }
        var parameters = request.Query.Where(p => p.Key != "form").Concat(body.Value!)
            .GroupBy(p => p.Key)
            .Select(g => KeyValuePair.Create(g.Key, new StringValues(g.SelectMany(p => p.Value.ToArray()).ToArray())));
        return await ListAsync(form, parameters, ct);
    }

    public async Task<IResult> GetAsync(FormDefinition form, string id, CancellationToken ct)
    {
        if (ParseId(id) is not { } rowId)
        {
            return ApiError.NoSuch(form.Name).ToResult();
        }
        var found = await rows.GetAsync(form, caller, rowId, ct);
        return found.Error?.ToResult() ?? OneRow(200, form, found.Value!);
    }

    public async Task<IResult> CreateAsync(FormDefinition form, HttpRequest request, CancellationToken ct)
    {
        var body = await FormBodyReader.ReadRowAsync(request, form, ct);
        if (body.Error is not null)
        {
            return body.Error.ToResult();
        }
        var created = await rows.CreateAsync(form, caller, body.Value!.Fields, Validate(request, body.Value), ct);
        return created.Error?.ToResult() ?? await OneAsync(form, created.Value, 201, ct);
    }

    public async Task<IResult> UpdateAsync(FormDefinition form, string id, HttpRequest request, CancellationToken ct)
    {
        if (ParseId(id) is not { } rowId)
        {
            return ApiError.NoSuch(form.Name).ToResult();
        }
        var body = await FormBodyReader.ReadRowAsync(request, form, ct);
        if (body.Error is not null)
        {
            return body.Error.ToResult();
        }
        var updated = await rows.UpdateAsync(form, caller, rowId, body.Value!.Fields, Validate(request, body.Value), ct);
        return updated.Error?.ToResult() ?? await OneAsync(form, rowId, 200, ct);
    }

    public async Task<IResult> BulkUpdateAsync(FormDefinition form, HttpRequest request, CancellationToken ct)
    {
        var body = await FormBodyReader.ReadRowAsync(request, form, ct);
        if (body.Error is not null)
        {
            return body.Error.ToResult();
        }
        var updated = await rows.BulkUpdateAsync(form, caller, body.Value!.Fields, Validate(request, body.Value), ct);
        if (updated.Error is not null)
        {
            return updated.Error.ToResult();
        }
        var changed = await rows.GetManyAsync(form, caller, updated.Value!, ct);
        return JsonOut.Ok(w =>
        {
            w.WriteStartObject();
            WriteRows(w, form, changed, PeriodLockSet.None); // rows just written: no lock covers them
            w.WriteNumber("count", changed.Count);
            w.WriteEndObject();
        });
    }

    public async Task<IResult> RemoveAsync(FormDefinition form, string id, CancellationToken ct)
    {
        if (ParseId(id) is not { } rowId)
        {
            return ApiError.NoSuch(form.Name).ToResult();
        }
        var error = await rows.RemoveAsync(form, caller, rowId, ct);
        return error?.ToResult() ?? JsonOut.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteBoolean("removed", true);
            w.WriteEndObject();
        });
    }

    private async Task<IResult> ListAsync(
        FormDefinition form, IEnumerable<KeyValuePair<string, StringValues>> parameters, CancellationToken ct)
    {
        var found = await rows.FindAllAsync(form, caller, parameters, ct);
        if (found.Error is not null)
        {
            return found.Error.ToResult();
        }
        var page = found.Value!;
        return JsonOut.Ok(w =>
        {
            w.WriteStartObject();
            WriteRows(w, form, page.Rows, page.Locks);
            w.WriteNumber("count", page.Count);
            foreach (var sideload in page.Sideloads)
            {
                w.WritePropertyName(sideload.Target.PluralKey);
                FormJson.WriteSideloadRows(w, sideload);
            }
            w.WriteEndObject();
        }, sizeHint: (page.Rows.Count + page.Sideloads.Sum(s => s.Rows.Count)) * TypicalRowBytes);
    }

    /// <summary>About what one row of a listing takes in JSON (a worktime is 400-500 bytes): sizes the response buffer.</summary>
    private const int TypicalRowBytes = 512;

    /// <summary>The row just written, as the caller now sees it.</summary>
    private async Task<IResult> OneAsync(FormDefinition form, long id, int status, CancellationToken ct)
    {
        var found = await rows.GetAsync(form, caller, id, ct);
        return found.Error?.ToResult() ?? OneRow(status, form, found.Value!);
    }

    private JsonOut OneRow(int status, FormDefinition form, FoundRow found) =>
        JsonOut.Object(status, form.Key, w => RowSerializer.Write(w, form, found.Row, caller, found.Links, found.Locks));

    private void WriteRows(Utf8JsonWriter w, FormDefinition form, IEnumerable<StoredRow> list, PeriodLockSet locks)
    {
        w.WriteStartArray(form.PluralKey);
        foreach (var row in list)
        {
            RowSerializer.Write(w, form, row, caller, locks: locks);
        }
        w.WriteEndArray();
    }

    /// <summary><c>?validation=off</c> (PUT) or <c>"validation":"off"</c> beside the root key (POST) skips required-field rules only.</summary>
    private static bool Validate(HttpRequest request, FormBody body) =>
        !body.ValidationOff && request.Query["validation"].ToString() != "off";

    private static long? ParseId(string id) =>
        long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : null;
}
