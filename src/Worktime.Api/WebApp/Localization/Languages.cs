using System.Globalization;
using Microsoft.AspNetCore.Localization;
using Worktime.Api.WebApp.Sessions;

namespace Worktime.Api.WebApp.Localization;

/// <summary>
/// The web app's two languages (docs/webapp.md, "Languages"). The chosen one comes from the language cookie (set by
/// the switch in the page header), else from <c>Accept-Language</c> in its order of preference, else English.
/// Texts follow the language (<c>en</c>, <c>fi</c>); dates, times and numbers follow its usual country
/// (<c>en-GB</c>: 07/12/2026 and 14:30; <c>fi-FI</c>: 7.12.2026 and 14.30, decimal comma).
/// </summary>
internal static class Languages
{
    public static readonly IReadOnlyList<Language> All =
    [
        new("en", "English", "en-GB"),
        new("fi", "Suomi", "fi-FI"),
    ];

    public static Language Default => All[0];

    public static Language? Find(string? code) => All.FirstOrDefault(l => string.Equals(l.Code, code, StringComparison.OrdinalIgnoreCase));

    public static RequestLocalizationOptions Options(WebCookies cookies)
    {
        var options = new RequestLocalizationOptions
        {
            DefaultRequestCulture = new RequestCulture(Default.FormatCulture, Default.Code),
            SupportedCultures = [.. All.Select(l => CultureInfo.GetCultureInfo(l.FormatCulture))],
            SupportedUICultures = [.. All.Select(l => CultureInfo.GetCultureInfo(l.Code))],
        };
        options.RequestCultureProviders = [new CustomRequestCultureProvider(http => Task.FromResult(Choose(http, cookies)))];
        return options;
    }

    private static ProviderCultureResult? Choose(HttpContext http, WebCookies cookies)
    {
        var chosen = Find(http.Request.Cookies[cookies.Language]) ?? FromAcceptLanguage(http.Request);
        return chosen is null ? null : new ProviderCultureResult(chosen.FormatCulture, chosen.Code);
    }

    private static Language? FromAcceptLanguage(HttpRequest request)
    {
        var preferences = request.GetTypedHeaders().AcceptLanguage;
        return preferences
            .Where(p => (p.Quality ?? 1) > 0)
            .OrderByDescending(p => p.Quality ?? 1)
            .Select(p => Find(p.Value.Value?.Split('-')[0]))
            .FirstOrDefault(l => l is not null);
    }
}

/// <param name="Code">The text language and the <c>lang</c> of the page.</param>
/// <param name="Name">The language's own name, as the switch shows it.</param>
/// <param name="FormatCulture">The culture dates, times and numbers are written in.</param>
internal sealed record Language(string Code, string Name, string FormatCulture);
