using Orleans.Concurrency;

namespace JobScheduler.Abstractions.Grains;

/// <summary>
/// One of a fixed number of shards (key: shard number). Holds a timing wheel of the instants due
/// within its horizon, dispatches them to executors and tracks in-flight attempts.
/// Methods that only enqueue interleave, so clock ticks never wait behind them.
/// </summary>
[Alias("js.ISchedulerShardGrain")]
public interface ISchedulerShardGrain : IGrainWithIntegerKey
{
    /// <summary>Activates the shard (used by the activator and the reminder backstop).</summary>
    [Alias("Ping")]
    Task Ping();

    /// <summary>Schedules a job, replacing any older version of it.</summary>
    [Alias("Upsert"), AlwaysInterleave]
    Task Upsert(ShardJob job);

    /// <summary>Schedules a job like <see cref="Upsert"/>, but only when the shard has no row for it yet.</summary>
    [Alias("EnsureScheduled"), AlwaysInterleave]
    Task EnsureScheduled(ShardJob job);

    /// <summary>Stops firing a job whose version is at most <paramref name="version"/>.</summary>
    [Alias("Remove"), AlwaysInterleave]
    Task Remove(string jobId, long version);

    /// <summary>Dispatches an attempt as soon as capacity allows (manual runs).</summary>
    [Alias("DispatchNow"), AlwaysInterleave]
    Task DispatchNow(AttemptRequest attempt);

    /// <summary>Schedules a retry attempt at <paramref name="due"/>, durably: it survives a restart.</summary>
    [Alias("ScheduleRetry"), AlwaysInterleave]
    Task ScheduleRetry(AttemptRequest attempt, DateTimeOffset due);

    /// <summary>Advances the wheel to the current instant: posted by the silo's clock loop.</summary>
    [Alias("Tick")]
    Task Tick();

    /// <summary>Renews the leases of running attempts: sent by the executor every heartbeat interval.</summary>
    [Alias("Heartbeat"), OneWay, AlwaysInterleave]
    Task Heartbeat(IReadOnlyList<string> executionIds);

    /// <summary>
    /// Cancels an attempt that is waiting, running or scheduled as a retry. Returns false when this shard
    /// holds no such attempt in memory (it may still be a retry beyond the horizon, which is deleted anyway).
    /// </summary>
    [Alias("Cancel"), AlwaysInterleave]
    Task<bool> Cancel(string executionId, string reason);

    /// <summary>
    /// Cancels every attempt of a deleted job: waiting, running and scheduled retries, those beyond the
    /// horizon included. Each ends CANCELLED with <paramref name="reason"/>.
    /// </summary>
    [Alias("CancelJob"), AlwaysInterleave]
    Task CancelJob(string jobId, string reason);

    /// <summary>Reports the end of an attempt this shard dispatched.</summary>
    [Alias("ReportOutcome"), OneWay, AlwaysInterleave]
    Task ReportOutcome(AttemptOutcome outcome);

    /// <summary>
    /// Notifies <paramref name="observer"/> when the execution ends, if it belongs to <paramref name="userId"/>
    /// and ends before <paramref name="expiresAt"/>. Returns false when the shard has too many subscriptions.
    /// </summary>
    [Alias("WatchExecution"), AlwaysInterleave]
    Task<bool> WatchExecution(string executionId, string userId, IExecutionObserver observer, DateTimeOffset expiresAt);

    /// <summary>Ends a subscription made with <see cref="WatchExecution"/>.</summary>
    [Alias("UnwatchExecution"), AlwaysInterleave]
    Task UnwatchExecution(string executionId, IExecutionObserver observer);

    /// <summary>Returns the silo this shard is active on (used to plan rebalancing and hand-over).</summary>
    [Alias("Locate"), AlwaysInterleave]
    Task<SiloAddress> Locate();

    /// <summary>
    /// Moves this shard to <paramref name="target"/> once it is idle, carrying its waiting and in-flight attempts
    /// with it. Returns false when the shard already runs there.
    /// </summary>
    [Alias("MigrateTo")]
    Task<bool> MigrateTo(SiloAddress target);

    /// <summary>Reports the ends of several attempts this shard dispatched, in one message.</summary>
    [Alias("ReportOutcomes"), OneWay, AlwaysInterleave]
    Task ReportOutcomes(IReadOnlyList<AttemptOutcome> outcomes);
}
