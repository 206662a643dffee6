using System.Collections.Concurrent;
using JobScheduler.Abstractions.Grains;

namespace JobScheduler.Grains.Execution;

/// <summary>
/// The attempts this silo's executor holds: from the moment a shard hands one over until its outcome is
/// reported, whether it waits in the queue, runs, or waits for its history row to commit. The executor's
/// heartbeats renew the lease of every held attempt, so an attempt that waits behind a backlog or a slow
/// commit is not declared lost while this silo still has it. When the silo dies, the heartbeats stop with it.
/// Each attempt also records when its lease was last renewed. After a stall longer than lease minus heartbeat
/// (a hung process, a frozen VM), a queued attempt may already have been declared lost and retried elsewhere,
/// so it must not start.
/// </summary>
internal sealed class HeldAttempts
{
    private readonly ConcurrentDictionary<string, AttemptLease> _leases = new(StringComparer.Ordinal);
    private DateTimeOffset _lastHeartbeat;

    /// <summary>Attempts held now.</summary>
    public int Count => _leases.Count;

    /// <summary>Holds an attempt; its lease counts from its dispatch, or from <paramref name="now"/> without one.</summary>
    public void Hold(AttemptRequest attempt, DateTimeOffset now) =>
        _leases[attempt.ExecutionId] = new AttemptLease(attempt.Shard, attempt.DispatchedAt == default ? now : attempt.DispatchedAt);

    public void Release(string executionId) => _leases.TryRemove(executionId, out _);

    /// <summary>Starts counting heartbeat gaps from <paramref name="now"/>.</summary>
    public void StartHeartbeats(DateTimeOffset now) => _lastHeartbeat = now;

    /// <summary>
    /// Renews, on each heartbeat, every held attempt last renewed within <paramref name="limit"/> of <paramref name="now"/>.
    /// An older one was held across a stall of the process, so its lease may have lapsed. If it has not started, it
    /// is released and never starts. Returns the time since the previous heartbeat when that exceeds the limit, else null.
    /// </summary>
    public TimeSpan? Heartbeat(DateTimeOffset now, TimeSpan limit)
    {
        var gap = now - _lastHeartbeat;
        _lastHeartbeat = now;
        foreach (var (executionId, lease) in _leases)
        {
            if (now - lease.RenewedAt <= limit)
            {
                lease.Renew(now);
            }
            else if (!lease.Started)
            {
                Release(executionId);
            }
        }

        return gap > limit ? gap : null;
    }

    /// <summary>
    /// Marks an attempt as started. Returns false, and releases the attempt, when its lease was last renewed more
    /// than <paramref name="limit"/> ago, because its shard may have retried it. Returns false for a released attempt too.
    /// </summary>
    public bool TryStart(string executionId, DateTimeOffset now, TimeSpan limit)
    {
        if (!_leases.TryGetValue(executionId, out var lease))
        {
            return false;
        }

        if (now - lease.RenewedAt > limit)
        {
            Release(executionId);
            return false;
        }

        lease.Started = true;
        return true;
    }

    /// <summary>
    /// The held execution ids grouped by the shard that dispatched them, leaving out queued attempts whose lease
    /// was last renewed more than <paramref name="limit"/> ago: they will not start, and a heartbeat would only
    /// delay their retry.
    /// </summary>
    public IEnumerable<(int Shard, IReadOnlyList<string> ExecutionIds)> ByShard(DateTimeOffset now, TimeSpan limit) =>
        _leases
            .Where(entry => entry.Value.Started || now - entry.Value.RenewedAt <= limit)
            .GroupBy(entry => entry.Value.Shard)
            .Select(group => (group.Key, (IReadOnlyList<string>)group.Select(entry => entry.Key).ToList()));

    /// <summary>The lease state of one held attempt: its shard, its last renewal and whether it has started.</summary>
    private sealed class AttemptLease(int shard, DateTimeOffset renewedAt)
    {
        private long _renewedTicks = renewedAt.UtcTicks;
        private int _started;

        public int Shard { get; } = shard;

        /// <summary>Written by the heartbeat loop and read by the consumers, so stored as atomic ticks.</summary>
        public DateTimeOffset RenewedAt => new(Interlocked.Read(ref _renewedTicks), TimeSpan.Zero);

        /// <summary>Moves the renewal time forward to <paramref name="now"/>, never back; only the heartbeat loop calls it.</summary>
        public void Renew(DateTimeOffset now)
        {
            if (now.UtcTicks > Interlocked.Read(ref _renewedTicks))
            {
                Interlocked.Exchange(ref _renewedTicks, now.UtcTicks);
            }
        }

        public bool Started
        {
            get => Volatile.Read(ref _started) == 1;
            set => Volatile.Write(ref _started, value ? 1 : 0);
        }
    }
}
