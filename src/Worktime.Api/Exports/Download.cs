using Microsoft.Net.Http.Headers;

namespace Worktime.Api.Exports;

/// <summary>
/// A file answered as it is written: <c>Content-Disposition: attachment</c> with the file name (RFC 6266: an ASCII
/// <c>filename</c> and the UTF-8 <c>filename*</c>), never cached by a shared cache (it is one person's data). Every
/// check that can fail has run before: once the first byte is out, the status is 200.
/// </summary>
internal sealed class Download(string contentType, string fileName, Func<Stream, CancellationToken, Task> write) : IResult
{
    public const string Csv = "text/csv; charset=utf-8; header=present";
    public const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public const string Pdf = "application/pdf";
    public const string Zip = "application/zip";

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.ContentType = contentType;
        var disposition = new ContentDispositionHeaderValue("attachment");
        disposition.SetHttpFileName(fileName);
        response.Headers.ContentDisposition = disposition.ToString();
        response.Headers.CacheControl = "private, no-store";
        response.Headers.XContentTypeOptions = "nosniff";
        await write(response.Body, httpContext.RequestAborted);
    }
}
