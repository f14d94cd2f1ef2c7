using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Configuration.Memory;
using Worktime.Api.Http;
using Worktime.Api.WebApp;

namespace Worktime.Api.Hosting;

/// <summary>Web-server concerns shared by every feature: address, limits, JSON, CORS, error shape, /1.1 prefix.</summary>
internal static class WorktimeHosting
{
    /// <summary>
    /// Log levels that apply when no configuration says otherwise — a binary started outside its folder has no
    /// appsettings.json. They are the lowest-priority configuration source, so appsettings.json, environment
    /// variables and the command line still override them.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string?> LoggingDefaults = new Dictionary<string, string?>
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
    };

    public static WebApplicationBuilder AddWorktimeHosting(this WebApplicationBuilder builder)
    {
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = LoggingDefaults });
        // "Request starting GET http://host/login?password=..." — ASP.NET's request lines carry the raw query string
        // (credentials, ?access_token=), so that category stays at Warning whatever the configuration says: no
        // secret reaches a log at any level an operator can enable (docs/deploy.md, "Logging").
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", level => level >= LogLevel.Warning);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) &&
            string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]) &&
            string.IsNullOrEmpty(builder.Configuration["http_ports"]))
        {
            builder.WebHost.UseUrls(HttpLimits.DefaultUrls);
        }
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = HttpLimits.MaxRequestBodyBytes;
            kestrel.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
            kestrel.Limits.MaxRequestLineSize = 16 * 1024;
        });
        builder.Services.Configure<JsonOptions>(options =>
        {
            options.SerializerOptions.MaxDepth = HttpLimits.MaxJsonDepth;
            options.SerializerOptions.PropertyNamingPolicy = null;
        });
        builder.Services.AddCors(cors => cors.AddDefaultPolicy(policy =>
            policy.AllowAnyOrigin().AllowAnyHeader().AllowAnyMethod()
                .WithExposedHeaders("x-collectorapi-request-limit", "Retry-After", "WWW-Authenticate", "Content-Disposition", "ETag")));
        builder.Services.AddHttpContextAccessor();
        builder.AddTrustedProxies();
        builder.Services.AddSingleton(TimeProvider.System);
        return builder;
    }

    public static WebApplication UseWorktimeHosting(this WebApplication app)
    {
        app.UseTrustedProxies(); // first: everything after it, the error log included, sees the client's address
        app.UseWorktimeErrors();
        // Every route is also served under /1.1/ (the official client's base URL).
        app.UsePathBase("/1.1");
        // The API is open to every origin; the web app's pages and /authorize are not (docs/webapp.md, "Headers"): no
        // other site may read a page, or its redirect with an authorization code, through a cross-origin request.
        app.UseWhen(context => !WebAppHeaders.IsWebAppPath(context.Request.Path), api =>
        {
            api.UseCors();
            // The live API sends this on every answer, with or without an Origin header; no cookies are ever used.
            api.Use((context, next) =>
            {
                context.Response.Headers.AccessControlAllowOrigin = "*";
                return next(context);
            });
        });
        return app;
    }
}
