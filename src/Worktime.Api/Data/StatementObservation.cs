using System.Diagnostics;
using Npgsql;

namespace Worktime.Api.Data;

/// <summary>
/// Sees every statement the server runs on its database, with the values it ran with. The plan test
/// (docs/forms.md, "Query plans") explains each one; nothing in production sets an observer, and nothing here
/// logs: statements carry values (hashes, tokens) that must never reach a log.
/// </summary>
internal interface IStatementObserver
{
    /// <param name="sql">
    /// SQLite: the statement with its bound values written in as literals (SQLite's own expansion), so it can be
    /// explained as it is. PostgreSQL: the command text as the server code wrote it, with its <c>@name</c> placeholders.
    /// </param>
    /// <param name="parameters">PostgreSQL: the values by placeholder name; SQLite: none (they are in the text).</param>
    void Executed(string sql, IReadOnlyList<KeyValuePair<string, object?>> parameters);
}

/// <summary>How an observer is attached to each provider: SQLite's trace hook, Npgsql's tracing filter.</summary>
internal static class StatementObservation
{
    /// <summary>
    /// SQLite calls the hook as each statement starts to run, with its bound values expanded into the text
    /// (<c>sqlite3_trace</c>, https://www.sqlite.org/c3ref/profile.html): every statement of this connection, however it
    /// was prepared and stepped (the provider, or <see cref="SqliteQuery"/>'s plain C calls).
    /// </summary>
    public static void Attach(SQLitePCL.sqlite3 connection, IStatementObserver observer) =>
        SQLitePCL.raw.sqlite3_trace(connection, (_, statement) =>
        {
            if (!statement.StartsWith("--", StringComparison.Ordinal)) // "-- TRIGGER name": its statements are in the plan of the one that fired it
            {
                observer.Executed(statement, []);
            }
        }, null);

    /// <summary>
    /// Npgsql asks a data source's tracing filter about every command it is about to send, with the command in hand
    /// (text and parameters), whenever anything listens to its activity source
    /// (https://www.npgsql.org/doc/diagnostics/tracing.html). The filter hands the command to the observer and
    /// declines the trace; the returned listener (dispose it with the data source) makes Npgsql ask, and samples nothing.
    /// </summary>
    public static IDisposable Attach(NpgsqlDataSourceBuilder source, IStatementObserver observer)
    {
        source.ConfigureTracing(tracing => tracing.ConfigureCommandFilter(command =>
        {
            observer.Executed(command.CommandText,
                command.Parameters.Select(p => KeyValuePair.Create(p.ParameterName, p.Value is DBNull ? null : p.Value)).ToList());
            return false;
        }));
        var listener = new ActivityListener
        {
            ShouldListenTo = activitySource => activitySource.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.None,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }
}
