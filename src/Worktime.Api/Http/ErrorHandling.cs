using System.Data.Common;
using System.Net.Sockets;
using Microsoft.AspNetCore.Diagnostics;

namespace Worktime.Api.Http;

/// <summary>
/// Turns everything that is not an endpoint's own result into the JSON error shape:
/// unexpected exceptions (500 without internals), an unreachable or full database (503), framework rejections
/// such as an oversized body (413) or bad request framing (400), and bare status codes (404, 405).
/// </summary>
internal static partial class ErrorHandling
{
    public static WebApplication UseWorktimeErrors(this WebApplication app)
    {
        app.UseExceptionHandler(handler => handler.Run(WriteExceptionAsync));
        app.UseStatusCodePages(context => WriteBareStatusAsync(context.HttpContext));
        return app;
    }

    private static Task WriteExceptionAsync(HttpContext context)
    {
        var exception = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        var (status, error, description) = Classify(exception);
        if (status >= 500)
        {
            var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Worktime.Errors");
            // The exception type and message only: never the request, its headers or its body.
            LogFailure(logger, status, exception?.GetType().Name ?? "unknown", exception?.Message ?? "");
        }
        return ApiError.WriteAsync(context, status, error, description, retryAfterSeconds: status == 503 ? 5 : null);
    }

    internal static (int Status, string Error, string Description) Classify(Exception? exception) => exception switch
    {
        BadHttpRequestException { StatusCode: 413 } =>
            (413, "request_too_large", "The request body is larger than the server accepts."),
        BadHttpRequestException bad =>
            (bad.StatusCode, "invalid_request", "The request could not be read."),
        _ when IsStorageFull(exception) =>
            (503, "service_unavailable",
                "The database is out of space: nothing of this request was written. Reading still works; try again once there is room."),
        _ when IsDatabaseUnavailable(exception) =>
            (503, "service_unavailable", "The database is not reachable; try again shortly."),
        _ => (500, "server_error", "An unexpected error occurred."),
    };

    // SQLITE_FULL: the disk (or Database:SqliteMaxSizeMegabytes) is full; SQLite undid the statement or the whole
    // transaction, and the writer rolls back the rest. 53100 disk_full: PostgreSQL could not extend a file.
    private static bool IsStorageFull(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 13 } or Npgsql.PostgresException { SqlState: "53100" })
            {
                return true;
            }
        }
        return false;
    }

    // 40P01 deadlock / 40001 serialization failure: the transaction was rolled back whole; a retry succeeds.
    private static bool IsDatabaseUnavailable(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is SocketException or TimeoutException ||
                e is Npgsql.NpgsqlException { IsTransient: true } ||
                e is Npgsql.PostgresException { SqlState: "57P01" or "57P02" or "57P03" or "53300" or "40P01" or "40001" } ||
                e is InvalidOperationException { Message: var m } && m.Contains("pool", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
            // SQLITE_BUSY / SQLITE_LOCKED: another writer held the file longer than the busy timeout.
            // SQLITE_ABORT: the write transaction shared by a group of writers was rolled back whole, as a deadlock
            // is on PostgreSQL; nothing of it was written and a retry succeeds (docs/deploy.md, "SQLite").
            if (e is Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 4 or 5 or 6 })
            {
                return true;
            }
        }
        return false;
    }

    private static Task WriteBareStatusAsync(HttpContext context)
    {
        var status = context.Response.StatusCode;
        var (error, description) = status switch
        {
            404 => ("not_found", "The resource does not exist."),
            405 => ("method_not_allowed", "The method is not allowed on this resource."),
            413 => ("request_too_large", "The request body is larger than the server accepts."),
            415 => ("unsupported_media_type", "The content type is not supported."),
            401 => ("invalid_request", "Authentication is required."),
            403 => ("forbidden", "You are not allowed to do that."),
            _ when status >= 500 => ("server_error", "An unexpected error occurred."),
            _ => ("invalid_request", "The request could not be processed."),
        };
        return context.Response.WriteAsJsonAsync(new ApiError(status, error, description));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Request failed with {Status}: {ExceptionType}: {ExceptionMessage}")]
    private static partial void LogFailure(ILogger logger, int status, string exceptionType, string exceptionMessage);
}
