using Microsoft.Extensions.Logging;

namespace JobScheduler.Grains.Jobs;

/// <summary>Log messages of job changes after creation (event ids 2010-2019).</summary>
public sealed partial class JobGrain
{
    [LoggerMessage(EventId = 2010, Level = LogLevel.Information,
        Message = "Job {JobId} replaced at version {Version}: status {Status}, next instant {NextDue:O}")]
    private static partial void LogJobUpdated(ILogger logger, string jobId, long version, string status, DateTimeOffset? nextDue);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Information, Message = "Job {JobId} deleted at version {Version}")]
    private static partial void LogJobDeleted(ILogger logger, string jobId, long version);

    [LoggerMessage(EventId = 2012, Level = LogLevel.Information, Message = "Job {JobId} paused at version {Version}")]
    private static partial void LogJobPaused(ILogger logger, string jobId, long version);

    [LoggerMessage(EventId = 2013, Level = LogLevel.Information,
        Message = "Job {JobId} resumed at version {Version}: status {Status}, next instant {NextDue:O}")]
    private static partial void LogJobResumed(ILogger logger, string jobId, long version, string status, DateTimeOffset? nextDue);
}
