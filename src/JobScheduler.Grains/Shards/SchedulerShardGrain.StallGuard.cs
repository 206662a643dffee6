using JobScheduler.Abstractions.Grains;
using JobScheduler.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace JobScheduler.Grains.Shards;

/// <summary>
/// Stall guard: a silo that hung (SIGSTOP, a long GC pause, a frozen VM) long enough to be declared dead wakes
/// up with its shards still in memory, while newer activations on other silos have already fired the same
/// instants. Fencing rejects the old activation's due-index writes, but dispatch comes before those writes, so
/// before its first dispatch and after a stall the shard proves its epoch is still current with a fenced no-op
/// write, and dispatches only then. A fenced probe stops the activation as a fenced flush does.
/// </summary>
public sealed partial class SchedulerShardGrain
{
    /// <summary>
    /// A gap between dispatch passes longer than this counts as a stall. The maintenance timer runs a pass every
    /// second, so a healthy shard never comes near it.
    /// </summary>
    private static readonly TimeSpan StallThreshold = TimeSpan.FromSeconds(5);

    /// <summary>Key of the retry row the probe deletes; no such row exists, so the write changes nothing.</summary>
    private const string EpochProbeKey = "epoch-probe";

    /// <summary>
    /// How long after its epoch is confirmed a shard hands attempts to the executor only once the due-index
    /// writes before them have committed. Two activations of one shard can overlap while shards move (a silo
    /// failed or left). Then the older one's writes commit before the newer one's claim, so the newer one loads
    /// the moved rows, or they are fenced and the older one dispatches nothing. Later, and in a one-silo cluster, the
    /// wait is skipped, so the steady state pays no commit latency per dispatch.
    /// </summary>
    private static readonly TimeSpan CommitBeforeHandOffWindow = TimeSpan.FromSeconds(30);

    private DateTimeOffset _handOffAfterCommitUntil;
    private DateTimeOffset _lastDispatchPass;
    private bool _probingEpoch;

    /// <summary>
    /// False until a probe has shown this activation's epoch current, and again after a stall. The first dispatch
    /// of an activation waits for a probe too: while a hung silo is being declared dead, two silos can activate
    /// the same shard at once, and only the later claim may fire.
    /// </summary>
    private bool _epochConfirmed;

    /// <summary>Returns true when dispatch must wait: a probe runs, or one starts now because the epoch is unconfirmed.</summary>
    private bool HoldDispatchAfterStall(DateTimeOffset now) => HoldAfterStall(now, needed: _pending.Count > 0);

    /// <summary>
    /// Returns true when lapsed leases must wait for an epoch check. A silo that wakes up after being declared
    /// dead finds every lease lapsed, while the shard's newer activation already reports them lost and retries them.
    /// </summary>
    private bool HoldLeaseExpiryAfterStall(DateTimeOffset now) =>
        HoldAfterStall(now, needed: _deadlines.TryPeek(out _, out var deadline) && deadline <= now);

    /// <summary>Returns true while a probe runs, or when <paramref name="needed"/> and the epoch is unconfirmed (a probe starts).</summary>
    private bool HoldAfterStall(DateTimeOffset now, bool needed)
    {
        if (_probingEpoch)
        {
            return true;
        }

        var gap = now - _lastDispatchPass;
        if (_lastDispatchPass != default && gap > StallThreshold)
        {
            _epochConfirmed = false;
            LogStallProbe(_logger, _shard, gap.TotalSeconds, _epoch);
        }

        _lastDispatchPass = now;
        if (_epochConfirmed || !needed)
        {
            return false;
        }

        _probingEpoch = true;
        ProbeEpochAsync().Ignore();
        return true;
    }

    private async Task ProbeEpochAsync()
    {
        try
        {
            await _dueIndex.RemoveRetryAsync(_shard, _epoch, EpochProbeKey);
            await DropInstantsAlreadyRunAsync();
        }
        catch (ShardFencedException)
        {
            StopFenced();
            return;
        }
        catch (Exception exception)
        {
            // Without the database the epoch cannot be checked; dispatch as a shard without the guard would.
            LogStallProbeFailed(_logger, exception, _shard);
        }
        finally
        {
            _probingEpoch = false;
        }

        _epochConfirmed = true;
        if (HasOtherSilos())
        {
            _handOffAfterCommitUntil = _time.GetUtcNow() + CommitBeforeHandOffWindow;
        }
        _lastDispatchPass = _time.GetUtcNow();
        DispatchPending();
        UpdateNextTick();
    }

    /// <summary>True when another silo is active, so another activation of this shard can exist.</summary>
    private bool HasOtherSilos() =>
        ServiceProvider.GetService<IClusterMembershipService>()?.CurrentSnapshot.Members.Values.Count(member => member.Status == SiloStatus.Active) > 1;

    /// <summary>
    /// Drops waiting first attempts whose instant another activation of this shard already ran. While a failed
    /// silo's shards move, Orleans can briefly run two activations of one shard: the older may fire an instant
    /// after the newer loaded it, and the history then has the run.
    /// </summary>
    private async Task DropInstantsAlreadyRunAsync()
    {
        var firstAttempts = _pending.UnorderedItems
            .Select(item => item.Element)
            .Where(attempt => attempt.Trigger == Abstractions.Executions.ExecutionTrigger.Schedule && attempt.AttemptNumber == 1)
            .Select(attempt => attempt.IdempotencyKey)
            .ToList();
        if (firstAttempts.Count == 0)
        {
            return;
        }

        var ran = await _history.FindScheduledKeysAsync(firstAttempts);
        if (ran.Count == 0)
        {
            return;
        }

        var kept = _pending.UnorderedItems.Where(item => !ran.Contains(item.Element.IdempotencyKey) || item.Element.AttemptNumber != 1).ToList();
        foreach (var dropped in _pending.UnorderedItems.Where(item => ran.Contains(item.Element.IdempotencyKey) && item.Element.AttemptNumber == 1))
        {
            Release(dropped.Element);
            _writes.Add(_dueIndex.RemoveRetryAsync(_shard, _epoch, dropped.Element.ExecutionId).AsTask());
            LogDuplicateSuppressed(_logger, dropped.Element.JobId, dropped.Element.ScheduledAt, _shard);
        }

        _pending.Clear();
        _pending.EnqueueRange(kept.Select(item => (item.Element, item.Priority)));
    }

    [LoggerMessage(EventId = 1021, Level = LogLevel.Warning,
        Message = "Shard {Shard} did not run for {Seconds:0.0} s; checking that epoch {Epoch} is still current before dispatching")]
    private static partial void LogStallProbe(ILogger logger, int shard, double seconds, long epoch);

    [LoggerMessage(EventId = 1022, Level = LogLevel.Warning, Message = "Shard {Shard} could not check its epoch after a stall; dispatching anyway")]
    private static partial void LogStallProbeFailed(ILogger logger, Exception exception, int shard);
}
