using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Worktime.Api.Forms.Endpoints;

/// <summary>
/// A JSON response written field by field, so key order is exactly the documented one (row_info, id, fields…).
/// Buffered first: a failure while writing becomes a clean JSON 500, never half a body.
/// </summary>
internal sealed class JsonOut(int status, Action<Utf8JsonWriter> write, int sizeHint = 0) : IResult
{
    private const int MinBuffer = 16 * 1024;
    private const int MaxInitialBuffer = 1024 * 1024;

    private static readonly JsonWriterOptions Options = new()
    {
        // Readable UTF-8 (ä, not \u00e4); safe because the body is always served as application/json.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static JsonOut Ok(Action<Utf8JsonWriter> write) => new(StatusCodes.Status200OK, write);

    /// <summary>A 200 whose size is roughly known (e.g. rows × a typical row): the buffer starts that large, so a
    /// 100-row page is not copied from 16 to 32 to 64 KiB while it is written.</summary>
    public static JsonOut Ok(Action<Utf8JsonWriter> write, int sizeHint) => new(StatusCodes.Status200OK, write, sizeHint);

    /// <summary><c>{"&lt;key&gt;": …}</c>.</summary>
    public static JsonOut Object(int status, string key, Action<Utf8JsonWriter> value) => new(status, w =>
    {
        w.WriteStartObject();
        w.WritePropertyName(key);
        value(w);
        w.WriteEndObject();
    });

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        // A pooled buffer: a 100-row page is tens of KiB, and a growing array would allocate it several times over
        // (the last copies on the large-object heap).
        using var buffer = new PooledBufferWriter(Math.Clamp(sizeHint, MinBuffer, MaxInitialBuffer));
        await using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            write(writer);
        }
        httpContext.Response.StatusCode = status;
        httpContext.Response.ContentType = "application/json; charset=utf-8";
        httpContext.Response.ContentLength = buffer.WrittenCount;
        await httpContext.Response.Body.WriteAsync(buffer.WrittenMemory, httpContext.RequestAborted);
    }
}
