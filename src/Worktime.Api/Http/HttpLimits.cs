using System.Text.Json;

namespace Worktime.Api.Http;

/// <summary>
/// Addresses and limits every feature reads. They live here, not in Hosting/, because Hosting/ wires the features
/// together and so must not be imported by them (docs/architecture.md, "Arrows").
/// </summary>
internal static class HttpLimits
{
    public const string DefaultUrls = "http://127.0.0.1:5080";

    /// <summary>Request bodies above this are refused with 413 (docs/security.md, requirement 7).</summary>
    public const long MaxRequestBodyBytes = 1024 * 1024;

    /// <summary>JSON nesting above this is a 400, long before the parser's own limit.</summary>
    public const int MaxJsonDepth = 64;

    /// <summary>Reads a JSON request body whatever its Content-Type (the PHP client sends JSON as form-urlencoded).</summary>
    public static readonly JsonDocumentOptions JsonBodyOptions = new() { MaxDepth = MaxJsonDepth };
}
