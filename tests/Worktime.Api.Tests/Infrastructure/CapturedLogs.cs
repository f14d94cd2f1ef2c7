using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Worktime.Api.Tests.Infrastructure;

/// <summary>
/// Every log line any test app writes, at Debug level and above, kept in memory and appended to
/// <c>WORKTIME_TEST_LOG</c> when set, so scripts/test can scan the whole suite's logs for secrets.
/// </summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private static readonly ConcurrentQueue<string> Lines = new();
    private static readonly Lock FileLock = new();
    private static readonly string? FilePath = Environment.GetEnvironmentVariable("WORKTIME_TEST_LOG");

    public static IReadOnlyCollection<string> All => Lines;

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName);

    public void Dispose() { }

    private static void Add(string line)
    {
        Lines.Enqueue(line);
        if (FilePath is not null)
        {
            lock (FileLock)
            {
                File.AppendAllText(FilePath, line + Environment.NewLine);
            }
        }
    }

    private sealed class Logger(string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                Add($"{logLevel} {category}: {formatter(state, exception)} {exception}");
            }
        }
    }
}
