using JobScheduler.Abstractions.Grains;
using Microsoft.Extensions.Logging;

namespace JobScheduler.Grains.Execution;

/// <summary>
/// Leases seen from the executor. Heartbeats renew the lease of every held attempt at its shard. An attempt whose
/// lease may have lapsed never starts, because its shard declares it lost and retries it. That covers an attempt
/// that reaches this executor too late after its dispatch. It also covers one still queued when this silo resumes
/// from a stall longer than lease minus heartbeat: a hung process, a frozen VM, a long GC pause. Such an attempt is
/// dropped, and its shard's retry runs it once.
/// </summary>
public sealed partial class SiloExecutor
{
    /// <summary>The longest time since a lease renewal at which an attempt may still start.</summary>
    private TimeSpan StartLimit => _options.LeaseDuration - _options.HeartbeatInterval;

    /// <summary>Renews the leases of held attempts (queued, running or committing) at their shards, every heartbeat interval.</summary>
    private async Task SendHeartbeatsAsync()
    {
        _heldAttempts.StartHeartbeats(_time.GetUtcNow());
        using var timer = new PeriodicTimer(_options.HeartbeatInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                SendHeartbeats();
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Stopping: the shards' leases lapse and report the attempts still running as lost.
        }
    }

    private void SendHeartbeats()
    {
        var now = _time.GetUtcNow();
        if (_heldAttempts.Heartbeat(now, StartLimit) is { } gap)
        {
            LogHeartbeatGap(_logger, gap.TotalSeconds);
        }

        foreach (var (shard, executionIds) in _heldAttempts.ByShard(now, StartLimit))
        {
            _grains.GetGrain<ISchedulerShardGrain>(shard).Heartbeat(executionIds).Ignore();
        }
    }

    /// <summary>
    /// True when the attempt was dispatched so long ago that its shard will have declared it lost before the first
    /// heartbeat from here can reach it. A hand-off that waited in a hung silo and was forwarded here is one case.
    /// </summary>
    private bool ArrivedAfterLease(AttemptRequest attempt) =>
        attempt.DispatchedAt != default && _time.GetUtcNow() - attempt.DispatchedAt > StartLimit;

    /// <summary>True when a queued attempt may start; false (and dropped) when its lease may have lapsed.</summary>
    private bool StartsWithinLease(AttemptRequest attempt)
    {
        if (_heldAttempts.TryStart(attempt.ExecutionId, _time.GetUtcNow(), StartLimit))
        {
            return true;
        }

        LogStaleAttemptDropped(_logger, attempt.JobId, attempt.ExecutionId, StartLimit.TotalSeconds);
        return false;
    }

    [LoggerMessage(EventId = 1208, Level = LogLevel.Warning,
        Message = "Execution {ExecutionId} (job {JobId}) reached this executor {Seconds:0.0} s after its dispatch, too late to keep its lease; it was not started, and its shard retries it")]
    private static partial void LogLateAttemptDropped(ILogger logger, string jobId, string executionId, double seconds);

    [LoggerMessage(EventId = 1209, Level = LogLevel.Warning,
        Message = "The executor's heartbeats paused for {Seconds:0.0} s (the process stalled); leases may have lapsed, so attempts queued before the pause will not start and their shards retry them")]
    private static partial void LogHeartbeatGap(ILogger logger, double seconds);

    [LoggerMessage(EventId = 1210, Level = LogLevel.Warning,
        Message = "Execution {ExecutionId} (job {JobId}) waited in the queue more than {Seconds:0} s since its lease was last renewed; it was not started, and its shard retries it")]
    private static partial void LogStaleAttemptDropped(ILogger logger, string jobId, string executionId, double seconds);
}
