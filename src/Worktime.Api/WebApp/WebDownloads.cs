using Worktime.Api.Exports;
using Worktime.Api.Quota;

namespace Worktime.Api.WebApp;

/// <summary>
/// The files the pages link to (docs/webapp.md, "Downloads"): the export routes of docs/exports.md again under
/// <c>/app/exports/</c>, for a browser that holds a session instead of a bearer token. <see cref="ExportFiles"/> maps
/// both, so each calls the same <see cref="ExportsApi"/> handler as its API route with the signed-in person as the
/// caller — same parameters, privileges, errors and request quota — and a link can fetch nothing the API would refuse
/// that person.
/// </summary>
internal static class WebDownloads
{
    public const string Root = WebPaths.Root + "/exports";

    public static WebApplication MapWebDownloads(this WebApplication app)
    {
        app.MapGroup(Root).RequireAuthorization(WebAppRegistration.SignedIn).RequireRequestQuota().ExcludeFromDescription().MapExportFiles("");
        return app;
    }

    /// <summary>The payroll month of the signed-in person (<c>extension</c>: <c>pdf</c> or <c>csv</c>).</summary>
    public static string Payroll(DateOnly month, string extension) => ExportFiles.Payroll(Root, month, extension);

    /// <summary>The signed-in person's worktimes of [from, to] (<c>extension</c>: <c>csv</c> or <c>xlsx</c>).</summary>
    public static string Worktimes(DateOnly from, DateOnly to, string extension) => ExportFiles.Worktimes(Root, from, to, extension);
}
