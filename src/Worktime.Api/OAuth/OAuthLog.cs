namespace Worktime.Api.OAuth;

internal static partial class OAuthLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "OAuth housekeeping failed ({ExceptionType}); retrying next hour.")]
    public static partial void HousekeepingFailed(ILogger logger, string exceptionType);
}
