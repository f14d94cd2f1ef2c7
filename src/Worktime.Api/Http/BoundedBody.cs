namespace Worktime.Api.Http;

/// <summary>
/// The one reader of whole request bodies (the forms API's rows and postFindAll parameters, the token endpoint's
/// parameters): the body's bytes up to a bound, refused by its <c>Content-Length</c> before anything is read and
/// otherwise by counting while reading — a chunked body has no length, and the test host does not enforce Kestrel's
/// limit. Each caller answers "too large" in its own words (413 <c>request_too_large</c>, or its endpoint's 400),
/// and decodes the bytes by its own rules (strict JSON, or <see cref="FormUrlEncoding"/>).
/// </summary>
internal static class BoundedBody
{
    private const int ChunkBytes = 16 * 1024;

    /// <summary>The body's bytes; null when it is larger than <paramref name="maxBytes"/>.</summary>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, long maxBytes, CancellationToken ct)
    {
        if (request.ContentLength > maxBytes)
        {
            return null;
        }
        using var buffer = new MemoryStream(); // never sized by a Content-Length the client may not keep
        var chunk = new byte[(int)Math.Min(ChunkBytes, maxBytes + 1)];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return null;
            }
#pragma warning disable CA1849 // a MemoryStream write copies bytes in memory; it never blocks
            buffer.Write(chunk, 0, read);
#pragma warning restore CA1849
        }
        return buffer.ToArray();
    }
}
