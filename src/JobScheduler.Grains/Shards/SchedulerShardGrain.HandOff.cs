using JobScheduler.Abstractions.Grains;
using JobScheduler.Grains.Storage;
using Microsoft.Extensions.Logging;

namespace JobScheduler.Grains.Shards;

/// <summary>
/// Hand-off after commit. For a while after its epoch is confirmed, a shard hands attempts to the executor only
/// once the due-index writes before them have committed (see <c>CommitBeforeHandOffWindow</c>). A commit proves
/// the epoch at the moment it landed, not when this activation reads its result. A silo that hung in between
/// wakes up to a result 30 s old, while a newer activation has adopted the attempts' leases and retried them.
/// So when the result comes late, or the writes failed, the shard first renews the leases with a fenced write,
/// and hands the attempts over stamped with that renewal. The executor's check for late hand-offs then covers a
/// stall after the renewal too.
/// </summary>
public sealed partial class SchedulerShardGrain
{
    /// <summary>Pause between lease renewals while a hand-off waits for the database.</summary>
    private static readonly TimeSpan HandOffRetryInterval = TimeSpan.FromMilliseconds(500);

    private enum WritesOutcome
    {
        CommittedInTime,
        LateOrFailed,
        Fenced,
    }

    /// <summary>Hands <paramref name="batch"/> to the executor once <paramref name="writes"/> committed, unless they were fenced.</summary>
    private async Task HandOffAfterCommitAsync(IExecutionWorkerGrain worker, List<AttemptRequest> batch, Task writes)
    {
        var outcome = await AwaitWritesAsync(writes, batch);
        if (outcome == WritesOutcome.Fenced)
        {
            return;
        }

        var handOff = outcome == WritesOutcome.CommittedInTime ? batch : await RenewLeasesAsync(batch);
        if (handOff.Count > 0)
        {
            await worker.Execute(handOff);
        }
    }

    /// <summary>
    /// Waits for <paramref name="writes"/>. They count as in time when the result arrives within the stall threshold
    /// of the batch's dispatch, so no activation can have been declared dead and replaced meanwhile.
    /// </summary>
    private async Task<WritesOutcome> AwaitWritesAsync(Task writes, List<AttemptRequest> batch)
    {
        try
        {
            await writes;
        }
        catch (ShardFencedException)
        {
            // A newer activation owns the shard and runs these attempts. The fenced flush stops this one.
            LogHandOffFenced(_logger, _shard, batch.Count, _epoch);
            return WritesOutcome.Fenced;
        }
        catch (Exception exception)
        {
            LogHandOffWriteFailed(_logger, exception, _shard);
            return WritesOutcome.LateOrFailed;
        }

        var waited = _time.GetUtcNow() - batch[0].DispatchedAt;
        if (waited <= StallThreshold)
        {
            return WritesOutcome.CommittedInTime;
        }

        LogHandOffCommitLate(_logger, _shard, waited.TotalSeconds, batch.Count);
        return WritesOutcome.LateOrFailed;
    }

    /// <summary>
    /// Rewrites the lease rows of the batch's attempts still in flight with a lease that starts now, trying again
    /// while the database is unreachable. The write is fenced, so it also proves the epoch. Returns the attempts
    /// stamped with the renewal time. Returns none when a newer activation claimed the shard, or when the database
    /// stayed unreachable for lease minus heartbeat: the leases then lapse and the attempts are retried.
    /// </summary>
    private async Task<List<AttemptRequest>> RenewLeasesAsync(List<AttemptRequest> batch)
    {
        var giveUpAt = _time.GetUtcNow() + _execution.LeaseDuration - _execution.HeartbeatInterval;
        while (_time.GetUtcNow() < giveUpAt)
        {
            var now = _time.GetUtcNow();
            var stillInFlight = batch
                .Where(attempt => _inFlight.ContainsKey(attempt.ExecutionId))
                .Select(attempt => attempt with { DispatchedAt = now })
                .ToList();
            if (stillInFlight.Count == 0)
            {
                return stillInFlight;
            }

            try
            {
                var deadline = now + _execution.LeaseDuration;
                await Task.WhenAll(stillInFlight.Select(attempt =>
                    _dueIndex.UpsertRetryAsync(_shard, _epoch, new RetryEntry(attempt, deadline, IsLease: true)).AsTask()));
                await Heartbeat(stillInFlight.Select(attempt => attempt.ExecutionId).ToList());
                return stillInFlight;
            }
            catch (ShardFencedException)
            {
                LogHandOffFenced(_logger, _shard, stillInFlight.Count, _epoch);
                StopFenced();
                return [];
            }
            catch (Exception exception)
            {
                LogHandOffRenewFailed(_logger, exception, _shard, HandOffRetryInterval.TotalMilliseconds);
                await Task.Delay(HandOffRetryInterval, _time);
            }
        }

        return [];
    }

    [LoggerMessage(EventId = 1023, Level = LogLevel.Warning,
        Message = "Shard {Shard} (epoch {Epoch}) was claimed by a newer activation; {Count} attempts were not dispatched")]
    private static partial void LogHandOffFenced(ILogger logger, int shard, int count, long epoch);

    [LoggerMessage(EventId = 1024, Level = LogLevel.Warning, Message = "Shard {Shard} could not commit its due-index writes before a dispatch; renewing the leases before dispatching")]
    private static partial void LogHandOffWriteFailed(ILogger logger, Exception exception, int shard);

    [LoggerMessage(EventId = 1025, Level = LogLevel.Warning, Message = "Shard {Shard} could not renew the leases before a hand-off; trying again in {DelayMs} ms")]
    private static partial void LogHandOffRenewFailed(ILogger logger, Exception exception, int shard, double delayMs);

    [LoggerMessage(EventId = 1028, Level = LogLevel.Warning,
        Message = "Shard {Shard} got the commit of its due-index writes {Seconds:0.0} s after dispatching {Count} attempts; renewing the leases before the hand-off")]
    private static partial void LogHandOffCommitLate(ILogger logger, int shard, double seconds, int count);
}
