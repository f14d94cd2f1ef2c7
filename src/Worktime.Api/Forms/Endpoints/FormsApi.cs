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

namespace Worktime.Api.Forms.Endpoints;

/// <summary>
/// The handlers of <see cref="FormsEndpoints"/> for one request: the same code for every form, parameterised by
/// its definition. The caller (partner, user, level) comes only from the access token.
/// </summary>
internal sealed partial class FormsApi(
    CurrentUser caller, FormReader reader, FormWriter writer, FormRegistry registry, TimeProvider time)
{
    public Task<IResult> FindAllAsync(FormDefinition form, IQueryCollection query, CancellationToken ct) =>
        ListAsync(form, query, ct);

    public async Task<IResult> PostFindAllAsync(HttpRequest request, CancellationToken ct)
    {
        var name = request.Query["form"].ToString();
        var form = registry.FindByKey(name) ?? registry.All.FirstOrDefault(f => string.Equals(f.PluralKey, name, StringComparison.OrdinalIgnoreCase));
        if (form is null)
        {
            return new FormError(404, "not_found", "Name an existing form: POST /service/postFindAll?form=<form>.").ToResult();
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
        if (ParseId(id) is not { } rowId || await reader.GetAsync(form, caller.PartnerId, rowId, ct) is not { } found)
        {
            return FormError.NotFound(form.Name).ToResult();
        }
        if (!FormPrivileges.CanRead(form, caller, found.Row))
        {
            return FormError.Forbidden($"You may not read this {form.Name}.").ToResult();
        }
        return JsonOut.Object(200, form.Key, w => RowSerializer.Write(w, form, found.Row, caller, found.Links));
    }

    public async Task<IResult> CreateAsync(FormDefinition form, HttpRequest request, CancellationToken ct)
    {
        var body = await FormBodyReader.ReadRowAsync(request, form, ct);
        if (body.Error is not null)
        {
            return body.Error.ToResult();
        }
        var created = await writer.CreateAsync(form, caller, body.Value!.Fields, Validate(request, body.Value), ct);
        return created.Error?.ToResult() ?? await OneAsync(form, created.Value, 201, ct);
    }

    public async Task<IResult> UpdateAsync(FormDefinition form, string id, HttpRequest request, CancellationToken ct)
    {
        if (ParseId(id) is not { } rowId)
        {
            return FormError.NotFound(form.Name).ToResult();
        }
        var body = await FormBodyReader.ReadRowAsync(request, form, ct);
        if (body.Error is not null)
        {
            return body.Error.ToResult();
        }
        var updated = await writer.UpdateAsync(form, caller, rowId, body.Value!.Fields, Validate(request, body.Value), ct);
        return updated.Error?.ToResult() ?? await OneAsync(form, rowId, 200, ct);
    }

    public async Task<IResult> BulkUpdateAsync(FormDefinition form, HttpRequest request, CancellationToken ct)
    {
        var body = await FormBodyReader.ReadRowAsync(request, form, ct);
        if (body.Error is not null)
        {
            return body.Error.ToResult();
        }
        var updated = await writer.BulkUpdateAsync(form, caller, body.Value!.Fields, Validate(request, body.Value), ct);
        if (updated.Error is not null)
        {
            return updated.Error.ToResult();
        }
        var rows = await reader.GetManyAsync(form, caller.PartnerId, updated.Value!, ct);
        return JsonOut.Ok(w =>
        {
            w.WriteStartObject();
            WriteRows(w, form, rows);
            w.WriteNumber("count", rows.Count);
            w.WriteEndObject();
        });
    }

    public async Task<IResult> RemoveAsync(FormDefinition form, string id, CancellationToken ct)
    {
        if (ParseId(id) is not { } rowId)
        {
            return FormError.NotFound(form.Name).ToResult();
        }
        var error = await writer.RemoveAsync(form, caller, rowId, ct);
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
        var compiled = QueryCompiler.Compile(form, parameters, caller, registry, reader.Dialect, Today());
        if (compiled.Error is not null)
        {
            return compiled.Error.ToResult();
        }
        var result = await reader.FindAllAsync(compiled.Value!, caller.PartnerId, ct);
        return JsonOut.Ok(w =>
        {
            w.WriteStartObject();
            WriteRows(w, form, result.Rows);
            w.WriteNumber("count", result.Count);
            foreach (var (target, (display, rows)) in result.Sideloads)
            {
                w.WriteStartArray(target.PluralKey);
                foreach (var row in rows)
                {
                    w.WriteStartObject();
                    w.WriteNumber("id", row.Id);
                    // The parser already refused fields the caller may not read; this keeps the writer honest too.
                    foreach (var field in display.Select(d => target.Field(d)!).Where(f => FormPrivileges.CanReadReferenced(target, caller, f.Name)))
                    {
                        w.WritePropertyName(field.Name);
                        RowSerializer.WriteValue(w, field, row[field.Name]);
                    }
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
            w.WriteEndObject();
        }, sizeHint: (result.Rows.Count + result.Sideloads.Values.Sum(s => s.Rows.Count)) * TypicalRowBytes);
    }

    /// <summary>About what one row of a listing takes in JSON (a worktime is 400-500 bytes): sizes the response buffer.</summary>
    private const int TypicalRowBytes = 512;

    private async Task<IResult> OneAsync(FormDefinition form, long id, int status, CancellationToken ct)
    {
        var found = await reader.GetAsync(form, caller.PartnerId, id, ct);
        return found is { } f
            ? JsonOut.Object(status, form.Key, w => RowSerializer.Write(w, form, f.Row, caller, f.Links))
            : FormError.NotFound(form.Name).ToResult();
    }

    private void WriteRows(Utf8JsonWriter w, FormDefinition form, IEnumerable<StoredRow> rows)
    {
        w.WriteStartArray(form.PluralKey);
        foreach (var row in rows)
        {
            RowSerializer.Write(w, form, row, caller);
        }
        w.WriteEndArray();
    }

    /// <summary><c>?validation=off</c> (PUT) or <c>"validation":"off"</c> beside the root key (POST) skips required-field rules only.</summary>
    private static bool Validate(HttpRequest request, FormBody body) =>
        !body.ValidationOff && request.Query["validation"].ToString() != "off";

    private static long? ParseId(string id) =>
        long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : null;

    private DateOnly Today() => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
}
