using System.Globalization;
using System.Text.Json;
using Worktime.Api.Tests.Forms;

namespace Worktime.Api.Tests.Exports;

/// <summary>Calls of the report and export routes, and what <c>GET /worktimes</c> answers for comparison.</summary>
public static class ExportsHttp
{
    /// <summary>GETs a file: asserts 200, the media type and an attachment disposition; returns the bytes and the file name.</summary>
    public static async Task<(byte[] Bytes, string FileName)> FileAsync(this HttpClient client, string path, string mediaType)
    {
        using var response = await client.GetAsync(path);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        ((int)response.StatusCode).ShouldBe(200, System.Text.Encoding.UTF8.GetString(bytes));
        response.Content.Headers.ContentType!.MediaType.ShouldBe(mediaType);
        var disposition = response.Content.Headers.ContentDisposition!;
        disposition.DispositionType.ShouldBe("attachment");
        return (bytes, disposition.FileNameStar ?? disposition.FileName!.Trim('"'));
    }

    /// <summary>Every worktime <c>GET /worktimes</c> answers for the filters (page by page).</summary>
    public static async Task<List<JsonElement>> AllWorktimesAsync(this HttpClient client, string filters)
    {
        var rows = new List<JsonElement>();
        for (var offset = 0; ; offset += 100)
        {
            var page = await client.ReadAsync($"/worktimes?{filters}&limit=100&offset={offset}");
            var items = page.GetProperty("worktimes").EnumerateArray().ToList();
            rows.AddRange(items);
            if (items.Count < 100)
            {
                return rows;
            }
        }
    }

    /// <summary><c>work_hours</c> (<c>H:MM</c>) as minutes.</summary>
    public static long WorkMinutes(this JsonElement worktime)
    {
        if (worktime.GetProperty("work_hours").GetString() is not { } text)
        {
            return 0;
        }
        var parts = text.Split(':');
        return long.Parse(parts[0], CultureInfo.InvariantCulture) * 60 + long.Parse(parts[1], CultureInfo.InvariantCulture);
    }

    public static async Task<JsonElement> ReadAsync(this HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        return await response.ShouldBeJsonAsync(200);
    }

    public static async Task<JsonElement> ErrorAsync(this HttpClient client, string path, int status, string error)
    {
        using var response = await client.GetAsync(path);
        return await response.ShouldBeErrorAsync(status, error);
    }
}
