using JobScheduler.Abstractions.Executions;
using JobScheduler.Abstractions.Jobs;
using Microsoft.Extensions.Logging;

namespace JobScheduler.Grains.Jobs;

/// <summary>Log messages of the job grain (event ids 2000-2099).</summary>
public sealed partial class JobGrain
{
    [LoggerMessage(EventId = 2000, Level = LogLevel.Information,
        Message = "Job {JobId} created by user {UserId} ({Type}), first instant {FirstDue:O}")]
    private static partial void LogJobCreated(ILogger logger, string jobId, string userId, JobType type, DateTimeOffset firstDue);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information,
        Message = "Job {JobId} started manual execution {ExecutionId}")]
    private static partial void LogManualRun(ILogger logger, string jobId, string executionId);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information,
        Message = "Job {JobId} completed: its schedule has no further instant")]
    private static partial void LogJobCompleted(ILogger logger, string jobId);

    [LoggerMessage(EventId = 2010, Level = LogLevel.Information,
        Message = "Job {JobId}: execution {ExecutionId} ended {Status}; attempt {NextAttempt} is scheduled for {Due:O}")]
    private static partial void LogRetryScheduled(ILogger logger, string jobId, string executionId, int nextAttempt, DateTimeOffset due, ExecutionStatus status);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Warning,
        Message = "Job {JobId}: execution {ExecutionId} failed its last attempt ({Attempts}) and was dead-lettered as {DeadLetterId}")]
    private static partial void LogDeadLettered(ILogger logger, string jobId, string executionId, string deadLetterId, int attempts);

    [LoggerMessage(EventId = 2012, Level = LogLevel.Information,
        Message = "Job {JobId}: dead letter {DeadLetterId} redriven as execution {ExecutionId} (attempt chain {Chain})")]
    private static partial void LogRedriven(ILogger logger, string jobId, string deadLetterId, string executionId, int chain);

    [LoggerMessage(EventId = 2013, Level = LogLevel.Information, Message = "Job {JobId}: dead letter {DeadLetterId} discarded")]
    private static partial void LogDiscarded(ILogger logger, string jobId, string deadLetterId);

    [LoggerMessage(EventId = 2014, Level = LogLevel.Information, Message = "Job {JobId}: cancel requested for execution {ExecutionId}")]
    private static partial void LogCancelled(ILogger logger, string jobId, string executionId);

    [LoggerMessage(EventId = 2015, Level = LogLevel.Information,
        Message = "Job {JobId}: the failure of execution {ExecutionId} was reported again and is ignored; its retry is already scheduled")]
    private static partial void LogRepeatedFailureIgnored(ILogger logger, string jobId, string executionId);

    [LoggerMessage(EventId = 2016, Level = LogLevel.Information,
        Message = "Job {JobId}: a repeated create found the job and sent its index and shard rows again")]
    private static partial void LogCreateCompleted(ILogger logger, string jobId);
}
