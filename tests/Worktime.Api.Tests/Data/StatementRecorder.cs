using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Worktime.Api.Data;

namespace Worktime.Api.Tests.Data;

/// <summary>One statement the server ran, as its database saw it (see <see cref="IStatementObserver"/>).</summary>
internal sealed record RanStatement(string Sql, IReadOnlyList<KeyValuePair<string, object?>> Parameters);

/// <summary>
/// What the plan test watches in the app: every statement run on the database, and every route a request reached
/// (so a route no request reached, a new report or export, fails the test instead of going unexplained).
/// </summary>
internal sealed class StatementRecorder : IStatementObserver, IStartupFilter
{
    private readonly ConcurrentQueue<RanStatement> _statements = new();
    private readonly ConcurrentDictionary<string, int> _routes = new(StringComparer.Ordinal);

    public void Executed(string sql, IReadOnlyList<KeyValuePair<string, object?>> parameters) =>
        _statements.Enqueue(new RanStatement(sql, parameters));

    /// <summary>The statements run since the last call.</summary>
    public List<RanStatement> Take()
    {
        var taken = new List<RanStatement>();
        while (_statements.TryDequeue(out var statement))
        {
            taken.Add(statement);
        }
        return taken;
    }

    /// <summary>"GET /worktimes/{id}" for every route a request reached, with the most severe status it answered.</summary>
    public IReadOnlyDictionary<string, int> Routes => _routes;

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (HttpContext context, RequestDelegate nextMiddleware) =>
        {
            await nextMiddleware(context);
            if (context.GetEndpoint() is RouteEndpoint endpoint)
            {
                var key = $"{context.Request.Method} /{endpoint.RoutePattern.RawText?.TrimStart('/')}";
                _routes.AddOrUpdate(key, context.Response.StatusCode, (_, status) => Math.Max(status, context.Response.StatusCode));
            }
        });
        next(app);
    };
}
