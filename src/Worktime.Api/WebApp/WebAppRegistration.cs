using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Worktime.Api.Auth;
using Worktime.Api.Data;
using Worktime.Api.WebApp.Components;
using Worktime.Api.WebApp.Localization;
using Worktime.Api.WebApp.Protection;
using Worktime.Api.WebApp.Sessions;
using Worktime.Api.WebApp.Supervisor;

namespace Worktime.Api.WebApp;

/// <summary>
/// The web app at <c>/app</c> (docs/webapp.md): Blazor static server-side rendering — every page is rendered on the
/// request, forms post back, no circuit or server state between requests, so any node answers any request.
/// </summary>
internal static class WebAppRegistration
{
    /// <summary>Policy of every page but the login: a live browser session.</summary>
    public const string SignedIn = "web";

    /// <summary>Supervisor pages (level 3 and up).</summary>
    public const string Supervisor = "web-supervisor";

    /// <summary>Admin pages (level 5).</summary>
    public const string Admin = "web-admin";

    public static WebApplicationBuilder AddWebApp(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<WebAppOptions>().Bind(builder.Configuration.GetSection(WebAppOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<WebAppOptions>, WebAppOptionsValidator>();
        services.AddSingleton<WebCookies>();
        services.AddSingleton<WebSessionStore>();
        services.AddSingleton<WebLogin>();
        services.AddSingleton<SecondStep>();
        services.AddScoped<PageForms>();
        services.AddSingleton<WebClock>();
        services.AddScoped<TeamBoard>();

        // Assets come from the build's static web assets manifest also outside Development (docs/webapp.md, "Assets"):
        // a plain build output run in Production would otherwise answer the framework script empty. At run time the
        // files are never swapped, so the development handler (which turns off caching) stays off.
        builder.WebHost.UseStaticWebAssets();
        builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?> { ["ReloadStaticAssetsAtRuntime"] = "false" },
        });

        services.AddRazorComponents();
        services.AddLocalization();

        services.AddDataProtection().SetApplicationName("worktime");
        services.AddSingleton<DatabaseXmlRepository>();
        services.AddOptions<KeyManagementOptions>().Configure<DatabaseXmlRepository>((o, repository) => o.XmlRepository = repository);
        services.AddSingleton<IStartupStep, DataProtectionKeyStartup>();
        services.AddOptions<AntiforgeryOptions>().Configure<WebCookies>((o, cookies) =>
        {
            o.Cookie = new AntiforgeryCookie(cookies) { Name = cookies.Antiforgery, SecurePolicy = CookieSecurePolicy.SameAsRequest };
        });

        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, WebSessionAuthentication>(WebSessionAuthentication.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(SignedIn, p => p.AddAuthenticationSchemes(WebSessionAuthentication.SchemeName).RequireAuthenticatedUser()
                .RequireAssertion(FactorSetUpGate.Passes))
            .AddPolicy(Supervisor, p => p.AddAuthenticationSchemes(WebSessionAuthentication.SchemeName).RequireAuthenticatedUser()
                .RequireAssertion(FactorSetUpGate.Passes).RequireAssertion(c => Level(c) >= 3))
            .AddPolicy(Admin, p => p.AddAuthenticationSchemes(WebSessionAuthentication.SchemeName).RequireAuthenticatedUser()
                .RequireAssertion(FactorSetUpGate.Passes).RequireAssertion(c => Level(c) >= 5));
        return builder;
    }

    public static WebApplication MapWebApp(this WebApplication app)
    {
        app.UseWebAppHeaders();
        app.UseWhen(context => WebAppHeaders.IsPage(context.Request.Path),
            branch => branch.UseRequestLocalization(Languages.Options(app.Services.GetRequiredService<WebCookies>())));
        app.UseAntiforgery();

        app.MapGet("/", () => Results.Redirect(WebPaths.Root + "/")).ExcludeFromDescription();
        // One route for /app and /app/ (the router ignores a trailing slash, so mapping both made every request to
        // either ambiguous: 500), ahead of the not-found page's /app/{*path}, whose empty catch-all matches it too.
        app.MapGet(WebPaths.Root, () => Results.Redirect(WebPaths.Home)).WithOrder(-1).ExcludeFromDescription();
        app.MapPost(WebPaths.Logout, LogOutAsync).RequireAuthorization(SignedIn).WithMetadata(new RequireAntiforgeryTokenAttribute(), new AllowedBeforeSecondFactorAttribute())
            .ExcludeFromDescription();
        app.MapPost(WebPaths.Language, ChooseLanguage).WithMetadata(new RequireAntiforgeryTokenAttribute()).ExcludeFromDescription();
        app.MapWebDownloads();
        app.MapPasskeyPages();
        app.MapStaticAssets();
        app.MapRazorComponents<App>();
        return app;
    }

    private static async Task<IResult> LogOutAsync(HttpContext http, WebLogin login)
    {
        await login.LogOutAsync(http, http.RequestAborted);
        return Results.Redirect(WebPaths.Login);
    }

    /// <summary>The language switch: remembered in a cookie for a year, then back to the page it was used on.</summary>
    private static IResult ChooseLanguage(HttpContext http, WebCookies cookies, [FromForm(Name = "lang")] string? lang,
        [FromForm(Name = "return")] string? back)
    {
        if (Languages.Find(lang) is { } language)
        {
            http.Response.Cookies.Append(cookies.Language, language.Code, cookies.Options(TimeSpan.FromDays(365)));
        }
        return Results.Redirect(WebPaths.SafeReturn(back));
    }

    private static long Level(AuthorizationHandlerContext context) => CurrentUser.Of(context.User)?.UserLevel ?? 0;
}
