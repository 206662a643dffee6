using Microsoft.Extensions.Logging;

namespace JobScheduler.Grains.Shards;

/// <summary>Log messages of the shard grain (event ids 1000-1099).</summary>
public sealed partial class SchedulerShardGrain
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Debug,
        Message = "Shard {Shard} activated on {Silo} with epoch {Epoch} and {Loaded} due instants in its horizon")]
    private static partial void LogShardActivated(ILogger logger, int shard, long epoch, int loaded, string silo);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Debug,
        Message = "Shard {Shard} deactivated ({Reason}) with {InFlight} attempts in flight")]
    private static partial void LogShardDeactivated(ILogger logger, int shard, string reason, int inFlight);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Error,
        Message = "Job {JobId} in shard {Shard} has a schedule that no longer parses: {Error}")]
    private static partial void LogScheduleInvalid(ILogger logger, string jobId, int shard, string error);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning,
        Message = "Job {JobId} in shard {Shard} missed {Missed} instants; misfire policy {Policy} runs {CatchUp} of them and resumes at {ResumeAt:O}")]
    private static partial void LogMisfired(ILogger logger, string jobId, int shard, int missed, Abstractions.Jobs.MisfirePolicy policy, int catchUp, DateTimeOffset? resumeAt);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Warning,
        Message = "Shard {Shard} was claimed by a newer activation; this activation (epoch {Epoch}) stops firing and deactivates")]
    private static partial void LogFenced(ILogger logger, int shard, long epoch);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Error,
        Message = "Shard {Shard} could not write the due-index; the affected instants fire again after the next reload")]
    private static partial void LogDueIndexWriteFailed(ILogger logger, Exception exception, int shard);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Information,
        Message = "Job {JobId} in shard {Shard}: the instant {Instant:O} was skipped because the previous run is still running")]
    private static partial void LogSkipped(ILogger logger, string jobId, DateTimeOffset instant, int shard);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Warning,
        Message = "Job {JobId} in shard {Shard}: the instant {Instant:O} already ran before this shard was re-activated; it is not fired again")]
    private static partial void LogDuplicateSuppressed(ILogger logger, string jobId, DateTimeOffset instant, int shard);

    [LoggerMessage(EventId = 1009, Level = LogLevel.Information,
        Message = "Job {JobId} in shard {Shard} was deleted; {Cancelled} waiting attempts and retries were cancelled")]
    private static partial void LogJobCancelled(ILogger logger, string jobId, int shard, int cancelled);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning,
        Message = "Attempt {Attempt} of execution {ExecutionId} (job {JobId}) in shard {Shard} lost its lease without an outcome; recorded as lost and handed over for a retry")]
    private static partial void LogAttemptLost(ILogger logger, string jobId, string executionId, int attempt, int shard);

    [LoggerMessage(EventId = 1031, Level = LogLevel.Information,
        Message = "Job {JobId} in shard {Shard}: version {Version} arrived again (a retried call) after this activation already had it; ignored")]
    private static partial void LogRepeatedUpsertIgnored(ILogger logger, string jobId, long version, int shard);

    [LoggerMessage(EventId = 1032, Level = LogLevel.Warning,
        Message = "Job {JobId} in shard {Shard} had no due-index row after its create; version {Version} is scheduled now")]
    private static partial void LogMissingRowScheduled(ILogger logger, string jobId, long version, int shard);

    [LoggerMessage(EventId = 1033, Level = LogLevel.Error,
        Message = "Shard {Shard} could not hand the failure of execution {ExecutionId} to job {JobId}; it is neither retried nor dead-lettered")]
    private static partial void LogFailureHandOverFailed(ILogger logger, Exception exception, string jobId, string executionId, int shard);
}
