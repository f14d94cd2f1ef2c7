using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Worktime.Api.Auth;
using Worktime.Api.Forms.Definitions;

namespace Worktime.Api.ApiReference;

/// <summary>
/// Completes the generated document: the title, the configured public URL as the server (never the request's Host
/// header, which a caller controls), the shared components, and every route whose shape lives in data rather than in handler
/// signatures: login, /me, the whole forms API and the /ttapi routes, generated from <see cref="FormRegistry"/> so a new form
/// appears without a line here. Routes described by endpoint metadata (anything else) are kept as generated.
/// </summary>
internal sealed class WorktimeDocumentTransformer(FormRegistry registry, IssuerAddress issuer) : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "Worktime — Movenium REST API 1.1",
            Version = "1.1",
            Description = "Working time, absences, projects, tasks and customers. Log in with `POST /login`, then send " +
                "`Authorization: Bearer <access_token>`. Every route is also served under `/1.1/`. " +
                "The rules behind each answer are in the repository's docs/forms.md and docs/auth.md.",
            License = new OpenApiLicense { Name = "Proprietary", Identifier = "LicenseRef-Proprietary" },
        };
        // The issuer is the server's public base URL: Auth:Issuer, or the listening URL when unset (discovery builds
        // token_endpoint from it too). Not "/": tools join the server and the path as strings, and "/" + "/login" is "//login".
        document.Servers = [new OpenApiServer { Url = issuer.Issuer.TrimEnd('/'), Description = "The public URL (Auth:Issuer, or the listening URL)" }];
        document.Paths ??= [];
        SharedComponents.Register(document);

        var schemas = new FormSchemas(document, registry);
        schemas.RegisterShared();
        var paths = new FormPaths(document, registry, schemas);
        new AuthPaths(document, paths, schemas).Add();
        new MetadataPaths(document, registry, paths).Add();
        foreach (var form in registry.All)
        {
            schemas.Register(form);
            paths.Add(form);
        }
        new TtapiPaths(document, registry, paths, schemas).Add();

        var tags = new List<OpenApiTag>
        {
            new() { Name = AuthPaths.Tag, Description = "OAuth 2.0 tokens (docs/auth.md)." },
            new() { Name = MetadataPaths.Tag, Description = "Form definitions and findAll with a body." },
            new() { Name = TtapiPaths.Tag, Description = "Calendars, the hour balance and absences per day, computed from the forms (docs/time-accounting.md)." },
        };
        tags.AddRange(registry.All.Select(f => new OpenApiTag
        {
            Name = FormPaths.Tag(f),
            Description = (f.Description is { } about ? about + " " : "")
                + $"The {f.Name} form: findAll, get, create, update, bulk update, remove/restore, reference choices.",
        }));
        // Tags of metadata-described routes (e.g. Operations, Discovery) keep their place after the forms.
        foreach (var name in document.Paths.Values.SelectMany(p => p.Operations?.Values.AsEnumerable() ?? [])
                     .SelectMany(o => o.Tags ?? new HashSet<OpenApiTagReference>()).Select(t => t.Name!).Distinct())
        {
            if (tags.All(t => t.Name != name))
            {
                tags.Add(new OpenApiTag { Name = name, Description = $"{name} routes." });
            }
        }
        document.Tags = new HashSet<OpenApiTag>(tags);
        return Task.CompletedTask;
    }
}
