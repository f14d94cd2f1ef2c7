namespace Worktime.Api.Auth;

/// <summary>The auth background jobs' log lines, compiled once (no boxing, no parsing of the template per call).</summary>
internal static partial class AuthLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Reloading signing keys failed ({ExceptionType}); keeping the previous set.")]
    public static partial void KeyReloadFailed(ILogger logger, string exceptionType);
}
