using Worktime.Api.Exports;
using Worktime.Api.Quota;

namespace Worktime.Api.WebApp;

/// <summary>
/// The files the pages link to (docs/webapp.md, "Downloads"): the export routes of docs/exports.md again under
/// <c>/app/exports/</c>, for a browser that holds a session instead of a bearer token. Each calls the same
/// <see cref="ExportsApi"/> handler as its API route with the signed-in person as the caller — same parameters,
/// privileges, errors and request quota — so a link can fetch nothing the API would refuse that person.
/// </summary>
internal static class WebDownloads
{
    public const string Root = WebPaths.Root + "/exports";

    public static WebApplication MapWebDownloads(this WebApplication app)
    {
        var group = app.MapGroup(Root).RequireAuthorization(WebAppRegistration.SignedIn).RequireRequestQuota().ExcludeFromDescription();
        group.MapGet("/payroll/{file}", (ExportsApi api, string file, HttpRequest request, CancellationToken ct) => api.PayrollAsync(file, request.Query, ct));
        group.MapGet("/worktimes.csv", (ExportsApi api, HttpRequest request, CancellationToken ct) => api.WorktimesAsync(false, request.Query, ct));
        group.MapGet("/worktimes.xlsx", (ExportsApi api, HttpRequest request, CancellationToken ct) => api.WorktimesAsync(true, request.Query, ct));
        return app;
    }

    /// <summary>The payroll month of the signed-in person (<c>extension</c>: <c>pdf</c> or <c>csv</c>).</summary>
    public static string Payroll(DateOnly month, string extension) =>
        $"{Root}/payroll/{month.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture)}.{extension}";

    /// <summary>The signed-in person's worktimes of [from, to] (<c>extension</c>: <c>csv</c> or <c>xlsx</c>).</summary>
    public static string Worktimes(DateOnly from, DateOnly to, string extension) =>
        $"{Root}/worktimes.{extension}?from={Localization.Formats.Iso(from)}&to={Localization.Formats.Iso(to)}";
}
