using System.Collections.Concurrent;
using JobScheduler.Abstractions.Grains;

namespace JobScheduler.Grains.Execution;

/// <summary>
/// The attempts this silo's executor holds: from the moment a shard hands one over until its outcome is
/// reported, whether it waits in the queue, runs, or waits for its history row to commit. The executor's
/// heartbeats renew the lease of every held attempt, so an attempt that waits behind a backlog or a slow
/// commit is not declared lost while this silo still has it. When the silo dies, the heartbeats stop with it.
/// Each attempt also remembers when its lease was last renewed. After a stall longer than a lease (a hung
/// process, a frozen VM) a queued attempt may already have been declared lost and retried elsewhere, so it
/// must not start.
/// </summary>
internal sealed class HeldAttempts
{
    private readonly ConcurrentDictionary<string, Held> _held = new(StringComparer.Ordinal);
    private DateTimeOffset _lastHeartbeat;

    /// <summary>Attempts held now.</summary>
    public int Count => _held.Count;

    /// <summary>Holds an attempt; its lease counts from its dispatch, or from <paramref name="now"/> without one.</summary>
    public void Hold(AttemptRequest attempt, DateTimeOffset now) =>
        _held[attempt.ExecutionId] = new Held(attempt.Shard, attempt.DispatchedAt == default ? now : attempt.DispatchedAt);

    public void Release(string executionId) => _held.TryRemove(executionId, out _);

    /// <summary>Starts counting heartbeat gaps from <paramref name="now"/>.</summary>
    public void StartHeartbeats(DateTimeOffset now) => _lastHeartbeat = now;

    /// <summary>
    /// Called on each heartbeat, before the heartbeats are sent. Renews each held attempt whose last renewal is
    /// within <paramref name="limit"/> of <paramref name="now"/>. An older one was held across a stall of the
    /// process (a hung silo, a frozen VM), so its lease may have lapsed meanwhile: if it has not started, it is
    /// released and never starts. Returns the time since the previous heartbeat when that exceeds the limit, else null.
    /// </summary>
    public TimeSpan? Heartbeat(DateTimeOffset now, TimeSpan limit)
    {
        var gap = now - _lastHeartbeat;
        _lastHeartbeat = now;
        foreach (var (executionId, held) in _held)
        {
            if (now - held.RenewedAt <= limit)
            {
                held.Renew(now);
            }
            else if (!held.Started)
            {
                Release(executionId);
            }
        }

        return gap > limit ? gap : null;
    }

    /// <summary>
    /// Marks an attempt as started. Returns false, and releases it, when its lease was last renewed more than
    /// <paramref name="limit"/> ago: its shard may have declared it lost and retried it. Returns false too for an
    /// attempt released after a stall.
    /// </summary>
    public bool TryStart(string executionId, DateTimeOffset now, TimeSpan limit)
    {
        if (!_held.TryGetValue(executionId, out var held))
        {
            return false;
        }

        if (now - held.RenewedAt > limit)
        {
            Release(executionId);
            return false;
        }

        held.Started = true;
        return true;
    }

    /// <summary>
    /// The held execution ids grouped by the shard that dispatched them, leaving out queued attempts whose lease
    /// was last renewed more than <paramref name="limit"/> ago: they will not start, and a heartbeat would only
    /// delay their retry.
    /// </summary>
    public IEnumerable<(int Shard, IReadOnlyList<string> ExecutionIds)> ByShard(DateTimeOffset now, TimeSpan limit) =>
        _held
            .Where(held => held.Value.Started || now - held.Value.RenewedAt <= limit)
            .GroupBy(held => held.Value.Shard)
            .Select(group => (group.Key, (IReadOnlyList<string>)group.Select(held => held.Key).ToList()));

    private sealed class Held(int shard, DateTimeOffset renewedAt)
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
